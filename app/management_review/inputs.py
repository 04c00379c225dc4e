"""The management review's input pack as a registry of named providers (ISO 9001:2015 clause 9.3.2).

A feature adds an item with `@input_provider("key", title=N_("..."), clause="9.3.2 c", order=30)`: the
function gets an `InputContext` and returns a JSON-able dict (or None when it has nothing). Items without
data in the system are registered with `manual_input(...)`: the secretary writes their text. A provider
registered later under a manual item's key (the quality objectives, the legal register) replaces it.

A provider's dict may hold: "figures": [{"label": msgid, "value": v}], "columns": [msgid], "rows": [[...]] and
"labels": {"<column index>": {value: msgid}} for coded values. Labels are stored as Vietnamese source strings
(msgids) and translated when shown, so a frozen pack reads in either language and still says exactly what the
meeting saw.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Callable


def N_(message: str) -> str:
    """Mark a label for translation without translating it now (it is stored, then translated when shown)."""
    return message


@dataclass(frozen=True)
class InputProvider:
    key: str
    title: str          # msgid
    clause: str         # e.g. "9.3.2 c 2"
    order: int
    fn: Callable | None = None
    hint: str = ""      # msgid: what the secretary should write when the system has no data

    @property
    def manual(self) -> bool:
        return self.fn is None


@dataclass
class InputContext:
    review: object           # the ManagementReview being prepared
    year: int
    since: date              # the previous review's meeting date, else 1 January of the year
    until: date              # this meeting's date
    previous: object | None  # the previous ManagementReview, if any


INPUT_PROVIDERS: dict[str, InputProvider] = {}


def input_provider(key: str, *, title: str, clause: str, order: int, hint: str = ""):
    def decorator(fn: Callable) -> Callable:
        INPUT_PROVIDERS[key] = InputProvider(key, title, clause, order, fn, hint)
        return fn

    return decorator


def manual_input(key: str, *, title: str, clause: str, order: int, hint: str = "") -> None:
    """An item the secretary fills in; never replaces a provider already registered under the key."""
    if key not in INPUT_PROVIDERS:
        INPUT_PROVIDERS[key] = InputProvider(key, title, clause, order, None, hint)


def providers() -> list[InputProvider]:
    return sorted(INPUT_PROVIDERS.values(), key=lambda p: (p.order, p.key))


def _jsonable(value):
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def _default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def compute(provider: InputProvider, ctx: InputContext) -> dict | None:
    """The provider's figures as plain JSON (dates as ISO strings), ready to be frozen."""
    if provider.fn is None:
        return None
    data = provider.fn(ctx)
    return None if data is None else _jsonable(data)
