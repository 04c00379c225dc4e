"""Every route: anonymous users go to login, the wrong role gets 403, the right role gets through."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import tests
from tests.conftest import Factory, login


def _specs():
    specs = []
    root = Path(tests.__file__).parent
    for path in sorted(root.rglob("routes_spec.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        module = importlib.import_module(".".join(rel.parts))
        specs.extend(module.ROUTES)
    return specs


SPECS = _specs()


class Ctx:
    """What a spec's url/setup callables get: a factory that reuses users per (role, unit)."""

    def __init__(self, app, make: Factory):
        self.app, self.make, self._users, self.data = app, make, {}, {}

    def user(self, role, unit=None):
        key = (role, unit)
        if key not in self._users:
            self._users[key] = self.make.user(role, unit=unit) if role else None
        return self._users[key]


def _request(client, spec, url, data):
    if spec.method == "POST":
        return client.post(url, data=data or {})
    return client.get(url)


def _resolve(value, ctx):
    return value(ctx) if callable(value) else value


def test_every_route_has_a_permission_spec(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    covered = {spec.endpoint for spec in SPECS}
    assert endpoints - covered == set(), "routes without a permission spec"


def _bearer(ctx, who) -> dict:
    """A read-and-write token of the user: the API refuses by the same predicates as the pages."""
    from app.api import tokens
    from app.extensions import db

    secret = tokens.create(ctx.user(*who), name="spec", scope="write", days=1).secret
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _token_route(app, ctx, spec, url, data) -> None:
    """API routes: no token -> 401 problem, the wrong role's token -> 403 problem, the right one -> ok."""
    def call(headers):
        return app.test_client().open(url, method=spec.method, json=data, headers=headers)

    resp = call({})
    assert resp.status_code == 401 and resp.mimetype == "application/problem+json", f"anonymous {url}"
    if spec.denied:
        resp = call(_bearer(ctx, spec.denied))
        assert resp.status_code == 403, f"{spec.denied} {spec.method} {url} gave {resp.status_code}"
        assert resp.mimetype == "application/problem+json"
    resp = call(_bearer(ctx, spec.allowed))
    assert resp.status_code in spec.ok, f"{spec.allowed} {spec.method} {url} gave {resp.status_code}: {resp.data[:300]}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.endpoint}-{s.method}")
def test_route_permissions(app, make, spec):
    ctx = Ctx(app, make)
    if spec.setup:
        spec.setup(ctx)
    url = _resolve(spec.url, ctx)
    data = _resolve(spec.data, ctx)
    if spec.extra.get("auth") == "token":
        _token_route(app, ctx, spec, url, data)
        return

    if not spec.public:
        anon = app.test_client()
        resp = _request(anon, spec, url, data)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"], (
            f"anonymous {spec.method} {url} gave {resp.status_code}")

    if spec.denied:
        user = ctx.user(*spec.denied)
        client = app.test_client()
        assert login(client, user).status_code == 302
        resp = _request(client, spec, url, data)
        assert resp.status_code == 403, f"{spec.denied} {spec.method} {url} gave {resp.status_code}"
        assert "Không có quyền truy cập".encode() in resp.data

    client = app.test_client()
    if spec.allowed:
        assert login(client, ctx.user(*spec.allowed)).status_code == 302
    url = _resolve(spec.url, ctx) if spec.extra.get("fresh_url") else url
    resp = _request(client, spec, url, data)
    assert resp.status_code in spec.ok, f"{spec.allowed} {spec.method} {url} gave {resp.status_code}"
