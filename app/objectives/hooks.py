"""How the objectives plug into the rest: "my tasks" on the home page and the `qms remind` digest.

Reports to draft (members), to send (heads), to accept and periods to consolidate (the secretary),
each with its due date: shown from a week before the due date, on it, and overdue after it.
"""
from __future__ import annotations

from contextlib import nullcontext
from datetime import date, timedelta
from functools import wraps

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import HEAD, MEMBER, SECRETARY
from app.extensions import db
from app.objectives.assignments import open_for_unit
from app.objectives.models import (IN_FORCE, PERIOD_OPEN, R_DRAFT, R_RETURNED, R_SENT, ObjectivePlan, Period,
                                   UnitReport)
from app.tasks import Task, digest_provider, task_provider

# a report shows up this many days before its due date
LEAD_DAYS = 7
TASK_LIMIT = 15


def _vietnamese_outside_requests(fn):
    @wraps(fn)
    def wrapped(*args, **kwargs):
        with nullcontext() if has_request_context() else force_locale("vi"):
            return fn(*args, **kwargs)

    return wrapped


def _due_periods(today: date):
    """Open periods of plans in force whose units' reports are due within a week, or overdue."""
    return list(db.session.execute(
        select(Period, ObjectivePlan.year).join(ObjectivePlan, ObjectivePlan.id == Period.plan_id)
        .where(ObjectivePlan.status == IN_FORCE, Period.status == PERIOD_OPEN,
               Period.due_on <= today + timedelta(days=LEAD_DAYS))
        .order_by(Period.due_on)).all())


def _url(year, key, suffix="") -> str:
    return f"/objectives/{year}/periods/{key}{suffix}"


def _unit_reports(unit_id: int, period_ids) -> dict:
    if not period_ids:
        return {}
    return {r.period_id: r for r in db.session.scalars(
        select(UnitReport).where(UnitReport.unit_id == unit_id, UnitReport.period_id.in_(period_ids)))}


def _unit_tasks(unit, today: date, draft_group: str, send_group: str | None,
                limit: int | None = TASK_LIMIT) -> list[Task]:
    periods = _due_periods(today)
    reports = _unit_reports(unit.id, [p.id for p, _y in periods])
    out = []
    for period, year in reversed(periods):  # the newest first, so a long backlog never hides this month
        rep = reports.get(period.id)
        overdue = today > period.due_on
        if rep is None or rep.status in (R_DRAFT, R_RETURNED):
            detail = _("Bị trả lại: %(c)s", c=rep.return_comment) if rep and rep.status == R_RETURNED else ""
            group = send_group if (send_group and rep is not None) else draft_group
            out.append(Task(group=group, title=_("Báo cáo mục tiêu chất lượng kỳ %(key)s", key=period.key),
                            url=_url(year, period.key, f"/reports/{unit.code}"), due=period.due_on, overdue=overdue,
                            detail=detail, tags=["objectives"]))
    given = []
    for row in open_for_unit(unit.id):
        if row.due_on <= today + timedelta(days=LEAD_DAYS):
            given.append(Task(group=_("Việc được giao (mục tiêu chất lượng)"), title=row.what[:200],
                              url=f"/objectives/{row.task.objective.plan.year}#task-{row.task_id}", due=row.due_on,
                              overdue=today > row.due_on, tags=["objectives"]))
    if limit and len(out) > limit:
        rest = len(out) - limit
        oldest = out[-1]
        out = out[:limit] + [Task(group=oldest.group, title=_("… và %(n)s báo cáo quá hạn khác", n=rest),
                                  url=oldest.url.split("/periods/")[0], due=oldest.due, overdue=True,
                                  tags=["objectives"])]
    return given + out


@task_provider
@_vietnamese_outside_requests
def objective_tasks(user, today: date) -> list[Task]:
    if not getattr(user, "is_authenticated", False):
        return []
    tasks: list[Task] = []
    if user.unit is not None and user.has_role(MEMBER, HEAD):
        tasks += _unit_tasks(user.unit, today, _("Báo cáo mục tiêu chất lượng cần soạn"),
                             _("Báo cáo mục tiêu chất lượng cần gửi") if user.has_role(HEAD) else None)
    if user.has_role(SECRETARY):
        rows = db.session.execute(
            select(Period, ObjectivePlan.year, UnitReport).join(ObjectivePlan, ObjectivePlan.id == Period.plan_id)
            .join(UnitReport, UnitReport.period_id == Period.id)
            .where(ObjectivePlan.status == IN_FORCE, Period.status == PERIOD_OPEN, UnitReport.status == R_SENT)
            .order_by(Period.due_on).limit(TASK_LIMIT)).all()
        for period, year, rep in rows:
            tasks.append(Task(group=_("Báo cáo mục tiêu chất lượng cần chấp nhận"),
                              title=f"{rep.unit.code} – {period.key}", url=_url(year, period.key, f"/reports/{rep.unit.code}"),
                              due=period.office_due_on, overdue=today > period.office_due_on, tags=["objectives"]))
        for period, year in _due_periods(today):
            if today >= period.due_on:
                tasks.append(Task(group=_("Kỳ báo cáo cần tổng hợp"),
                                  title=_("Tổng hợp kết quả mục tiêu chất lượng kỳ %(key)s", key=period.key),
                                  url=_url(year, period.key), due=period.office_due_on,
                                  overdue=today > period.office_due_on, tags=["objectives"]))
    return tasks


@digest_provider
@_vietnamese_outside_requests
def objective_digest(unit, today: date) -> list[Task]:
    """Reports still to send: a week before the due date, on it, and overdue."""
    return _unit_tasks(unit, today, _("Báo cáo mục tiêu chất lượng cần gửi"), None, limit=None)
