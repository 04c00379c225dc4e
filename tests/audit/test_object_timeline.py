"""One object's history: a procedure's commits and tags merged with its events; a unit's and a user's history."""
from __future__ import annotations

import re

from tests.audit.conftest import event_at, utc


def _entries(html: str) -> list[tuple[str, str]]:
    """(source, action or sha) of each line, top to bottom."""
    out = []
    for attrs in re.findall(r'<tr data-testid="entry" ([^>]*)>', html):
        source = re.search(r'data-source="(\w+)"', attrs).group(1)
        sha = re.search(r'data-sha="(\w+)"', attrs)
        out.append((source, sha.group(1) if sha else ""))
    return out


def test_a_procedures_timeline_merges_commits_tags_and_events_newest_first(app, make, client_for, workflow):
    proc = workflow.create()
    created = proc.current_revision
    saved = workflow.save(proc)
    workflow.issue(proc)
    issued = proc.issued_revision
    client = client_for(make.user("committee"))
    html = client.get("/audit/object/procedure/QT-QLKH-09").get_data(as_text=True)
    # one act, one line: the commit and the tag an event recorded are shown on the event's line
    assert _entries(html) == [("event", issued), ("event", saved), ("event", saved), ("event", created)]
    assert 'data-folded="issue,commit"' in html
    html = client.get("/audit/object/procedure/QT-QLKH-09?lines=all").get_data(as_text=True)
    entries = _entries(html)
    # every line on its own: each store entry sits just below the event that recorded it
    assert entries == [
        ("event", issued), ("issue", issued), ("commit", issued),   # approve: commit, tag, then the event
        ("event", saved),                                           # submit names the revision it submits
        ("event", saved), ("commit", saved),
        ("event", created), ("commit", created),
    ]
    actions = re.findall(r'<span class="badge bg-light text-dark border">([^<]+)</span>', html)
    assert actions == ["Ban hành", "Trình phê duyệt", "Lưu dự thảo", "Tạo quy trình"]
    assert 'data-testid="store-status" data-ok="1"' in html


def test_the_procedure_page_links_to_its_timeline(app, make, client_for, workflow):
    workflow.create()
    client = client_for(workflow.member)
    html = client.get("/procedures/QT-QLKH-09").get_data(as_text=True)
    assert 'href="/audit/object/procedure/QT-QLKH-09" data-testid="timeline-link"' in html


def test_a_unit_member_reads_the_history_of_the_units_own_procedures_only(app, make, client_for, workflow):
    workflow.create()
    workflow.create("QT-VP-09", unit="VP")
    client = client_for(workflow.member)
    assert client.get("/audit/object/procedure/QT-QLKH-09").status_code == 200
    assert client.get("/audit/object/procedure/QT-VP-09").status_code == 403
    assert client.get("/audit/unit/QLKH").status_code == 200
    assert client.get("/audit/unit/VP").status_code == 403
    assert client.get("/audit/").status_code == 403


def test_a_units_timeline_shows_its_objects_but_its_peoples_accounts_only_to_auditors(app, make, client_for, workflow):
    proc = workflow.create()
    workflow.save(proc)
    member_view = client_for(workflow.member).get("/audit/unit/QLKH").get_data(as_text=True)
    assert 'data-action="procedure.save"' in member_view
    assert 'data-action="account.create"' not in member_view
    auditor_view = client_for(make.user("committee")).get("/audit/unit/QLKH").get_data(as_text=True)
    assert 'data-action="procedure.save"' in auditor_view and 'data-action="account.create"' in auditor_view


def test_a_users_timeline_lists_what_that_person_did(app, make, client_for, workflow):
    proc = workflow.create()
    workflow.save(proc)
    html = client_for(make.user("leadership")).get(f"/audit/user/{workflow.member.id}").get_data(as_text=True)
    assert re.findall(r'data-action="([\w.]+)"', html) == ["procedure.save"]
    assert "Hoạt động của Chuyên viên QLKH" in html


def test_people_may_read_their_own_activity_but_not_a_colleagues(app, make, client_for, workflow):
    other = make.user("member", unit="QLKH")
    client = client_for(workflow.member)
    assert client.get(f"/audit/user/{workflow.member.id}").status_code == 200
    assert client.get(f"/audit/user/{other.id}").status_code == 403


def test_objects_of_other_features_have_a_timeline_read_by_their_unit(app, make, client_for, monkeypatch):
    event_at(monkeypatch, utc(2023, 5, 1), action="review.record", object_type="review",
             object_id="2023/QT-QLKH-01", unit_code="QLKH", summary="Ghi nhận rà soát QT-QLKH-01 năm 2023",
             payload={"outcome": "maintained"})
    html = client_for(make.user("member", unit="QLKH")).get("/audit/object/review/2023/QT-QLKH-01").get_data(as_text=True)
    assert "Ghi nhận rà soát QT-QLKH-01 năm 2023" in html
    assert client_for(make.user("member", unit="VP")).get("/audit/object/review/2023/QT-QLKH-01").status_code == 403
    assert client_for(make.user("committee")).get("/audit/object/capa/2023-999").status_code == 404
