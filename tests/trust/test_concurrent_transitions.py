"""Conflicting workflow transitions at the same moment: the database lets one win, the others are told why."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.procedures.models import Procedure
from tests.conftest import login
from tests.procedures.conftest import BODY


def _race(app, clients, path, data):
    """POST the same form from every client at once; returns the final pages (redirects followed)."""
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)

    def go(i, client):
        barrier.wait()
        resp = client.post(path, data=data, follow_redirects=True)
        results[i] = (resp.status_code, resp.get_data(as_text=True))

    threads = [threading.Thread(target=go, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _events(db, action):
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def _client_for(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def test_four_leaders_approving_at_once_issue_once_and_three_are_told_it_was_handled(app, db, dc, people, make,
                                                                                    draft):
    dc.submit(people.head, draft)
    db.session.commit()
    leaders = [people.leader] + [make.user("leadership") for _ in range(3)]
    clients = [_client_for(app, u) for u in leaders]
    db.session.close()
    results = _race(app, clients, "/procedures/QT-QLKH-02/approve",
                    {"effective_on": "2030-01-01", "message": "Ban hành"})
    # the winner lands on the issued page; the others see the draft again with the reason (422)
    assert sorted(status for status, _ in results) == [200, 422, 422, 422]
    won = [page for _, page in results if "Đã phê duyệt và ban hành" in page]
    lost = [page for _, page in results if "vừa được người khác" in page]
    assert len(won) == 1 and len(lost) == 3
    assert _events(db, "procedure.issue") == 1
    proc = db.session.scalar(select(Procedure).where(Procedure.code == "QT-QLKH-02"))
    assert proc.issue_number == 1 and proc.draft_state is None


def test_two_heads_submitting_at_once_write_one_submit_event(app, db, dc, people, make, draft):
    other_head = make.user("head", unit="QLKH")
    clients = [_client_for(app, people.head), _client_for(app, other_head), _client_for(app, people.head)]
    db.session.close()
    results = _race(app, clients, "/procedures/QT-QLKH-02/submit", {})
    assert all(status == 200 for status, _ in results)
    assert sum("Đã trình lãnh đạo phê duyệt" in page for _, page in results) == 1
    assert sum("vừa được người khác" in page for _, page in results) == 2
    assert _events(db, "procedure.submit") == 1


def test_concurrent_saves_on_different_procedures_all_land_with_one_event_each(app, db, dc, people, draft, issued):
    from tests.trust.helpers import edit_form

    clients = [_client_for(app, people.member) for _ in range(4)]
    db.session.close()
    barrier = threading.Barrier(4)
    statuses = []

    def save(i, client):
        code = "QT-QLKH-01" if i % 2 else "QT-QLKH-02"
        barrier.wait()
        for n in range(3):
            for _attempt in range(5):
                form = edit_form(client, code)
                form["body"] = f"{BODY}\nLần {i}-{n}\n"
                resp = client.post(f"/procedures/{code}/edit", data=form)
                if resp.status_code != 409:
                    break
            statuses.append(resp.status_code)

    threads = [threading.Thread(target=save, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert statuses.count(302) == 12, statuses
    assert _events(db, "procedure.save") == 12
