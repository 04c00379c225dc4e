"""How the review plugs into the rest: document-control hooks, "my tasks", the reminder digest, the home widget."""
from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from functools import wraps

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import HEAD, MEMBER, SECRETARY
from app.extensions import db
from app.procedures import core
from app.procedures.models import ISSUED, Procedure
from app.reviews import services
from app.reviews.models import CONFIRMED, PENDING, RECORDED, RETURNED, Review, ReviewCycle
from app.tasks import HOME_WIDGETS, Task, digest_provider, task_provider

WIDGET = "reviews/_home_widget.html"
# a home page lists at most this many reviews per group, then one line pointing at the rest
TASK_LIMIT = 15


def _on_issue(actor, proc):
    services.count_issue(actor, proc)


def _on_transfer(actor, proc):
    services.follow_transfer(actor, proc)


def register_hooks() -> None:
    """Idempotent: create_app runs many times in one test process."""
    for hooks, fn in ((core.ON_ISSUE, _on_issue), (core.ON_TRANSFER, _on_transfer)):
        if fn not in hooks:
            hooks.append(fn)
    if WIDGET not in HOME_WIDGETS:
        HOME_WIDGETS.append(WIDGET)


def _vietnamese_outside_requests(fn):
    """Providers also run from `qms remind` and from tests, where no request chooses a language."""

    @wraps(fn)
    def wrapped(*args, **kwargs):
        with nullcontext() if has_request_context() else force_locale("vi"):
            return fn(*args, **kwargs)

    return wrapped


def review_url(cycle: ReviewCycle, code: str) -> str:
    return f"/reviews/{cycle.year}/{code}"


def _open_reviews(cycle: ReviewCycle, statuses, unit_id: int | None = None):
    stmt = (select(Review.id, Procedure.code, Procedure.title, Review.status, Review.return_comment)
            .join(Procedure, Procedure.id == Review.procedure_id)
            .where(Review.cycle_id == cycle.id, Review.status.in_(statuses), Procedure.status == ISSUED))
    if unit_id is not None:
        stmt = stmt.where(Review.unit_id == unit_id)
    return stmt.order_by(Procedure.code)


def _group(group: str, cycle: ReviewCycle, stmt, today: date, status_filter: str, unit_code: str | None,
           limit: int | None) -> list[Task]:
    overdue = today > cycle.deadline
    rows = db.session.execute(stmt.limit(limit) if limit else stmt).all()
    tasks = []
    for row in rows:
        detail = _("Đợt rà soát năm %(year)s", year=cycle.year)
        if row.status == RETURNED and row.return_comment:
            detail = _("Bị trả lại: %(comment)s", comment=row.return_comment)
        tasks.append(Task(group=group, title=f"{row.code} – {row.title}", url=review_url(cycle, row.code),
                          due=cycle.deadline, overdue=overdue, detail=detail, tags=["review"]))
    if limit and len(rows) == limit:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        if total > limit:
            query = f"?status={status_filter}" + (f"&unit={unit_code}" if unit_code else "")
            tasks.append(Task(group=group, title=_("… và %(n)s rà soát khác", n=total - limit),
                              url=f"/reviews/{cycle.year}{query}", due=cycle.deadline, overdue=overdue,
                              tags=["review"]))
    return tasks


@task_provider
@_vietnamese_outside_requests
def review_tasks(user, today: date) -> list[Task]:
    """Reviews to record (members and heads), to confirm (heads), to accept (the secretary)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(MEMBER, HEAD, SECRETARY):
        return []
    cycle = services.open_cycle_now()
    if cycle is None:
        return []
    tasks: list[Task] = []
    unit = user.unit
    if unit is not None and user.has_role(MEMBER, HEAD):
        tasks += _group(_("Rà soát cần ghi nhận"), cycle, _open_reviews(cycle, (PENDING, RETURNED), unit.id), today,
                        "todo", unit.code, TASK_LIMIT)
    if unit is not None and user.has_role(HEAD):
        tasks += _group(_("Rà soát cần xác nhận"), cycle, _open_reviews(cycle, (RECORDED,), unit.id), today,
                        RECORDED, unit.code, TASK_LIMIT)
    if user.has_role(SECRETARY):
        tasks += _group(_("Rà soát cần chấp nhận"), cycle, _open_reviews(cycle, (CONFIRMED,)), today,
                        CONFIRMED, None, TASK_LIMIT)
    return tasks


@digest_provider
@_vietnamese_outside_requests
def review_digest(unit, today: date) -> list[Task]:
    """What `qms remind` tells a unit: its reviews still to record or to confirm, overdue first."""
    cycle = services.open_cycle_now()
    if cycle is None:
        return []
    return (_group(_("Rà soát cần ghi nhận"), cycle, _open_reviews(cycle, (PENDING, RETURNED), unit.id), today,
                   "todo", unit.code, None)
            + _group(_("Rà soát cần trưởng đơn vị xác nhận"), cycle, _open_reviews(cycle, (RECORDED,), unit.id),
                     today, RECORDED, unit.code, None))


register_hooks()
