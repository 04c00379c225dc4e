"""CAPA actions are planned forward and can be corrected or removed while the plan can change (issue #11, 8)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.capa import services
from app.capa.services import CapaError
from app.extensions import db
from app.timeutil import local_today
from tests.capa.conftest import drive


def test_an_action_due_in_the_past_is_refused(people):
    capa = drive(people, "analysed", actions=0)
    with pytest.raises(CapaError) as exc:
        services.add_action(people.member, capa, description="Trễ ngay từ đầu",
                            due_on=local_today() - timedelta(days=1))
    assert exc.value.key == "due_in_past"


def test_an_open_action_can_be_corrected_and_removed_with_audit_events(people):
    capa = drive(people, "analysed", actions=1)
    action = services.add_action(people.member, capa, description="Viết sai", due_on=local_today() + timedelta(days=5))
    seq = action.seq
    services.edit_action(people.member, capa, seq, description="Viết đúng", due_on=local_today() + timedelta(days=9))
    assert action.description == "Viết đúng" and action.due_on == local_today() + timedelta(days=9)
    with pytest.raises(CapaError) as exc:
        services.edit_action(people.member, capa, seq, description="X", due_on=local_today() - timedelta(days=3))
    assert exc.value.key == "due_in_past"
    services.remove_action(people.member, capa, seq)
    db.session.commit()
    assert seq not in [a.seq for a in capa.actions]
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == capa.number)).all()
    assert "capa.action_edit" in actions and "capa.action_remove" in actions
