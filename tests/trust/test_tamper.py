"""`qms audit-verify` names every kind of tampering with the log or the store, and passes an untouched system."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from app.audit import keys
from app.audit.models import AuditEvent, compute_hash
from app.extensions import db
from tests.audit.conftest import Workflow, client_for, git  # noqa: F401  (client_for: a fixture)


@pytest.fixture
def system(app, make):
    """Two procedures: one issued then withdrawn, one saved twice; accounts and their events."""
    wf = Workflow(make)
    a = wf.create("QT-QLKH-09")
    wf.save(a, "Bước 2")
    wf.issue(a)
    b = wf.create("QT-QLKH-10")
    wf.save(b, "Bước 3")
    wf.save(b, "Bước 4")
    wf.dc.withdraw(wf.leader, a, reason="Hết căn cứ pháp lý")
    db.session.commit()
    wf.a, wf.b = a, b
    return wf


def verify(runner):
    result = runner.invoke(args=["qms", "audit-verify"])
    return result.exit_code, result.output


def _rows():
    return db.session.execute(select(*AuditEvent.__table__.columns).order_by(AuditEvent.id)).all()


def test_an_untouched_system_passes_and_says_store_and_log_agree(system, runner):
    code, out = verify(runner)
    assert code == 0, out
    assert "chain intact" in out and "Store and log agree" in out


def test_deleting_the_last_events_is_named_a_truncated_tail(system, runner):
    last = db.session.scalar(select(func.max(AuditEvent.id)))
    db.session.execute(text("DELETE FROM audit_event WHERE id >= :id"), {"id": last - 1})
    db.session.commit()
    code, out = verify(runner)
    assert code == 1 and "TRUNCATED" in out and f"#{last}" in out


def _rehash_from(index: int, edit=None) -> int:
    """Rewrite rows from `index` on with plain SHA-256 links, as someone without the key would; returns the id."""
    rows = _rows()
    prev = rows[index].prev_hash
    for row in rows[index:]:
        fake = dict(row._mapping) | {"prev_hash": prev}
        if edit and row.id == rows[index].id:
            fake.update(edit)
        new_hash = compute_hash(type("E", (), fake))
        # two steps: the unique prev_hash/hash columns must not collide half-way
        db.session.execute(text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :id"),
                           {"p": f"t{row.id}", "h": f"u{row.id}", "id": row.id})
        db.session.execute(text("UPDATE audit_event SET summary = :s, prev_hash = :p, hash = :h WHERE id = :id"),
                           {"s": fake["summary"], "p": prev, "h": new_hash, "id": row.id})
        prev = new_hash
    db.session.commit()
    return rows[index].id


def test_editing_a_row_and_recomputing_every_later_hash_is_named(system, runner):
    target = _rehash_from(len(_rows()) // 2, {"summary": "đã sửa lén"})
    code, out = verify(runner)
    assert code == 1
    assert f"audit event #{target} does not verify (its hash was recomputed without the audit key)" in out
    assert "RECOMPUTED" in out


def test_editing_a_row_is_named(system, runner):
    target = _rows()[3]
    db.session.execute(text("UPDATE audit_event SET summary = 'sửa' WHERE id = :id"), {"id": target.id})
    db.session.commit()
    code, out = verify(runner)
    assert code == 1 and f"audit event #{target.id} does not verify (its content was altered)" in out


def test_deleting_a_row_in_the_middle_is_named(system, runner):
    target = _rows()[4]
    db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": target.id})
    db.session.commit()
    code, out = verify(runner)
    assert code == 1 and f"audit event #{target.id + 1} does not verify" in out and "deleted" in out


def test_reordering_two_rows_is_named(system, runner):
    r = _rows()
    a, b = r[3], r[4]
    cols = ("occurred_at", "actor_id", "actor_name", "action", "object_type", "object_id", "unit_code", "summary",
            "payload", "prev_hash", "hash")
    db.session.execute(text("UPDATE audit_event SET prev_hash = 'x1', hash = 'y1' WHERE id = :id"), {"id": a.id})
    db.session.execute(text("UPDATE audit_event SET prev_hash = 'x2', hash = 'y2' WHERE id = :id"), {"id": b.id})
    for row, target in ((a, b.id), (b, a.id)):
        db.session.execute(text(f"UPDATE audit_event SET {', '.join(f'{c} = :{c}' for c in cols)} WHERE id = :id"),
                           {c: getattr(row, c) for c in cols} | {"id": target})
    db.session.commit()
    code, out = verify(runner)
    assert code == 1 and f"audit event #{a.id} does not verify" in out and "reordered" in out


def test_a_forged_row_appended_without_the_key_is_named(system, runner):
    tail = _rows()[-1]
    fake = {"occurred_at": tail.occurred_at, "actor_id": None, "actor_name": "Giả", "action": "procedure.save",
            "object_type": "procedure", "object_id": "QT-QLKH-09", "unit_code": "QLKH", "summary": "giả",
            "payload": "{}", "prev_hash": tail.hash}
    fake["hash"] = compute_hash(type("E", (), fake))
    db.session.execute(AuditEvent.__table__.insert().values(**fake))
    db.session.commit()
    code, out = verify(runner)
    assert code == 1 and "recomputed without the audit key" in out


def test_moving_an_issue_tag_is_named(system, runner):
    root = system.store.root
    git(root, "tag", "-f", "-a", "-m", "Procedure: QT-QLKH-09\nIssue: 1\nEffective: 2030-01-01\n",
        "QT-QLKH-09/issue-1", system.b.current_revision)
    code, out = verify(runner)
    assert code == 1 and "MOVED_TAG" in out and "QT-QLKH-09/issue-1" in out


def test_deleting_an_issue_tag_is_named(system, runner):
    git(system.store.root, "tag", "-d", "QT-QLKH-09/issue-1")
    code, out = verify(runner)
    assert code == 1 and "DELETED_TAG" in out and "QT-QLKH-09/issue-1" in out


def test_deleting_a_withdrawal_tag_is_named(system, runner):
    name = [t for t in git(system.store.root, "tag", "-l").split() if "withdrawn" in t][0]
    git(system.store.root, "tag", "-d", name)
    code, out = verify(runner)
    assert code == 1 and "DELETED_TAG" in out and name in out


def test_a_commit_made_directly_in_the_store_is_named_and_fsck_records_it(system, runner):
    root = system.store.root
    path = root / "QT-QLKH-10.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThêm ngoài ứng dụng.\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "Sửa ngoài ứng dụng")
    sha = git(root, "rev-parse", "HEAD")
    code, out = verify(runner)
    assert code == 1 and f"UNRECORDED_COMMIT: unrecorded commit {sha}" in out
    fsck = runner.invoke(args=["qms", "fsck"])
    assert fsck.exit_code == 0 and f"recorded as recovered: commit {sha}" in fsck.output
    ev = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "procedure.recovered"))
    assert ev.object_id == "QT-QLKH-10" and json.loads(ev.payload)["revision"] == sha
    assert verify(runner)[0] == 0
    again = runner.invoke(args=["qms", "fsck"])
    assert "Database and store agree." in again.output


def test_a_tag_made_directly_in_the_store_is_named(system, runner):
    git(system.store.root, "tag", "-a", "-m", "Procedure: QT-QLKH-10\nIssue: 1\nEffective: 2030-01-01\n",
        "QT-QLKH-10/issue-1", system.b.current_revision)
    code, out = verify(runner)
    assert code == 1 and "UNRECORDED_TAG" in out and "QT-QLKH-10/issue-1" in out


def test_an_empty_log_beside_a_populated_store_is_named(system, runner):
    db.session.execute(text("DELETE FROM audit_event"))
    db.session.commit()
    code, out = verify(runner)
    assert code == 1 and "EMPTY_LOG" in out and "TRUNCATED" in out


def test_an_empty_log_is_named_even_without_the_anchor(system, runner, app):
    db.session.execute(text("DELETE FROM audit_event"))
    db.session.commit()
    (keys.Path(app.config["QMS_DATA_DIR"]) / keys.ANCHOR_FILE).unlink()
    code, out = verify(runner)
    assert code == 1 and "EMPTY_LOG" in out


def test_a_missing_key_file_is_named(system, runner, app):
    (keys.Path(app.config["QMS_DATA_DIR"]) / keys.KEY_FILE).unlink()
    app.extensions.pop("qms_audit_key", None)
    code, out = verify(runner)
    assert code == 1 and "KEY_MISSING" in out


def test_events_written_before_the_key_still_verify(app, make, runner):
    """A log from before migration 0006: plain hashes up to `keyed_after`, keyed hashes after."""
    from app.audit import services

    for i in range(3):
        ev = services.record(None, "test.legacy", "account", str(i), "cũ", {"i": i})
        db.session.execute(text("UPDATE audit_event SET hash = :h WHERE id = :id"),
                           {"h": compute_hash(ev), "id": ev.id})
        db.session.commit()
        db.session.expire_all()
    # the key file is remade as the migration would make it: the three events are legacy
    data_dir = keys.Path(app.config["QMS_DATA_DIR"])
    (data_dir / keys.KEY_FILE).unlink()
    (data_dir / keys.ANCHOR_FILE).unlink()
    app.extensions.pop("qms_audit_key", None)
    _rehash_from(0)  # a legacy writer's chain: plain hashes, linked
    keys.ensure_key(data_dir, lambda: db.session.scalar(select(func.max(AuditEvent.id))))
    make.user("member", unit="QLKH")        # new events, keyed, chained onto the legacy tail
    code, out = verify(runner)
    assert code == 0, out


def test_the_history_page_shows_a_truncated_tail_too(system, client_for, make):
    committee = make.user("committee")
    client = client_for(committee)
    assert 'data-testid="chain-status" data-ok="1"' in client.get("/audit/").get_data(as_text=True)
    last = db.session.scalar(select(func.max(AuditEvent.id)))
    db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": last})
    db.session.commit()
    html = client.get("/audit/?recheck=1").get_data(as_text=True)
    assert f'data-ok="0" data-broken-id="{last}"' in html and "các sự kiện cuối của nhật ký đã bị xóa" in html
