"""A unit's report for a period: drafted by a member, sent by the head, accepted or returned by the secretary.

The report holds, per task, what was done, its status and evidence, and the indicator values the unit
owes. Sending marks it late with how many days. A closed period freezes every report in it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from app.auth.models import Unit
from app.extensions import db
from app.objectives import permissions as perm
from app.objectives import rules
from app.objectives.models import (IN_FORCE, KIND_RATING, NOT_DONE, R_ACCEPTED, R_DRAFT, R_RETURNED, R_SENT,
                                   SOURCE_UNIT, ENTRY_STATUSES, Indicator, IndicatorValue, Objective, ObjectiveTask,
                                   Period, TaskEntry, TaskUnit, UnitReport)
from app.objectives.services import ObjectiveError, _number, allow, audit, require
from app.timeutil import local_today, utcnow

EDITABLE = (R_DRAFT, R_RETURNED)


def tasks_for_unit(plan, unit_id: int, period_kind: str) -> list[ObjectiveTask]:
    """The plan's tasks a unit reports on in a period of this kind (lead or coordinating, or every unit)."""
    kinds = [k for k in rules.RULE_KINDS if period_kind in rules.rule_period_kinds(k)]
    mine = select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)
    stmt = (select(ObjectiveTask).join(Objective).where(Objective.plan_id == plan.id, ObjectiveTask.rule.in_(kinds),
                                                        or_(ObjectiveTask.all_units.is_(True),
                                                            ObjectiveTask.id.in_(mine)))
            .order_by(Objective.seq, ObjectiveTask.seq))
    return list(db.session.scalars(stmt))


def indicators_owed(plan, unit_id: int, period_kind: str) -> list[Indicator]:
    """Unit-entered indicators of this period's frequency that this unit (or every unit) owes."""
    stmt = (select(Indicator).join(Objective).where(
        Objective.plan_id == plan.id, Indicator.frequency == period_kind, Indicator.source == SOURCE_UNIT,
        or_(Indicator.owner_unit_id.is_(None), Indicator.owner_unit_id == unit_id))
        .order_by(Objective.seq, Indicator.seq))
    return list(db.session.scalars(stmt))


def get_report(period: Period, unit: Unit) -> UnitReport | None:
    return db.session.scalar(select(UnitReport).where(UnitReport.period_id == period.id,
                                                      UnitReport.unit_id == unit.id))


def values_of(report: UnitReport) -> dict[int, IndicatorValue]:
    return {v.indicator_id: v for v in db.session.scalars(
        select(IndicatorValue).where(IndicatorValue.report_id == report.id))}


@dataclass
class Draft:
    """What the form sent: kept as typed so that a refused form shows it again."""

    note: str = ""
    entries: dict = field(default_factory=dict)   # task_id -> {"done_text", "status", "reason", "evidence"}
    values: dict = field(default_factory=dict)    # indicator_id -> text as typed


def parse_value(ind: Indicator, text: str) -> float | None:
    """A rating by its label (or its rank); a number with a comma or a point; empty is no value."""
    text = (text or "").strip()
    if not text:
        return None
    if ind.kind == KIND_RATING:
        labels = [label.lower() for label in ind.scale_labels]
        if text.lower() in labels:
            return float(labels.index(text.lower()) + 1)
        number = _number(text)
        if number is not None and number.is_integer() and 1 <= number <= len(labels):
            return number
        raise ObjectiveError("bad_rating", name=ind.name, allowed=", ".join(ind.scale_labels))
    number = _number(text)
    if number is None or number < 0:
        raise ObjectiveError("bad_value", name=ind.name, value=text)
    return number


def _check_open(period: Period) -> None:
    require(period.plan.status == IN_FORCE, "plan_not_in_force")
    require(not period.is_closed, "period_closed")


def save_draft(actor, period: Period, unit: Unit, draft: Draft) -> UnitReport:
    """Create or update the unit's report; every field is checked before anything is written."""
    report = get_report(period, unit) or UnitReport(period=period, unit=unit, status=R_DRAFT)
    allow(perm.can_draft_report(actor, report))
    _check_open(period)
    require(report.status in EDITABLE, "report_not_editable")
    tasks = {t.id: t for t in tasks_for_unit(period.plan, unit.id, period.kind)}
    indicators = {i.id: i for i in indicators_owed(period.plan, unit.id, period.kind)}
    errors: dict[str, str] = {}
    parsed: dict[int, float | None] = {}
    for ind_id, text in draft.values.items():
        if ind_id in indicators:
            try:
                parsed[ind_id] = parse_value(indicators[ind_id], text)
            except ObjectiveError as exc:
                errors[f"value-{ind_id}"] = exc.key
                errors.setdefault("_first", exc.key)
                errors.setdefault("_params", exc.params)
    for task_id, entry in draft.entries.items():
        if task_id not in tasks:
            continue
        if entry.get("status") not in ENTRY_STATUSES:
            errors[f"status-{task_id}"] = "bad_entry_status"
        elif entry.get("status") == NOT_DONE and not (entry.get("reason") or "").strip():
            errors[f"reason-{task_id}"] = "reason_required"
    if errors:
        first = errors.pop("_first", None) or next(iter(errors.values()))
        raise ObjectiveError(first, fields=[k for k in errors if not k.startswith("_")],
                             **errors.pop("_params", {}))
    if report.id is None:
        db.session.add(report)
    report.note, report.drafted_by_id, report.updated_at = (draft.note or "").strip(), actor.id, utcnow()
    db.session.flush()
    existing = {e.task_id: e for e in report.entries}
    for task_id, data in draft.entries.items():
        if task_id not in tasks:
            continue
        entry = existing.get(task_id)
        if entry is None:
            entry = TaskEntry(task_id=task_id)
            report.entries.append(entry)
        entry.done_text = (data.get("done_text") or "").strip()
        entry.status = data.get("status")
        entry.reason = (data.get("reason") or "").strip()
        entry.evidence = (data.get("evidence") or "").strip()
    stored = values_of(report)
    for ind_id, value in parsed.items():
        row = stored.get(ind_id)
        if value is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = IndicatorValue(indicator_id=ind_id, period_id=period.id, unit_id=unit.id, report_id=report.id,
                                 source=SOURCE_UNIT)
            db.session.add(row)
        row.value, row.recorded_at = value, utcnow()
    db.session.flush()
    audit(actor, "objectives.report_save", _report_id(report), f"Lưu dự thảo báo cáo {period.key} của {unit.code}",
          {"values": {str(k): v for k, v in parsed.items()},
           "entries": {str(k): v.get("status") for k, v in draft.entries.items() if k in tasks}},
          unit_code=unit.code)
    return report


def _report_id(report: UnitReport) -> str:
    return f"{report.period.plan.year}/{report.period.key}/{report.unit.code}"


def send(actor, report: UnitReport, today: date | None = None) -> None:
    """The head sends: every owed value present, every task with a status; a late report says how late."""
    allow(perm.can_send_report(actor, report))
    _check_open(report.period)
    require(report.status in EDITABLE, "report_not_editable")
    period = report.period
    owed = indicators_owed(period.plan, report.unit_id, period.kind)
    have = values_of(report)
    missing = [i.name for i in owed if i.id not in have]
    require(not missing, "values_missing", names="; ".join(missing))
    tasks = tasks_for_unit(period.plan, report.unit_id, period.kind)
    entered = {e.task_id for e in report.entries}
    require(all(t.id in entered for t in tasks), "entries_missing")
    today = today or local_today()
    report.status, report.sent_by_id, report.sent_at, report.sent_on = R_SENT, actor.id, utcnow(), today
    report.days_late = rules.days_late(period.due_on, today)
    db.session.flush()
    audit(actor, "objectives.report_send", _report_id(report), f"Gửi báo cáo {period.key} của {report.unit.code}"
          + (f" (trễ {report.days_late} ngày)" if report.days_late else ""),
          {"sent_on": today.isoformat(), "due_on": period.due_on.isoformat(), "days_late": report.days_late},
          unit_code=report.unit.code)


def accept(actor, report: UnitReport) -> None:
    allow(perm.can_consolidate(actor, report.period))
    _check_open(report.period)
    require(report.status == R_SENT, "wrong_state")
    report.status, report.accepted_by_id, report.accepted_at = R_ACCEPTED, actor.id, utcnow()
    db.session.flush()
    audit(actor, "objectives.report_accept", _report_id(report),
          f"Chấp nhận báo cáo {report.period.key} của {report.unit.code}", unit_code=report.unit.code)


def return_report(actor, report: UnitReport, comment: str) -> None:
    allow(perm.can_consolidate(actor, report.period))
    _check_open(report.period)
    require(report.status in (R_SENT, R_ACCEPTED), "wrong_state")
    require(bool((comment or "").strip()), "comment_required")
    report.status, report.return_comment = R_RETURNED, comment.strip()
    report.accepted_by_id = report.accepted_at = None
    db.session.flush()
    audit(actor, "objectives.report_return", _report_id(report),
          f"Trả lại báo cáo {report.period.key} của {report.unit.code}", {"comment": comment.strip()},
          unit_code=report.unit.code)
