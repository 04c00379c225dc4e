"""Read side of the yearly review shared by the pages and the API: whose reviews a user sees, the cycle's table."""
from __future__ import annotations

from sqlalchemy import false, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from app.auth import permissions as perm
from app.auth.models import Unit, User
from app.procedures.models import ISSUED, Procedure
from app.reviews import compliance
from app.reviews.models import ACCEPTED, PENDING, RETURNED, STATUSES, Review, ReviewCycle

TABLE_STATUSES = ("todo", "open", "overdue", *STATUSES)


def visible_unit_ids(user) -> list[int] | None:
    """None: every unit; else the user's own unit only (a unit sees its own procedures)."""
    if perm.can_read_all_reviews(user):
        return None
    return [user.unit.id] if user.unit else []


def table_statement(cycle: ReviewCycle, args, unit_ids, today):
    stmt = (select(Review).join(Procedure, Procedure.id == Review.procedure_id).join(Unit, Unit.id == Review.unit_id)
            .where(Review.cycle_id == cycle.id)
            .options(contains_eager(Review.procedure), contains_eager(Review.unit),
                     *(joinedload(rel).lazyload(User.role_rows)
                       for rel in (Review.recorded_by, Review.confirmed_by, Review.accepted_by))))
    if unit_ids is not None:
        stmt = stmt.where(Review.unit_id.in_(unit_ids))
    unit, status, q = args.get("unit", ""), args.get("status", ""), (args.get("q") or "").strip()
    if unit:
        stmt = stmt.where(Unit.code == unit)
    if status == "todo":
        stmt = stmt.where(Review.status.in_((PENDING, RETURNED)))
    elif status in ("open", "overdue"):
        stmt = stmt.where(Review.status != ACCEPTED, Procedure.status == ISSUED)
        if status == "overdue" and compliance.reference_date(cycle, today) <= cycle.deadline:
            stmt = stmt.where(false())  # nothing is overdue before the deadline
    elif status in STATUSES:
        stmt = stmt.where(Review.status == status)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Procedure.code.ilike(like), Procedure.title.ilike(like)))
    return stmt.order_by(Unit.code, Procedure.code)
