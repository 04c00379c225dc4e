"""The audit log is a hash chain: intact logs verify, edited rows are named, the model refuses changes."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update

from app.audit import services
from app.audit.models import GENESIS_HASH, AuditEvent, AuditImmutableError
from app.extensions import db


def _events(n, actor=None):
    for i in range(n):
        services.record(actor, "test.event", "procedure", f"QT-VP-0{i}", f"sự kiện {i}", {"i": i, "tên": "Đăng ký"})
    db.session.commit()


def test_each_event_links_to_the_previous_ones_hash(app):
    _events(3)
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert rows[0].prev_hash == GENESIS_HASH
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]


def test_an_untouched_log_verifies(app, runner):
    _events(5)
    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_editing_a_row_in_the_database_is_detected_and_named(app, runner):
    _events(5)
    target = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[2]
    db.session.execute(text("UPDATE audit_event SET summary = 'sửa lén' WHERE id = :id"), {"id": target.id})
    db.session.commit()
    result = runner.invoke(args=["qms", "audit-verify"])
    assert result.exit_code == 1
    assert f"#{target.id}" in result.output


def test_deleting_a_row_in_the_database_is_detected(app):
    _events(4)
    second = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()[1]
    db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": second})
    db.session.commit()
    report = services.verify_chain()
    assert not report.ok and report.first_broken_id == second + 1 and report.reason == "link"


def test_the_model_refuses_to_update_an_event(app):
    _events(1)
    event = db.session.scalar(select(AuditEvent))
    event.summary = "changed"
    with pytest.raises(AuditImmutableError):
        db.session.flush()
    db.session.rollback()


def test_the_model_refuses_to_delete_an_event(app):
    _events(1)
    db.session.delete(db.session.scalar(select(AuditEvent)))
    with pytest.raises(AuditImmutableError):
        db.session.flush()
    db.session.rollback()


def test_bulk_update_and_delete_statements_are_refused(app):
    _events(1)
    with pytest.raises(AuditImmutableError):
        db.session.execute(update(AuditEvent).values(summary="x"))
    with pytest.raises(AuditImmutableError):
        db.session.execute(delete(AuditEvent))
    db.session.rollback()


def test_two_events_cannot_share_a_predecessor(app):
    """The unique prev_hash makes a forked chain impossible, whatever the race."""
    _events(1)
    tail = db.session.scalar(select(AuditEvent))
    from app.audit.models import compute_hash
    from app.timeutil import utcnow

    fork = AuditEvent(occurred_at=utcnow(), action="x", object_type="y", prev_hash=tail.prev_hash, payload="{}")
    fork.hash = compute_hash(fork)
    db.session.add(fork)
    with pytest.raises(Exception):
        db.session.flush()
    db.session.rollback()
