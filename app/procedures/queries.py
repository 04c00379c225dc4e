"""Queries of document control: which procedures a user's register shows, filtered and sorted."""
from __future__ import annotations

from datetime import date

from sqlalchemy import asc, desc, or_, select

from app.auth import permissions as perm
from app.auth.models import Unit
from app.procedures.models import DRAFT, ISSUED, WITHDRAWN, Procedure
from app.search import ALL
from app.timeutil import local_today

SORTS = {
    "code": Procedure.code, "title": Procedure.title, "unit": Unit.code, "issue": Procedure.issue_number,
    "effective": Procedure.effective_on, "status": Procedure.status, "reviewed": Procedure.last_reviewed_on,
}


def register_statement(user, *, unit: str = "", status: str = "", q: str = "", sort: str = "code",
                       today: date | None = None):
    """The register: never-issued drafts belong to their unit (and the secretary and leadership).
    "issued" means in force on `today`: an approved first issue waiting for its date is "upcoming"."""
    today = today or local_today()
    stmt = select(Procedure).join(Procedure.unit)
    if unit:
        stmt = stmt.where(Unit.code == unit)
    if status == "pending":
        stmt = stmt.where(Procedure.draft_state.is_not(None))
    elif status == "upcoming":
        stmt = stmt.where(Procedure.status == ISSUED, Procedure.effective_on > today)
    elif status == ISSUED:
        stmt = stmt.where(Procedure.status == ISSUED,
                          or_(Procedure.effective_on <= today, Procedure.prior_revision.is_not(None)))
    elif status in (DRAFT, WITHDRAWN):
        stmt = stmt.where(Procedure.status == status)
    q = (q or "").strip()
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Procedure.code.ilike(like), Procedure.title.ilike(like)))
    if not perm.sees_all_drafts(user):
        stmt = stmt.where(or_(Procedure.status != DRAFT, Unit.code == (user.unit_code or "")))
    column = SORTS.get((sort or "code").lstrip("-"), Procedure.code)
    return stmt.order_by(desc(column) if (sort or "").startswith("-") else asc(column), Procedure.code)


def search_draft_units(user):
    """Whose drafts a user finds in search: every unit's for the secretary and leadership, else their own."""
    if perm.sees_all_drafts(user):
        return ALL
    return {user.unit_code} if user.unit_code else set()
