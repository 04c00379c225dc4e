"""No input gives a 500: every route of app.url_map swept with out-of-range numbers, far dates, control
characters and file uploads where text is expected, as every kind of user."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.auth.models import ADMIN, COMMITTEE, LEADERSHIP, SECRETARY
from app.timeutil import local_year
from tests.conftest import login

# pytest turns DeprecationWarnings into errors; WTForms' warning about tuple choices (objectives forms) is not a
# 500 users can meet, and this sweep looks for those
pytestmark = pytest.mark.filterwarnings("ignore:Passing SelectField choices as tuples:DeprecationWarning")

HUGE = "99999999999999999999999"
BAD_VALUES = [HUGE, "-" + HUGE, "9999-12-31", "0001-01-01", "31/12/9999", "1e400", "nan", "\x01\x7f",
              "a\u0000b", "%ff", "x" * 3000, "' OR 1=1 --"]
PATH_VALUES = [HUGE, "9999-12-31", "\x01", "x" * 600]
PARAMS = sorted({"year", "after", "before", "page", "per_page", "q", "sort", "status", "unit", "next", "from", "to",
                 "mode", "variant", "at", "on", "review", "procedure", "recheck", "kind", "state", "action", "actor",
                 "object_type", "owner", "period", "date", "due", "overdue", "cycle", "user", "type"})
TEXT_FIELDS = ["body", "title", "code", "message", "comment", "reason", "effective_on", "withdrawn_on",
               "base_revision", "year", "deadline", "due_on", "username", "full_name", "unit_id", "owner_id",
               "description", "outcome", "note", "password", "next", "procedure_code", "roles", "email", "name"]


@pytest.fixture
def world(app, runner):
    """The demo (units, accounts, procedures, CAPA) plus an open review cycle, and one user with every role."""
    from app.auth import services
    from app.extensions import db

    # the demo's later steps (year close) depend on today's date; the sweep needs its accounts and procedures
    runner.invoke(args=["qms", "demo"])
    from app.procedures.models import Procedure

    assert db.session.scalar(select(Procedure).where(Procedure.code == "QT-VP-01")) is not None
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a failure is a 500 to count, not an exception that stops the sweep
    boss = services.create_user(None, username="tatca", full_name="Có mọi quyền", password="correct-horse-1",
                                roles=[ADMIN, SECRETARY, LEADERSHIP, COMMITTEE])
    db.session.commit()
    client = app.test_client()
    assert login(client, boss).status_code == 302
    client.post("/reviews/", data={"year": str(local_year()), "deadline": f"{local_year()}-12-15"})
    from app.capa.models import Capa

    capa = db.session.scalar(select(Capa.number).limit(1))
    return client, {"code": "QT-VP-01", "number": capa or "CAPA-2026-001", "year": str(local_year()),
                    "user_id": str(boss.id), "object_type": "procedure", "object_id": "QT-VP-01", "fmt": "csv",
                    "sha": "HEAD", "seq": "1", "filename": "css/app.css",
                    # quality objectives (a period of this year's demo plan), office forms
                    "key": f"{local_year()}-01", "unit_code": "QLKH", "indicator_id": "1", "task_id": "1",
                    "assignment_id": "1", "name": "bieu-mau.docx"}


def _status(client, url, method="GET", **kwargs) -> int:
    """The response's status after reading it to the end: an export that fails half-way counts as a 500."""
    try:
        resp = client.open(url, method=method, **kwargs)
        resp.get_data()
        resp.close()
    except Exception:  # noqa: BLE001  (a broken stream)
        return 500
    return resp.status_code


def _url(rule, values):
    """The rule with each argument filled: a known good value, else 1 for numbers and "x" for text."""
    from werkzeug.routing import IntegerConverter

    url = rule.rule
    for name in rule.arguments:
        default = "1" if isinstance(rule._converters.get(name), IntegerConverter) else "x"
        url = re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?%s>" % name, values.get(name, default), url)
    return url


def _rules(app, method):
    return [r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint != "static"]


def test_every_get_route_survives_bad_query_parameters(app, world):
    client, good = world
    failures = []
    for rule in _rules(app, "GET"):
        url = _url(rule, good)
        for value in BAD_VALUES:
            # every parameter any page reads, all at once: one request per route and value
            status = _status(client, url, query_string={param: value for param in PARAMS})
            if status >= 500:
                failures.append((url, value[:20], status))
    assert not failures, "\n".join(map(repr, failures))


def test_every_route_survives_bad_path_values(app, world):
    client, good = world
    failures = []
    for method in ("GET", "POST"):
        for rule in _rules(app, method):
            for name in rule.arguments:
                for value in PATH_VALUES:
                    url = _url(rule, good | {name: value.replace("/", "_")})
                    status = _status(client, url, method, data={})
                    if status >= 500:
                        failures.append((method, url[:80], name, status))
    assert not failures, "\n".join(map(repr, failures))


def test_every_post_route_survives_files_and_bad_values_in_text_fields(app, world):
    client, good = world
    failures = []
    for rule in _rules(app, "POST"):
        if rule.endpoint == "auth.logout":
            continue
        url = _url(rule, good)
        for value in BAD_VALUES[:6] + ["\x01\x02"]:
            status = _status(client, url, "POST", data={f: value for f in TEXT_FIELDS})
            if status >= 500:
                failures.append((url, "value", value[:20], status))
        files = {f: (io.BytesIO(b"not text"), "x.txt") for f in TEXT_FIELDS}
        status = _status(client, url, "POST", data=files, content_type="multipart/form-data")
        if status >= 500:
            failures.append((url, "file", "", status))
    assert not failures, "\n".join(map(repr, failures))


def test_control_characters_in_next_are_refused(app, world):
    client, _good = world
    for bad in ["/\x00evil", "/\r\nSet-Cookie: x=1", "/\tpath", "\x01//evil.example"]:
        resp = client.post("/lang/vi", data={"next": bad})
        assert resp.status_code == 400 or (resp.status_code == 302 and resp.headers["Location"] == "/")
        anon = app.test_client()
        page = anon.get("/login", query_string={"next": bad})
        assert page.status_code in (200, 400)


def test_the_reported_cases_get_a_page_not_a_500(app, client, login_as, people, issued):
    login_as(people.secretary)
    for url in (f"/capa/?year={HUGE}", f"/audit/?after={HUGE}", f"/reviews/{HUGE}", f"/admin/users/{HUGE}",
                f"/audit/?user={HUGE}", "/reviews/compliance?on=0001-01-01", "/reviews/compliance?on=9999-12-31",
                f"/capa/export.csv?year={HUGE}", f"/audit/object/account/{HUGE}"):
        assert _status(client, url) in (200, 302, 400, 403, 404), url
    resp = client.post("/procedures/QT-QLKH-01/edit", data={"body": (io.BytesIO(b"x"), "x.md")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400 and "Dữ liệu gửi lên không hợp lệ" in resp.get_data(as_text=True)
