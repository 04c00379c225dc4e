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


def test_real_answers_conform_to_the_document(app, world, token_for):
    """Random input mostly meets 404s; these cases reach real records, so every 2xx body is checked too."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    ops = {(o.method.upper(), o.path): o for o in (r.ok() for r in schema.get_all_operations())}
    member, head, committee = (token_for(world.member), token_for(world.head, "write"),
                               token_for(world.committee))
    y, capa = world.year, world.capa_number
    calls = [
        ("GET", "/api/v1/procedures", {}, {"status": "issued", "sort": "-code"}, None, member),
        ("GET", "/api/v1/procedures/{code}", {"code": "QT-QLKH-01"}, {}, None, member),
        ("GET", "/api/v1/procedures/{code}/issued", {"code": "QT-QLKH-01"}, {}, None, member),
        ("GET", "/api/v1/procedures/{code}/draft", {"code": "QT-QLKH-01"}, {}, None, member),
        ("GET", "/api/v1/procedures/{code}/revisions", {"code": "QT-QLKH-01"}, {}, None, member),
        ("GET", "/api/v1/procedures/{code}/diff", {"code": "QT-QLKH-01"}, {}, None, member),
        ("GET", "/api/v1/procedures/{code}/in-force", {"code": "QT-QLKH-01"}, {"on": "2020-03-20"}, None, member),
        ("GET", "/api/v1/reviews/cycles", {}, {}, None, member),
        ("GET", "/api/v1/reviews/cycles/{year}", {"year": y}, {}, None, member),
        ("GET", "/api/v1/reviews/cycles/{year}/reviews", {"year": y}, {"status": "todo"}, None, member),
        ("GET", "/api/v1/reviews/cycles/{year}/reviews/{code}", {"year": y, "code": "QT-QLKH-01"}, {}, None, member),
        ("POST", "/api/v1/reviews/cycles/{year}/reviews/{code}/record", {"year": y, "code": "QT-QLKH-02"}, {},
         {"outcome": "maintained", "note": "Không thay đổi"}, head),
        ("POST", "/api/v1/reviews/cycles/{year}/reviews/{code}/confirm", {"year": y, "code": "QT-QLKH-02"}, {},
         None, head),
        ("GET", "/api/v1/capa", {}, {"status": "active"}, None, member),
        ("GET", "/api/v1/capa/{number}", {"number": capa}, {}, None, member),
        ("POST", "/api/v1/capa", {}, {}, {"kind": "preventive", "source": "other", "title": "Rủi ro mất hồ sơ",
                                          "description": "Hồ sơ giấy lưu ở hai nơi", "procedures": ["QT-QLKH-01"]},
         head),
        ("GET", "/api/v1/audit/events", {}, {"per_page": 5}, None, committee),
        ("GET", "/api/v1/audit/verification", {}, {}, None, committee),
        ("GET", "/api/v1/search", {}, {"q": "tiep nhan"}, None, member),
    ]
    from app.capa import services as capa_services
    from app.extensions import db

    capa_services.analyse(world.head, capa_services.get(capa), root_cause="Thiếu nhắc hạn", similar_elsewhere=False)
    db.session.commit()
    calls.append(("POST", "/api/v1/capa/{number}/actions", {"number": capa}, {},
                  {"description": "Bật nhắc hạn tự động", "due_on": "2030-01-15", "owner_user": "qlkh.cv"}, head))
    assert {(m, p) for m, p, *_ in calls} == set(ops), "every operation is called with real data"
    for method, path, path_parameters, query, body, secret in calls:
        kwargs = {"path_parameters": path_parameters, "query": query}
        if body is not None:
            kwargs["body"] = body
        case = ops[(method, path)].Case(**kwargs)
        response = case.call_and_validate(headers=bearer(secret))
        assert response.status_code in (200, 201), (method, path, response.status_code, response.text[:300])
