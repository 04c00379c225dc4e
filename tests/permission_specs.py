"""The route permission table's vocabulary; each feature lists its routes in tests/<feature>/routes_spec.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

Who = tuple  # (role, unit code or None)


@dataclass
class RouteSpec:
    endpoint: str
    url: str | Callable            # a path, or fn(ctx) -> path when the route needs an object
    allowed: Who | None            # who gets `ok`; None for public routes
    denied: Who | None = None      # a signed-in user who gets 403; None when every signed-in user may
    method: str = "GET"
    data: dict | Callable | None = None
    ok: tuple = (200,)
    public: bool = False
    setup: Callable | None = None  # fn(ctx) run before, e.g. to create the object
    extra: dict = field(default_factory=dict)
