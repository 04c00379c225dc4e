"""The verified checkpoint: a new process verifies only what is newer, yet nothing older escapes a full check.

"A new process" here is the application with its in-process memory of verdicts cleared: what a restarted
worker has, with the data directory (audit.key, the anchor, the checkpoint) and the database as they were.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.audit import checkpoint, integrity, services
from app.audit.models import AuditEvent
from app.extensions import db
from tests.audit.conftest import git, utc


@pytest.fixture
def committee(make):
    for i in range(6):
        make.user("member", unit="QLKH", username=f"member{i}")
    return make.user("committee")


@pytest.fixture
def reads(monkeypatch):
    """How many events the chain's verification reads (each one checked once)."""
    seen = []
    original = services.check_event

    def counting(ev, key, expected_prev):
        seen.append(ev.id)
        return original(ev, key, expected_prev)

    monkeypatch.setattr(services, "check_event", counting)
    return seen


def new_process(app):
    """Forget everything this process remembered about the chain, as a restarted worker would."""
    app.extensions.pop("qms_audit_integrity", None)


def checkpoint_path(app) -> Path:
    return Path(app.config["QMS_DATA_DIR"]) / checkpoint.CHECKPOINT_FILE


def total_events() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


def tamper(nth: int = 2) -> int:
    target = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()[nth]
    db.session.execute(text("UPDATE audit_event SET summary = 'sửa lén' WHERE id = :id"), {"id": target})
    db.session.commit()
    return target


def verdict(html: str) -> str:
    start = html.index('data-testid="chain-status"')
    return html[start:html.index("</div>", start)]


def test_audit_verify_leaves_a_checkpoint_a_new_process_starts_from(app, committee, client_for, runner, reads):
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    assert len(reads) == total_events()                      # audit-verify walks the whole chain
    saved = json.loads(checkpoint_path(app).read_text())
    assert saved["event_id"] == db.session.scalar(select(func.max(AuditEvent.id))) and saved["mac"]

    client = client_for(committee)                           # signing in appends an event
    new_process(app)
    reads.clear()
    html = client.get("/audit/").get_data(as_text=True)
    newer = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.id > saved["event_id"]))
    assert 0 < newer < total_events()
    assert len(reads) == newer                               # only the events after the checkpoint
    assert 'data-testid="chain-status" data-ok="1"' in html
    assert f"{newer} sự kiện mới hơn đã được kiểm tra lúc" in html
    assert "Các sự kiện cũ hơn được bảo đảm theo lần kiểm tra toàn bộ lúc" in html
    # the checkpoint moved forward: the next new process reads nothing
    new_process(app)
    reads.clear()
    assert 'data-ok="1"' in client.get("/audit/").get_data(as_text=True)
    assert reads == []


def test_an_edited_checkpoint_is_ignored_named_and_the_whole_chain_walked(app, committee, client_for, runner, reads):
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    broken = tamper()
    # someone without the key rewrites the checkpoint to vouch for the edited event: same MAC, other content
    path = checkpoint_path(app)
    data = json.loads(path.read_text())
    data["full_at"] = data["checked_at"] = "2099-01-01T00:00:00.000000+00:00"
    path.write_text(json.dumps(data))
    client = client_for(committee)
    new_process(app)
    reads.clear()
    html = client.get("/audit/").get_data(as_text=True)
    assert 'data-testid="checkpoint-warning" data-note="checkpoint_invalid"' in html
    assert "không hợp lệ: nó đã bị sửa hoặc không được ký bằng khóa của nhật ký" in html
    assert f'data-testid="chain-status" data-ok="0" data-broken-id="{broken}"' in html
    assert reads[0] == db.session.scalar(select(func.min(AuditEvent.id)))   # walked from the first event


def test_a_made_up_checkpoint_file_is_ignored(app, committee, client_for, reads):
    path = checkpoint_path(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    client = client_for(committee)
    new_process(app)
    html = client.get("/audit/").get_data(as_text=True)
    assert 'data-note="checkpoint_invalid"' in html and 'data-ok="1"' in html
    new_process(app)                                        # the walk left a valid checkpoint behind
    assert 'data-testid="checkpoint-warning"' not in client.get("/audit/").get_data(as_text=True)


def test_an_event_edited_before_the_checkpoint_is_found_by_check_again_and_by_audit_verify(
        app, committee, client_for, runner):
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    broken = tamper()
    client = client_for(committee)
    new_process(app)
    html = client.get("/audit/").get_data(as_text=True)
    # older events rest on the last full walk, and the page says so
    assert 'data-ok="1"' in html and "Các sự kiện cũ hơn được bảo đảm theo lần kiểm tra toàn bộ lúc" in html
    html = client.get("/audit/?recheck=1").get_data(as_text=True)
    assert f'data-testid="chain-status" data-ok="0" data-broken-id="{broken}"' in html
    # the finding is kept in the checkpoint: every other process shows it from its next page on
    new_process(app)
    assert f'data-broken-id="{broken}"' in client.get("/audit/").get_data(as_text=True)
    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 1 and f"audit event #{broken} does not verify" in result.output


def test_audit_verify_finds_an_event_edited_before_the_checkpoint_on_its_own(app, committee, runner):
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    broken = tamper(4)
    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 1 and f"audit event #{broken} does not verify" in result.output


def test_an_edit_of_the_checkpoints_own_event_makes_the_page_walk_the_whole_chain(app, committee, client_for,
                                                                                    runner):
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    last = json.loads(checkpoint_path(app).read_text())["event_id"]
    db.session.execute(text("UPDATE audit_event SET hash = :h WHERE id = :id"), {"h": "f" * 64, "id": last})
    db.session.commit()
    client = client_for(committee)
    new_process(app)
    html = client.get("/audit/").get_data(as_text=True)
    assert 'data-note="checkpoint_changed"' in html
    assert 'data-testid="chain-status" data-ok="0"' in html


def test_the_verdict_says_when_the_whole_chain_and_the_newer_events_were_checked(app, committee, client_for, make,
                                                                                 monkeypatch):
    app.config["QMS_AUDIT_VERIFY_TTL"] = 7 * 86400
    monkeypatch.setattr(integrity, "utcnow", lambda: utc(2026, 11, 30, 3, 15))
    client = client_for(committee)
    html = client.get("/audit/").get_data(as_text=True)          # no checkpoint yet: the whole chain, now
    assert "Toàn bộ chuỗi vừa được kiểm tra lúc 30/11/2026 10:15." in verdict(html)
    make.user("member", unit="QLKH")
    make.user("member", unit="QLKH")
    monkeypatch.setattr(integrity, "utcnow", lambda: utc(2026, 11, 30, 4, 20))
    new_process(app)
    html = client.get("/audit/").get_data(as_text=True)
    assert ("Chuỗi đã được kiểm tra toàn bộ lúc 30/11/2026 10:15; 2 sự kiện mới hơn đã được kiểm tra "
            "lúc 30/11/2026 11:20.") in verdict(html)
    assert "Các sự kiện cũ hơn được bảo đảm theo lần kiểm tra toàn bộ lúc 30/11/2026 10:15." in verdict(html)
    committee.locale = "en"
    db.session.commit()
    english = client_for(committee).get("/audit/").get_data(as_text=True)
    assert "The whole chain was checked at 30/11/2026 10:15;" in verdict(english)
    assert "Older events are vouched for by the full check of 30/11/2026 10:15." in verdict(english)


def test_a_full_check_past_its_time_runs_in_the_background_and_its_finding_reaches_every_process(
        app, committee, client_for, runner):
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    broken = tamper()
    client = client_for(committee)
    app.config["QMS_AUDIT_VERIFY_TTL"] = 0
    new_process(app)
    try:
        resp = client.get("/audit/")
        html = resp.get_data(as_text=True)
        resp.close()                      # the page is sent: the full walk starts now, in another process
        # the page does not wait for the full walk: it shows the checkpoint's verdict and says a check runs
        assert 'data-ok="1"' in html and "Đang kiểm tra lại toàn bộ chuỗi ở chế độ nền" in html
    finally:
        integrity.wait_background()
    new_process(app)
    try:
        resp = client.get("/audit/")
        assert f'data-broken-id="{broken}"' in resp.get_data(as_text=True)
        resp.close()
    finally:
        integrity.wait_background()


def test_check_again_on_a_long_log_walks_in_the_background_and_the_next_page_shows_the_finding(
        app, committee, client_for, runner, reads):
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    broken = tamper()
    client = client_for(committee)
    app.config["QMS_AUDIT_PAGE_WALK_EVENTS"] = 3          # this log counts as long: seconds to walk
    new_process(app)
    reads.clear()
    try:
        resp = client.get("/audit/?kind=procedure&recheck=1")
        html = resp.get_data(as_text=True)
        resp.close()                      # the page is sent: the full walk starts now, in another process
        # the page did not walk the chain: it shows the checkpoint's verdict, says a check runs, and links
        # to the same page without "check again"
        assert len(reads) < total_events() // 2
        assert 'data-ok="1"' in verdict(html) and 'data-testid="rechecking"' in verdict(html)
        assert 'href="/audit/?kind=procedure" data-testid="see-result">Xem kết quả<' in html
    finally:
        integrity.wait_background()
    html = client.get("/audit/?kind=procedure").get_data(as_text=True)   # the same process, the next page
    assert f'data-testid="chain-status" data-ok="0" data-broken-id="{broken}"' in html
    assert 'data-testid="see-result"' not in html


# -- the store-history check, from the state the checkpoint keeps ------------------------------------
@pytest.fixture
def checked(monkeypatch):
    """The recorded commits the store-history check looks up in the store."""
    seen = []
    original = integrity._verdicts

    def counting(st, shas, reachable):
        seen.extend(shas)
        return original(st, shas, reachable)

    monkeypatch.setattr(integrity, "_verdicts", counting)
    return seen


def test_a_new_process_checks_only_the_commits_recorded_since_the_last_store_check(
        app, committee, client_for, runner, workflow, checked):
    proc = workflow.create()
    workflow.save(proc)
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    assert json.loads(checkpoint_path(app).read_text())["store"]["checked"] == 2
    newer = workflow.save(proc, "Bước 3: phê duyệt.")
    client = client_for(committee)
    new_process(app)
    checked.clear()
    html = client.get("/audit/").get_data(as_text=True)
    assert checked == [newer]                                # not the two commits checked before
    assert 'data-testid="store-status" data-ok="1"' in html and "3 commit đã ghi nhận" in html
    new_process(app)
    checked.clear()
    assert 'data-testid="store-status" data-ok="1"' in client.get("/audit/").get_data(as_text=True)
    assert checked == []
    client.get("/audit/?recheck=1")                          # a full walk of the chain keeps the store's state
    new_process(app)
    checked.clear()
    assert 'data-testid="store-status" data-ok="1"' in client.get("/audit/").get_data(as_text=True)
    assert checked == []


def test_a_commit_recorded_after_the_last_store_check_then_reset_away_is_named(
        app, committee, client_for, runner, workflow):
    proc = workflow.create()
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    saved = workflow.save(proc)
    git(workflow.store.root, "reset", "-q", "--hard", "HEAD~1")   # main is back at the tip the check saved
    client = client_for(committee)
    new_process(app)
    html = client.get("/audit/").get_data(as_text=True)
    assert f'data-testid="store-problem" data-sha="{saved}"' in html


def test_a_history_rewritten_below_the_saved_tip_is_named(app, committee, client_for, runner, workflow):
    proc = workflow.create()
    saved = workflow.save(proc)
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    git(workflow.store.root, "commit", "-q", "--amend", "-m", "Thông điệp đã sửa")
    client = client_for(committee)
    new_process(app)
    html = client.get("/audit/").get_data(as_text=True)
    assert f'data-testid="store-problem" data-sha="{saved}"' in html
