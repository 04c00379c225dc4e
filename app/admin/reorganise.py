"""Reorganising units: merge one unit into another, or move some of its procedures (a split).

Procedures move with their history (one store commit each; issued texts keep the unit they were issued
under), the open cycle's reviews move with their state, open CAPA records and their actions follow, members
of a merged unit join the new one, and the merged unit is kept, inactive, under its old name so that past
records (closed cycles, audit events) still name it as it was. Every step is an audit event.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.audit.messages import message
from app.audit.services import record
from app.auth import permissions as perm
from app.auth.models import Unit, User
from app.capa.models import Capa, CapaAction
from app.extensions import db
from app.procedures.models import WITHDRAWN, Procedure
from app.procedures.services import DocumentControl
from app.reviews.models import OPEN, Review, ReviewCycle


class ReorganiseError(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


@dataclass
class Moved:
    procedures: list[str] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)
    capas: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)


def _check(actor, source: Unit, target: Unit) -> None:
    if not perm.can_administer(actor):
        raise ReorganiseError("forbidden")
    if target is None or source.id == target.id:
        raise ReorganiseError("same_unit")
    if not target.active:
        raise ReorganiseError("target_inactive")


def _move_reviews(actor, procs: list[Procedure], source: Unit, target: Unit, moved: Moved) -> None:
    """The open cycle's reviews of the moved procedures go with them, keeping what was already done."""
    ids = [p.id for p in procs]
    if not ids:
        return
    stmt = (select(Review).join(ReviewCycle, ReviewCycle.id == Review.cycle_id)
            .where(ReviewCycle.status == OPEN, Review.procedure_id.in_(ids), Review.unit_id == source.id))
    for review in db.session.scalars(stmt):
        review.unit = target
        moved.reviews.append(review.procedure.code)
        record(actor, "review.transfer", "review", f"{review.cycle.year}/{review.procedure.code}",
               f"Chuyển rà soát {review.procedure.code} từ {source.code} sang {target.code} (tổ chức lại đơn vị)",
               {"from": source.code, "to": target.code, "status": review.status, "kept": True},
               unit_code=target.code)


def _move_procedures(actor, procs: list[Procedure], target: Unit, reason: str, moved: Moved) -> None:
    dc = DocumentControl()
    for proc in procs:
        dc.transfer(actor, proc, target, reason=reason)
        moved.procedures.append(proc.code)


def _move_capas(actor, source: Unit, target: Unit, moved: Moved, codes: set[str] | None) -> None:
    """Open records of the unit follow it (all of them in a merge; those about moved procedures in a split)."""
    for capa in db.session.scalars(select(Capa).where(Capa.unit_id == source.id)):
        if capa.is_terminal:
            continue
        if codes is not None and not ({link.procedure.code for link in capa.links} & codes):
            continue
        capa.unit_id = target.id
        for action in capa.actions:
            if action.is_open and action.owner_unit_id == source.id:
                action.owner_unit_id = target.id
        moved.capas.append(capa.number)
        record(actor, "capa.transfer", "capa", capa.number, f"Chuyển phiếu {capa.number} từ {source.code} sang "
               f"{target.code} (tổ chức lại đơn vị)", {"from": source.code, "to": target.code}, unit_code=target.code)
    if codes is None:  # open actions other units gave this unit
        for action in db.session.scalars(select(CapaAction).where(CapaAction.owner_unit_id == source.id,
                                                                  CapaAction.done_on.is_(None))):
            action.owner_unit_id = target.id


def merge(actor, source: Unit, target: Unit) -> Moved:
    """Everything of `source` moves to `target`; `source` stays, inactive, with its name as it was."""
    _check(actor, source, target)
    moved = Moved()
    procs = list(db.session.scalars(select(Procedure).where(Procedure.unit_id == source.id,
                                                            Procedure.status != WITHDRAWN)
                                    .order_by(Procedure.code)))
    reason = f"sáp nhập {source.code} vào {target.code}"
    _move_reviews(actor, procs, source, target, moved)
    _move_procedures(actor, procs, target, reason, moved)
    _move_capas(actor, source, target, moved, None)
    for user in db.session.scalars(select(User).where(User.unit_id == source.id)):
        user.unit_id = target.id
        moved.users.append(user.username)
    source.active = False
    db.session.flush()
    record(actor, "unit.merge", "unit", source.code, f"Sáp nhập đơn vị {source.code} vào {target.code}",
           {"from": source.code, "to": target.code, "procedures": moved.procedures, "reviews": moved.reviews,
            "capa": moved.capas, "users": moved.users, **message("unit.merge", old=source.code, new=target.code)},
           unit_code=source.code)
    return moved


def split(actor, source: Unit, target: Unit, codes: list[str]) -> Moved:
    """Some procedures of `source` (with their open reviews and the open CAPA about them) move to `target`."""
    _check(actor, source, target)
    wanted = set(codes or ())
    if not wanted:
        raise ReorganiseError("nothing_chosen")
    procs = list(db.session.scalars(select(Procedure).where(Procedure.unit_id == source.id,
                                                            Procedure.code.in_(wanted),
                                                            Procedure.status != WITHDRAWN)
                                    .order_by(Procedure.code)))
    if not procs:
        raise ReorganiseError("nothing_chosen")
    moved = Moved()
    reason = f"chuyển từ {source.code} sang {target.code}"
    _move_reviews(actor, procs, source, target, moved)
    _move_procedures(actor, procs, target, reason, moved)
    _move_capas(actor, source, target, moved, {p.code for p in procs})
    db.session.flush()
    record(actor, "unit.split", "unit", source.code, f"Chuyển {len(procs)} quy trình từ {source.code} sang "
           f"{target.code}", {"from": source.code, "to": target.code, "procedures": moved.procedures,
                              "reviews": moved.reviews, "capa": moved.capas,
                              **message("unit.split", n=len(procs), old=source.code, new=target.code)},
           unit_code=source.code)
    return moved
