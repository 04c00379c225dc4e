"""Distribution register and read-and-acknowledge: the rules, with an explicit actor, flushed and audited."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.audit.services import record
from app.auth.models import Unit, User
from app.extensions import db
from app.office import permissions as operm
from app.office.models import HELD, RETURNED, TO_RECALL, AckScope, Acknowledgement, ControlledCopy
from app.procedures.models import ISSUED, WITHDRAWN, Procedure
from app.timeutil import utcnow


class OfficeError(Exception):
    """A request the rules refuse; `key` names the message the page shows."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class Forbidden(OfficeError):
    pass


def _allow(ok: bool) -> None:
    if not ok:
        raise Forbidden("forbidden")


def _audit(actor, action: str, proc: Procedure, summary: str, payload: dict) -> None:
    record(actor, action, "procedure", proc.code, summary, payload, unit_code=proc.unit_code)


# -- distribution register ------------------------------------------------------------------------
def copies(proc: Procedure) -> list[ControlledCopy]:
    stmt = (select(ControlledCopy).where(ControlledCopy.procedure_id == proc.id)
            .order_by(ControlledCopy.issue_number.desc(), ControlledCopy.number))
    return list(db.session.scalars(stmt))


def copy_of(proc: Procedure, number: int) -> ControlledCopy | None:
    """Copy number N of the issue in force."""
    return db.session.scalar(select(ControlledCopy).where(
        ControlledCopy.procedure_id == proc.id, ControlledCopy.issue_number == proc.issue_number,
        ControlledCopy.number == number))


def issue_copy(actor, proc: Procedure, unit: Unit, note: str = "") -> ControlledCopy:
    """Register the next numbered controlled copy of the issue in force, handed to `unit`."""
    _allow(operm.can_manage_distribution(actor))
    if proc.status != ISSUED or not proc.issue_number:
        raise OfficeError("not_in_force")
    if not unit.active:
        raise OfficeError("unit_inactive")
    last = db.session.scalar(select(func.max(ControlledCopy.number)).where(
        ControlledCopy.procedure_id == proc.id, ControlledCopy.issue_number == proc.issue_number)) or 0
    copy = ControlledCopy(procedure_id=proc.id, issue_number=proc.issue_number, number=last + 1, unit=unit,
                          status=HELD, note=(note or "").strip()[:500], issued_by=actor, issued_at=utcnow())
    db.session.add(copy)
    db.session.flush()
    _audit(actor, "procedure.copy_issue", proc,
           f"Cấp bản kiểm soát số {copy.number} của {proc.code} lần {proc.issue_number} cho {unit.code}",
           {"issue": proc.issue_number, "number": copy.number, "unit": unit.code})
    return copy


def record_return(actor, proc: Procedure, copy_id: int) -> ControlledCopy:
    _allow(operm.can_manage_distribution(actor))
    copy = db.session.get(ControlledCopy, copy_id)
    if copy is None or copy.procedure_id != proc.id:
        raise OfficeError("copy_not_found")
    if copy.status == RETURNED:
        raise OfficeError("already_returned")
    copy.status, copy.returned_at, copy.returned_by = RETURNED, utcnow(), actor
    _audit(actor, "procedure.copy_return", proc,
           f"Thu hồi bản kiểm soát số {copy.number} của {proc.code} lần {copy.issue_number} từ {copy.unit.code}",
           {"issue": copy.issue_number, "number": copy.number, "unit": copy.unit.code})
    return copy


def recall_superseded(actor, proc: Procedure) -> int:
    """After a new issue or a withdrawal: every copy still held of an older issue is to be recalled."""
    stmt = select(ControlledCopy).where(ControlledCopy.procedure_id == proc.id, ControlledCopy.status == HELD)
    if proc.status != WITHDRAWN:
        stmt = stmt.where(ControlledCopy.issue_number < proc.issue_number)
    now, count = utcnow(), 0
    for copy in db.session.scalars(stmt):
        copy.status, copy.recall_at = TO_RECALL, now
        count += 1
    if count:
        _audit(actor, "procedure.copy_recall", proc, f"Cần thu hồi {count} bản kiểm soát cũ của {proc.code}",
               {"count": count, "issue": proc.issue_number})
    return count


def copies_to_recall() -> list[ControlledCopy]:
    stmt = (select(ControlledCopy).join(Procedure, Procedure.id == ControlledCopy.procedure_id)
            .where(ControlledCopy.status == TO_RECALL).order_by(Procedure.code, ControlledCopy.number))
    return list(db.session.scalars(stmt))


# -- read and acknowledge -------------------------------------------------------------------------
def last_action(proc: Procedure) -> str | None:
    """The audit action just recorded for the procedure (the hooks run right after it)."""
    return db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "procedure", AuditEvent.object_id == proc.code)
        .order_by(AuditEvent.id.desc()).limit(1))


def open_acknowledgement(actor, proc: Procedure) -> None:
    """On issue: the owner unit's people are asked to confirm they have read the new issue."""
    if proc.status != ISSUED or not proc.issue_number:
        return
    _add_scope(actor, proc, proc.unit)


def _add_scope(actor, proc: Procedure, unit: Unit) -> bool:
    exists = db.session.scalar(select(AckScope.id).where(
        AckScope.procedure_id == proc.id, AckScope.issue_number == proc.issue_number, AckScope.unit_id == unit.id))
    if exists:
        return False
    db.session.add(AckScope(procedure_id=proc.id, issue_number=proc.issue_number, unit=unit,
                            added_by_id=getattr(actor, "id", None), added_at=utcnow()))
    db.session.flush()
    return True


def add_scope_unit(actor, proc: Procedure, unit: Unit) -> None:
    """The approver (or the secretary) names another unit that must read the issue in force."""
    _allow(operm.can_name_readers(actor))
    if proc.status != ISSUED:
        raise OfficeError("not_in_force")
    if not _add_scope(actor, proc, unit):
        raise OfficeError("unit_already_named")
    _audit(actor, "procedure.ack_scope", proc, f"Yêu cầu {unit.code} đọc và xác nhận {proc.code} lần "
           f"{proc.issue_number}", {"issue": proc.issue_number, "unit": unit.code})


def scope_units(proc: Procedure, issue: int | None = None) -> list[Unit]:
    stmt = (select(Unit).join(AckScope, AckScope.unit_id == Unit.id)
            .where(AckScope.procedure_id == proc.id, AckScope.issue_number == (issue or proc.issue_number))
            .order_by(Unit.code))
    return list(db.session.scalars(stmt))


def must_acknowledge(user, proc: Procedure) -> bool:
    if proc.status != ISSUED or not getattr(user, "unit_id", None):
        return False
    return bool(db.session.scalar(select(AckScope.id).where(
        AckScope.procedure_id == proc.id, AckScope.issue_number == proc.issue_number,
        AckScope.unit_id == user.unit_id)))


def acknowledgement_of(user, proc: Procedure) -> Acknowledgement | None:
    return db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.procedure_id == proc.id, Acknowledgement.issue_number == proc.issue_number,
        Acknowledgement.user_id == user.id))


def acknowledge(actor, proc: Procedure, issue_number: int) -> Acknowledgement:
    """"Đã đọc và hiểu" for the issue the person read; once, for the issue in force only."""
    if proc.status != ISSUED or issue_number != proc.issue_number:
        raise OfficeError("issue_changed")
    _allow(must_acknowledge(actor, proc))
    if acknowledgement_of(actor, proc) is not None:
        raise OfficeError("already_acknowledged")
    ack = Acknowledgement(procedure_id=proc.id, issue_number=issue_number, user_id=actor.id,
                          unit_id=actor.unit_id, acknowledged_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(ack)
            db.session.flush()
    except IntegrityError as exc:  # the same person in two tabs at once
        raise OfficeError("already_acknowledged") from exc
    _audit(actor, "procedure.acknowledge", proc, f"Xác nhận đã đọc và hiểu {proc.code} lần {issue_number}",
           {"issue": issue_number})
    return ack


@dataclass
class Reader:
    user: User
    ack: Acknowledgement | None


def readers(proc: Procedure) -> dict[Unit, list[Reader]]:
    """Per unit in scope, its active people and whether each has acknowledged the issue in force."""
    units = scope_units(proc)
    if not units:
        return {}
    acks = {a.user_id: a for a in db.session.scalars(select(Acknowledgement).where(
        Acknowledgement.procedure_id == proc.id, Acknowledgement.issue_number == proc.issue_number))}
    people = db.session.scalars(select(User).where(User.unit_id.in_([u.id for u in units]),
                                                   User.active.is_(True)).order_by(User.full_name)).all()
    out: dict[Unit, list[Reader]] = {u: [] for u in units}
    by_id = {u.id: u for u in units}
    for person in people:
        out[by_id[person.unit_id]].append(Reader(person, acks.get(person.id)))
    return out


def pending_for(user) -> list[Procedure]:
    """Issues in force the person's unit must read and the person has not acknowledged yet."""
    if not getattr(user, "unit_id", None):
        return []
    done = select(Acknowledgement.id).where(Acknowledgement.procedure_id == Procedure.id,
                                            Acknowledgement.issue_number == Procedure.issue_number,
                                            Acknowledgement.user_id == user.id)
    stmt = (select(Procedure).join(AckScope, AckScope.procedure_id == Procedure.id)
            .where(Procedure.status == ISSUED, AckScope.issue_number == Procedure.issue_number,
                   AckScope.unit_id == user.unit_id, ~done.exists())
            .order_by(Procedure.code))
    return list(db.session.scalars(stmt))


def unit_backlog(unit: Unit) -> list[tuple[Procedure, int]]:
    """For the digest: issues the unit must read, with how many of its people have not confirmed yet."""
    out = []
    people = db.session.scalars(select(User.id).where(User.unit_id == unit.id, User.active.is_(True))).all()
    if not people:
        return out
    stmt = (select(Procedure).join(AckScope, AckScope.procedure_id == Procedure.id)
            .where(Procedure.status == ISSUED, AckScope.issue_number == Procedure.issue_number,
                   AckScope.unit_id == unit.id).order_by(Procedure.code))
    for proc in db.session.scalars(stmt):
        done = db.session.scalar(select(func.count(Acknowledgement.id)).where(
            Acknowledgement.procedure_id == proc.id, Acknowledgement.issue_number == proc.issue_number,
            Acknowledgement.user_id.in_(people))) or 0
        if done < len(people):
            out.append((proc, len(people) - done))
    return out


@dataclass
class Coverage:
    procedure: Procedure
    unit: Unit
    people: int
    confirmed: int

    @property
    def percent(self) -> int:
        return round(100 * self.confirmed / self.people) if self.people else 100


def coverage() -> list[Coverage]:
    """Per issue in force and unit asked to read it: how many of its people have confirmed."""
    _people = dict(db.session.execute(select(User.unit_id, func.count(User.id))
                                      .where(User.active.is_(True), User.unit_id.is_not(None))
                                      .group_by(User.unit_id)).all())
    confirmed = dict(((pid, uid), n) for pid, uid, n in db.session.execute(
        select(Acknowledgement.procedure_id, User.unit_id, func.count(Acknowledgement.id))
        .join(User, User.id == Acknowledgement.user_id)
        .join(Procedure, Procedure.id == Acknowledgement.procedure_id)
        .where(Acknowledgement.issue_number == Procedure.issue_number, User.active.is_(True))
        .group_by(Acknowledgement.procedure_id, User.unit_id)).all())
    rows = db.session.execute(
        select(Procedure, Unit).join(AckScope, AckScope.procedure_id == Procedure.id)
        .join(Unit, Unit.id == AckScope.unit_id)
        .where(Procedure.status == ISSUED, AckScope.issue_number == Procedure.issue_number)
        .order_by(Procedure.code, Unit.code)).all()
    return [Coverage(p, u, _people.get(u.id, 0), confirmed.get((p.id, u.id), 0)) for p, u in rows]
