"""CAPA workflow rules: numbering, each transition with its guards, and the audit event beside each change.

Every function takes the acting user, flushes and never commits: the route commits once. The state
machine: (proposed ->) open -> analysed -> planned -> in_progress -> verified -> closed, "not
effective" back to analysed (planning), and cancelled (with a reason) from any state that is not final.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from app.audit.messages import message
from app.audit.services import record
from app.auth import permissions as perm
from app.capa.models import (ANALYSED, CANCELLED, CLOSED, IN_PROGRESS, KINDS, OPEN, PLANNED, PLANNING_STATES,
                             PROPOSED, SOURCES, VERIFIED, Capa, CapaAction, CapaCounter, CapaProcedure,
                             CapaVerification)
from app.extensions import db
from app.timeutil import local_today, local_year, utcnow


class CapaError(Exception):
    """A transition the record's state, its data or the user's role does not allow; `key` names it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class PermissionDenied(CapaError):
    def __init__(self):
        super().__init__("forbidden")


def _allow(ok: bool) -> None:
    if not ok:
        raise PermissionDenied()


def _require(ok: bool, key: str) -> None:
    if not ok:
        raise CapaError(key)


def _text(value) -> str:
    return (value or "").strip()


def _audit(actor, action: str, capa: Capa, summary: str, payload: dict | None = None) -> None:
    capa.updated_at = utcnow()
    record(actor, action, "capa", capa.number, summary, payload, unit_code=capa.unit_code)


# -- numbering ---------------------------------------------------------------------------------
def format_number(year: int, seq: int) -> str:
    return f"CAPA-{year}-{seq:03d}"


def next_number(year: int) -> tuple[int, str]:
    """Take the next number of `year` inside the caller's transaction.

    The counter row is incremented with one UPDATE ... RETURNING: on PostgreSQL the row stays locked
    until the transaction ends, on SQLite the write lock does the same, so a concurrent creation waits
    and then gets the following number; a rollback gives the number back, so numbers have no gaps.
    This must be the transaction's first write on SQLite (a reader upgrading to writer can deadlock).
    """
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        db.session.execute(insert(CapaCounter).values(year=year, last=0)
                           .on_conflict_do_nothing(index_elements=["year"]))
        seq = db.session.execute(
            update(CapaCounter).where(CapaCounter.year == year).values(last=CapaCounter.last + 1)
            .returning(CapaCounter.last).execution_options(synchronize_session=False)).scalar_one()
    else:  # other databases: lock the row, create it on first use
        row = db.session.scalar(select(CapaCounter).where(CapaCounter.year == year).with_for_update())
        if row is None:
            row = CapaCounter(year=year, last=0)
            db.session.add(row)
        row.last += 1
        seq = row.last
        db.session.flush()
    return seq, format_number(year, seq)


# -- creation ----------------------------------------------------------------------------------
def review_model():
    """The reviews feature's Review model when that feature is installed, else None."""
    try:
        from app.reviews.models import Review
    except (ImportError, AttributeError):
        return None
    return Review


def _check_review(review_id: int | None) -> None:
    if review_id is None:
        return
    model = review_model()
    if model is not None and db.session.get(model, review_id) is None:
        raise CapaError("unknown_review")


def propose(actor, *, kind: str, source: str, title: str, description: str, unit=None, procedures=(),
            review_id: int | None = None, year: int | None = None) -> Capa:
    """Anyone signed in raises a record; raised by the secretary with a unit, it is accepted at once."""
    _allow(perm.can_propose_capa(actor))
    _require(kind in KINDS, "invalid_kind")
    _require(source in SOURCES, "invalid_source")
    _require(bool(_text(title)), "title_required")
    _require(bool(_text(description)), "description_required")
    _check_review(review_id)
    year = year or local_year()
    seq, number = next_number(year)  # first write of the transaction (see next_number)
    capa = Capa(number=number, year=year, seq=seq, kind=kind, source=source, title=_text(title)[:300],
                description=_text(description), status=PROPOSED, unit=unit, raised_by_id=actor.id,
                raised_at=utcnow(), review_id=review_id)
    db.session.add(capa)
    for proc in procedures:
        _add_link(capa, proc)
    db.session.flush()
    _audit(actor, "capa.create", capa, f"Lập phiếu {number}: {capa.title}",
           {"kind": kind, "source": source, "unit": capa.unit_code, "review_id": review_id,
            "procedures": [{"code": link.procedure.code, "revision": link.revision} for link in capa.links]})
    if unit is not None and perm.can_accept_capa(actor, capa):
        accept(actor, capa, unit)
    return capa


def _add_link(capa: Capa, proc) -> CapaProcedure:
    # the revision in force when the problem was seen, so the record still says which text it concerned
    link = CapaProcedure(procedure=proc, revision=proc.issued_revision, linked_at=utcnow())
    capa.links.append(link)
    return link


# -- transitions -------------------------------------------------------------------------------
def accept(actor, capa: Capa, unit, note: str = "") -> None:
    _allow(perm.can_accept_capa(actor, capa))
    _require(capa.status == PROPOSED, "wrong_state")
    _require(unit is not None, "unit_required")
    capa.unit, capa.status, capa.accepted_at = unit, OPEN, utcnow()
    db.session.flush()
    _audit(actor, "capa.accept", capa, f"Tiếp nhận phiếu {capa.number}, giao {unit.code}",
           {"unit": unit.code, "note": _text(note)})


def analyse(actor, capa: Capa, *, root_cause: str, similar_elsewhere: bool | None, similar_note: str = "") -> None:
    """Record the root cause and whether similar problems exist elsewhere (may be revised while planning)."""
    _allow(perm.can_act_on_capa(actor, capa))
    _require(capa.status in (OPEN, ANALYSED), "wrong_state")
    _require(bool(_text(root_cause)), "root_cause_required")
    _require(similar_elsewhere is not None, "similar_required")
    capa.root_cause, capa.similar_elsewhere, capa.similar_note = _text(root_cause), similar_elsewhere, \
        _text(similar_note)
    capa.status, capa.analysed_at = ANALYSED, utcnow()
    _audit(actor, "capa.analyse", capa, f"Phân tích nguyên nhân phiếu {capa.number}",
           {"root_cause": capa.root_cause, "similar_elsewhere": similar_elsewhere, "similar_note": capa.similar_note})


def add_action(actor, capa: Capa, *, description: str, due_on: date | None, owner_unit=None,
               owner_user=None, planned_on: date | None = None) -> CapaAction:
    """`planned_on` is the day the action is planned (today; the demo plans its history in the past):
    a due date before it is refused."""
    _allow(perm.can_act_on_capa(actor, capa))
    _require(capa.status in PLANNING_STATES, "wrong_state")
    _require(bool(_text(description)), "action_description_required")
    _require(due_on is not None, "due_required")
    _require(due_on >= (planned_on or local_today()), "due_in_past")
    owner_unit = owner_unit or (owner_user.unit if owner_user is not None else None) or capa.unit
    _require(owner_unit is not None or owner_user is not None, "owner_required")
    seq = max((a.seq for a in capa.actions), default=0) + 1
    action = CapaAction(seq=seq, description=_text(description), due_on=due_on, owner_unit=owner_unit,
                        owner_user=owner_user, created_at=utcnow())
    capa.actions.append(action)
    db.session.flush()
    _audit(actor, "capa.action_add", capa, f"Thêm hành động {seq} vào phiếu {capa.number}",
           {"action": seq, "description": action.description, "due_on": due_on.isoformat(),
            "owner": action.owner_label})
    return action


def _open_action(capa: Capa, seq: int) -> CapaAction:
    action = next((a for a in capa.actions if a.seq == seq), None)
    _require(action is not None, "no_such_action")
    _require(action.is_open, "action_done")
    return action


def edit_action(actor, capa: Capa, seq: int, *, description: str, due_on: date | None) -> CapaAction:
    """Correct an action not yet done while the plan can change; a new due date may not be in the past."""
    _allow(perm.can_act_on_capa(actor, capa))
    _require(capa.status in PLANNING_STATES, "wrong_state")
    action = _open_action(capa, seq)
    _require(bool(_text(description)), "action_description_required")
    _require(due_on is not None, "due_required")
    _require(due_on == action.due_on or due_on >= local_today(), "due_in_past")
    before = {"description": action.description, "due_on": action.due_on.isoformat()}
    action.description, action.due_on = _text(description), due_on
    db.session.flush()
    _audit(actor, "capa.action_edit", capa, f"Sửa hành động {seq} của phiếu {capa.number}",
           {"action": seq, "before": before, "after": {"description": action.description, "due_on": due_on.isoformat()},
            **message("capa.action_edit", seq=seq, number=capa.number)})
    return action


def remove_action(actor, capa: Capa, seq: int) -> None:
    """Remove an action not yet done from the plan; the audit event keeps what it said."""
    _allow(perm.can_act_on_capa(actor, capa))
    _require(capa.status in PLANNING_STATES, "wrong_state")
    action = _open_action(capa, seq)
    _require(capa.status == ANALYSED or len(capa.open_actions) > 1, "no_open_actions")
    removed = {"action": seq, "description": action.description, "due_on": action.due_on.isoformat(),
               "owner": action.owner_label}
    capa.actions.remove(action)
    db.session.delete(action)
    db.session.flush()
    _audit(actor, "capa.action_remove", capa, f"Bỏ hành động {seq} khỏi phiếu {capa.number}",
           {**removed, **message("capa.action_remove", seq=seq, number=capa.number)})


def plan(actor, capa: Capa) -> None:
    """The unit confirms its plan: at least one action still to do."""
    _allow(perm.can_act_on_capa(actor, capa))
    _require(capa.status == ANALYSED, "wrong_state")
    _require(bool(capa.open_actions), "no_open_actions")
    capa.status = PLANNED
    _audit(actor, "capa.plan", capa, f"Xác nhận kế hoạch hành động phiếu {capa.number}",
           {"actions": [a.seq for a in capa.open_actions]})


def start(actor, capa: Capa) -> None:
    _allow(perm.can_act_on_capa(actor, capa))
    _require(capa.status == PLANNED, "wrong_state")
    capa.status = IN_PROGRESS
    _audit(actor, "capa.start", capa, f"Bắt đầu thực hiện phiếu {capa.number}")


def complete_action(actor, capa: Capa, action: CapaAction, *, done_on: date | None, evidence: str) -> None:
    _allow(action.capa_id == capa.id and perm.can_complete_capa_action(actor, capa, action))
    _require(capa.status == IN_PROGRESS, "wrong_state")
    _require(action.is_open, "action_done")
    _require(bool(_text(evidence)), "evidence_required")
    done_on = done_on or local_today()
    _require(done_on <= local_today(), "future_date")
    action.done_on, action.evidence, action.completed_at = done_on, _text(evidence), utcnow()
    _audit(actor, "capa.action_done", capa, f"Hoàn thành hành động {action.seq} của phiếu {capa.number}",
           {"action": action.seq, "done_on": done_on.isoformat(), "evidence": action.evidence,
            "late": done_on > action.due_on})


def verify(actor, capa: Capa, *, verified_on: date | None, effective: bool | None, evidence: str) -> None:
    """Check effectiveness once every action is done; "not effective" sends the record back to planning."""
    _allow(perm.can_verify_capa(actor, capa))
    _require(capa.status == IN_PROGRESS, "wrong_state")
    _require(not capa.open_actions, "open_actions")
    _require(effective is not None, "effective_required")
    _require(bool(_text(evidence)), "evidence_required")
    verified_on = verified_on or local_today()
    _require(verified_on <= local_today(), "future_date")
    check = CapaVerification(verified_by_id=actor.id, verified_on=verified_on, effective=bool(effective),
                             evidence=_text(evidence), recorded_at=utcnow())
    capa.verifications.append(check)
    payload = {"effective": bool(effective), "verified_on": verified_on.isoformat(), "evidence": check.evidence}
    if effective:
        capa.status = VERIFIED
        _audit(actor, "capa.verify", capa, f"Kiểm tra hiệu quả phiếu {capa.number}: có hiệu quả", payload)
    else:
        capa.status = ANALYSED
        _audit(actor, "capa.verify_failed", capa,
               f"Kiểm tra hiệu quả phiếu {capa.number}: chưa hiệu quả, trả về lập kế hoạch", payload)


def close(actor, capa: Capa) -> None:
    _allow(perm.can_verify_capa(actor, capa))
    _require(not capa.is_terminal, "wrong_state")
    _require(not capa.open_actions, "open_actions")
    latest = capa.latest_verification
    _require(capa.status == VERIFIED and latest is not None and latest.effective, "not_verified")
    capa.status, capa.closed_at = CLOSED, utcnow()
    _audit(actor, "capa.close", capa, f"Đóng phiếu {capa.number}", {"verification": latest.id})


def cancel(actor, capa: Capa, reason: str) -> None:
    """Cancelled records keep their number: the register shows them with the reason."""
    _allow(perm.can_cancel_capa(actor, capa))
    _require(not capa.is_terminal, "wrong_state")
    _require(bool(_text(reason)), "reason_required")
    previous = capa.status
    capa.status, capa.cancelled_at, capa.cancel_reason = CANCELLED, utcnow(), _text(reason)
    _audit(actor, "capa.cancel", capa, f"Hủy phiếu {capa.number}", {"reason": capa.cancel_reason,
                                                                    "from": previous})


def link_procedure(actor, capa: Capa, proc) -> CapaProcedure:
    _allow(perm.can_link_capa(actor, capa))
    _require(not capa.is_terminal, "wrong_state")
    _require(proc is not None, "unknown_procedure")
    _require(all(link.procedure_id != proc.id for link in capa.links), "already_linked")
    link = _add_link(capa, proc)
    db.session.flush()
    _audit(actor, "capa.link_procedure", capa, f"Liên kết {proc.code} với phiếu {capa.number}",
           {"procedure": proc.code, "revision": link.revision})
    return link


def get(number: str) -> Capa | None:
    return db.session.scalar(select(Capa).where(Capa.number == number))
