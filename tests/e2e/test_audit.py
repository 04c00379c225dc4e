"""The steering committee reads the history: filters the timeline to QLKH in 2022, opens a procedure's
merged timeline and exports it.

The demo imports its procedures "now", so the test first records some 2022 activity the way the
application would (a QLKH member saves a draft of QT-QLKH-01, the head submits it), with the audit
clock and the store's commit clock set to May 2022.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from tests.e2e.conftest import shot, sign_in

VN = timezone(timedelta(hours=7))
WHEN = datetime(2022, 5, 10, 9, 30, tzinfo=VN)


def _activity_in_2022(server, monkeypatch) -> str:
    from app.audit import services as audit_services
    from app.auth.models import User
    from app.extensions import db
    from app.procedures.services import DocumentControl
    from app.store import ProcedureStore

    with server.app.app_context():
        store = ProcedureStore(server.app.config["QMS_STORE_DIR"], clock=lambda: WHEN)
        dc = DocumentControl(st=store)
        member = db.session.scalar(select(User).where(User.username == "qlkh.cv"))
        head = db.session.scalar(select(User).where(User.username == "qlkh.tp"))
        proc = dc.get("QT-QLKH-01")
        body = store.read("QT-QLKH-01").document.body
        with monkeypatch.context() as m:
            m.setattr(audit_services, "utcnow", lambda: WHEN.astimezone(timezone.utc))
            sha = dc.save_draft(member, proc, body=body + "\nCập nhật căn cứ pháp lý theo Thông tư mới.\n",
                                base_revision=proc.current_revision, message="Cập nhật căn cứ pháp lý năm 2022")
            db.session.commit()
            m.setattr(audit_services, "utcnow", lambda: (WHEN + timedelta(hours=2)).astimezone(timezone.utc))
            dc.submit(head, proc)
            db.session.commit()
        store.close()
        db.session.remove()
    return sha


def test_the_committee_filters_the_timeline_opens_a_procedure_and_exports_it(page, live_server, monkeypatch):
    sha = _activity_in_2022(live_server, monkeypatch)
    sign_in(page, live_server, "bcd")
    page.click("[data-nav=audit]")
    page.wait_for_url("**/audit/")
    assert page.get_attribute("[data-testid=chain-status]", "data-ok") == "1"
    assert page.get_attribute("[data-testid=store-status]", "data-ok") == "1"

    # filters apply on the button, not on the first change of a list (keyboard users look through the options)
    page.select_option("#f-unit", "QLKH")
    page.select_option("#f-year", "2022")
    assert page.url.endswith("/audit/")
    page.click("[data-testid=filter-submit]")
    page.wait_for_url(lambda u: "unit=QLKH" in u and "year=2022" in u)
    rows = page.locator("[data-testid=event]")
    assert rows.count() == 2
    assert [rows.nth(i).get_attribute("data-action") for i in range(2)] == ["procedure.submit", "procedure.save"]
    assert "2 sự kiện phù hợp" in page.inner_text("[data-testid=total]")
    saved = rows.nth(1)
    assert "10/05/2022 09:30" in saved.inner_text()
    saved.locator("summary").click()
    assert "Cập nhật căn cứ pháp lý năm 2022" in saved.locator("[data-testid=event-details]").inner_text()
    shot(page, "audit-timeline-qlkh-2022")

    saved.locator("[data-testid=object-link]").click()
    page.wait_for_url("**/audit/object/procedure/QT-QLKH-01")
    folded = page.locator("[data-testid=entry]")
    assert [folded.nth(i).get_attribute("data-source") for i in range(folded.count())] == ["event"] * 3
    page.click("[data-testid=lines-all]")
    page.wait_for_url("**lines=all")
    entries = page.locator("[data-testid=entry]")
    sources = [entries.nth(i).get_attribute("data-source") for i in range(entries.count())]
    # one time order, newest first: the demo's import today (event, issue tag, commit), then in 2022
    # the head's submission and the member's save with its commit just under it
    assert sources == ["event", "issue", "commit", "event", "event", "commit"]
    assert entries.nth(5).get_attribute("data-sha") == sha
    assert "10/05/2022 09:30" in entries.nth(5).inner_text()
    shot(page, "audit-object-QT-QLKH-01")

    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Mã sự kiện", "Thời gian", "Thời điểm UTC", "Nguồn"] and rows[0][-2:] == ["prev_hash", "hash"]
    assert [r[9] for r in rows[1:]] == ["store.commit", "procedure.save", "procedure.submit", "store.commit",
                                        "store.issue", "procedure.import"]
    assert rows[1][12] == sha and rows[2][12] == sha and rows[1][2].startswith("2022-05-10T02:30:00")
    assert download.value.suggested_filename.startswith("lich-su-procedure-QT-QLKH-01-")
