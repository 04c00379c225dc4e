"""Tasks "when assigned": each assignment to a unit carries its own deadline (moved to a working day) and is
marked done by the unit. The secretary records assignments; the unit's members and heads complete them."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.objectives import permissions as perm
from app.objectives import rules
from app.objectives.models import IN_FORCE, ObjectiveTask, TaskAssignment
from app.objectives.services import allow, audit, require
from app.timeutil import utcnow


def assign(actor, task: ObjectiveTask, unit, what: str, due_on: date | None) -> TaskAssignment:
    plan = task.objective.plan
    allow(perm.can_manage_plan(actor, plan))
    require(plan.status == IN_FORCE, "plan_not_in_force")
    require(task.rule == rules.ON_ASSIGNMENT, "not_on_assignment")
    require(unit is not None, "unit_required")
    require(bool((what or "").strip()), "what_required")
    require(due_on is not None, "rule_date")
    applies = rules.task_due_dates(rules.ON_ASSIGNMENT, plan.year, assigned=[due_on],
                                   holidays=plan.settings().holidays)[0]
    row = TaskAssignment(task_id=task.id, unit_id=unit.id, what=what.strip(), given_due_on=due_on, due_on=applies,
                         created_by_id=actor.id, created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit(actor, "objectives.assignment_add", f"{plan.year}/{task.objective.code}",
          f"Giao {unit.code}: {row.what[:200]} (hạn {applies.strftime('%d/%m/%Y')})",
          {"task": task.id, "unit": unit.code, "due_on": applies.isoformat(), "given_due_on": due_on.isoformat()},
          unit_code=unit.code)
    return row


def complete(actor, row: TaskAssignment, result: str, today: date) -> None:
    allow(perm.can_draft_report(actor, row))
    require(row.done_on is None, "wrong_state")
    require(bool((result or "").strip()), "result_required")
    row.done_on, row.result = today, result.strip()
    db.session.flush()
    late = rules.days_late(row.due_on, today)
    audit(actor, "objectives.assignment_done", f"{row.task.objective.plan.year}/{row.task.objective.code}",
          f"{row.unit.code} hoàn thành: {row.what[:200]}" + (f" (trễ {late} ngày)" if late else ""),
          {"assignment": row.id, "done_on": today.isoformat(), "days_late": late}, unit_code=row.unit.code)


def of_plan(plan) -> dict[int, list[TaskAssignment]]:
    """task id -> its assignments, in one query."""
    task_ids = [t.id for o in plan.objectives for t in o.tasks if t.rule == rules.ON_ASSIGNMENT]
    out: dict[int, list[TaskAssignment]] = {}
    if not task_ids:
        return out
    for row in db.session.scalars(select(TaskAssignment).where(TaskAssignment.task_id.in_(task_ids))
                                  .order_by(TaskAssignment.due_on)):
        out.setdefault(row.task_id, []).append(row)
    return out


def open_for_unit(unit_id: int) -> list[TaskAssignment]:
    from app.objectives.models import Objective, ObjectivePlan

    return list(db.session.scalars(
        select(TaskAssignment).join(ObjectiveTask, ObjectiveTask.id == TaskAssignment.task_id)
        .join(Objective, Objective.id == ObjectiveTask.objective_id)
        .join(ObjectivePlan, ObjectivePlan.id == Objective.plan_id)
        .where(TaskAssignment.unit_id == unit_id, TaskAssignment.done_on.is_(None), ObjectivePlan.status == IN_FORCE)
        .order_by(TaskAssignment.due_on)))
