"""Read-only by design: no route of the audit blueprint accepts a change."""
from __future__ import annotations

import inspect

from app.audit import cli, integrity, objects, present, routes, timeline


def test_no_audit_route_accepts_post_put_patch_or_delete(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert len(rules) >= 8
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, f"{rule.rule} accepts {sorted(rule.methods)}"


def test_posting_to_the_timeline_is_refused(app, make, client_for):
    client = client_for(make.user("admin"))
    assert client.post("/audit/").status_code == 405
    assert client.delete("/audit/object/unit/QLKH").status_code == 405


def test_the_history_modules_never_write_an_event():
    for module in (routes, timeline, objects, present, integrity, cli):
        source = inspect.getsource(module)
        for forbidden in ("update(AuditEvent", "delete(AuditEvent", "session.add", "session.delete", "session.flush",
                          "session.commit", "import record", "UPDATE ", "DELETE "):
            assert forbidden not in source, f"{module.__name__} contains {forbidden}"
