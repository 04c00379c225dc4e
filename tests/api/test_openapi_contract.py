"""Schemathesis against the live OpenAPI document: every operation, valid and invalid input, a read token and a
write token. No answer may be a server error or break the published schema (status, content type, body, headers).

The cases are drawn by Hypothesis from each operation's strategy and sent to the application through WSGI;
the document itself is fetched from /api/v1/openapi.json, as any client would.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.api.conftest import bearer

MAX_EXAMPLES = 8   # per operation, mode and token: every input check is reached, the suite stays quick
CASES: dict[str, int] = {}


def _run_contract(app, secret: str, label: str) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            key = f"{label}/{mode.value}"

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(case):
                CASES[key] = CASES.get(key, 0) + 1
                case.call_and_validate(headers=bearer(secret))

            try:
                check()
            except Exception as exc:  # noqa: BLE001  (collect every operation's failure, then report them all)
                failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: {exc}"[:3000])
    return failures


def test_every_operation_with_a_read_token(app, world, token_for):
    failures = _run_contract(app, token_for(world.member, "read"), "read")
    assert not failures, "\n\n".join(failures)


def test_every_operation_with_a_write_token(app, world, token_for):
    failures = _run_contract(app, token_for(world.head, "write"), "write")
    assert not failures, "\n\n".join(failures)
