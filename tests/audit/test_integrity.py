"""Integrity shown, not assumed: a broken chain and a rewritten store history are named on the page and by the CLI."""
from __future__ import annotations

import re

from sqlalchemy import select, text

from app.audit import integrity
from app.audit.models import AuditEvent
from app.extensions import db
from tests.audit.conftest import git


def _tamper_third_event():
    target = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[2]
    db.session.execute(text("UPDATE audit_event SET summary = 'sửa lén' WHERE id = :id"), {"id": target.id})
    db.session.commit()
    return target.id


def test_a_broken_chain_is_named_on_the_page_and_by_the_cli_alike(app, make, client_for, runner):
    committee = make.user("committee")
    make.user("member", unit="QLKH")
    broken = _tamper_third_event()
    html = client_for(committee).get("/audit/").get_data(as_text=True)
    assert f'data-testid="chain-status" data-ok="0" data-broken-id="{broken}"' in html
    assert f"KHÔNG toàn vẹn kể từ sự kiện #{broken}" in html and "đã bị sửa sau khi ghi" in html
    assert 'data-testid="unverified">Bị sửa<' in html
    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 1 and f"audit event #{broken} does not verify" in result.output


def test_a_slow_verdict_is_cached_until_someone_asks_to_check_again(app, make, client_for, monkeypatch):
    make.user("member", unit="QLKH")
    client = client_for(make.user("committee"))
    assert 'data-ok="1"' in client.get("/audit/").get_data(as_text=True)
    broken = _tamper_third_event()
    assert 'data-testid="chain-status" data-ok="1"' in client.get("/audit/").get_data(as_text=True)
    html = client.get("/audit/?recheck=1").get_data(as_text=True)
    assert f'data-broken-id="{broken}"' in html


def test_events_appended_after_a_cached_verdict_are_verified_on_top_of_it(app, make, client_for, monkeypatch):
    make.user("member", unit="QLKH")
    client = client_for(make.user("committee"))
    first = client.get("/audit/").get_data(as_text=True)
    count = int(re.search(r"toàn vẹn: (\d+) sự kiện", first).group(1))
    make.user("member", unit="QLKH")                     # one more event, appended and chained
    assert f"toàn vẹn: {count + 1} sự kiện" in client.get("/audit/").get_data(as_text=True)
    late = make.user("head", unit="QLKH")                # appended, then altered behind the application's back
    row = db.session.scalar(select(AuditEvent).where(AuditEvent.object_id == str(late.id)))
    db.session.execute(text("UPDATE audit_event SET summary = 'sửa lén' WHERE id = :id"), {"id": row.id})
    db.session.commit()
    assert f'data-broken-id="{row.id}"' in client.get("/audit/").get_data(as_text=True)


def _rewrite_last_commit_with_reset(workflow, proc):
    root = workflow.store.root
    git(root, "reset", "-q", "--hard", "HEAD~1")
    path = root / f"{proc.code}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nBước 2: nội dung khác, chèn lại sau.\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "Sửa lại lịch sử")


def test_a_commit_reset_away_is_named_on_the_page_and_fails_the_cli(app, make, client_for, runner, workflow):
    proc = workflow.create()
    saved = workflow.save(proc)
    assert runner.invoke(args=["qms", "audit-verify"]).exit_code == 0
    _rewrite_last_commit_with_reset(workflow, proc)

    client = client_for(make.user("committee"))
    html = client.get("/audit/").get_data(as_text=True)
    assert 'data-testid="store-status" data-ok="0"' in html
    assert f'data-testid="store-problem" data-sha="{saved}"' in html
    assert "không còn thuộc nhánh chính" in html
    obj = client.get("/audit/object/procedure/QT-QLKH-09").get_data(as_text=True)
    assert f'data-sha="{saved}" class="table-danger"' in obj
    assert "Commit này không còn thuộc nhánh chính" in obj

    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 1
    assert f"REWRITTEN: commit {saved} of QT-QLKH-09" in result.output
    assert f"the store's history was rewritten: recorded commit {saved} (QT-QLKH-09) is missing from main" in result.output


def test_an_amended_commit_is_named_too(app, make, client_for, runner, workflow):
    proc = workflow.create()
    saved = workflow.save(proc)
    git(workflow.store.root, "commit", "-q", "--amend", "-m", "Thông điệp đã sửa")
    html = client_for(make.user("leadership")).get("/audit/").get_data(as_text=True)
    assert f'data-sha="{saved}"' in html
    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 1 and saved in result.output


def test_the_log_remembers_a_rewritten_commit_after_fsck_prunes_the_mirror(app, make, client_for, runner, workflow):
    proc = workflow.create()
    saved = workflow.save(proc)
    _rewrite_last_commit_with_reset(workflow, proc)
    assert runner.invoke(args=["qms", "fsck"]).exit_code == 0
    from app.procedures.models import ProcedureRevision

    assert db.session.scalar(select(ProcedureRevision).where(ProcedureRevision.sha == saved)) is None
    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 1 and f"commit {saved} of QT-QLKH-09" in result.output and "audit event(s) #" in result.output


def test_a_commit_gone_from_the_object_database_is_reported_as_removed(app, make, client_for, runner, workflow):
    proc = workflow.create()
    saved = workflow.save(proc)
    root = workflow.store.root
    git(root, "reset", "-q", "--hard", "HEAD~1")
    git(root, "reflog", "expire", "--expire-unreachable=now", "--all")
    git(root, "gc", "-q", "--prune=now")
    html = client_for(make.user("admin")).get("/audit/").get_data(as_text=True)
    assert f'data-sha="{saved}"' in html and "không còn tồn tại trong kho" in html
    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 1 and "no longer exists in the store" in result.output


def test_an_untouched_store_passes_the_cli_check(app, runner, workflow):
    proc = workflow.create()
    workflow.save(proc)
    workflow.issue(proc)
    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 0, result.output
    assert "Store history OK: 3 recorded commits, all on main." in result.output
    assert "chain intact" in result.output


def test_a_unit_sees_the_rewritten_commits_of_its_own_procedures_only(app, make, client_for, workflow):
    proc = workflow.create()
    saved = workflow.save(proc)
    _rewrite_last_commit_with_reset(workflow, proc)
    own = client_for(workflow.head).get("/audit/unit/QLKH").get_data(as_text=True)
    assert f'data-testid="store-problem" data-sha="{saved}"' in own
    other = client_for(make.user("head", unit="VP")).get("/audit/unit/VP").get_data(as_text=True)
    assert saved not in other and 'data-testid="store-status"' not in other
