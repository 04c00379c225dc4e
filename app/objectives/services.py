"""The plan of a year: creation, copy of last year's, settings, its objectives, indicators and tasks, lifecycle.

Every function takes the acting user, checks the permission, flushes (never commits) and writes the
audit event beside the change. `year_results(year)` is the read function other features call.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.auth.models import Unit
from app.extensions import db
from app.objectives import permissions as perm
from app.objectives import rules
from app.objectives.models import (APPROVED, CLOSED, DRAFT, IN_FORCE, KIND_NUMBER, KIND_RATING, LEAD, SOURCE_COMPUTED,
                                   SOURCES, Indicator, Objective, ObjectivePlan, ObjectiveTask, Period, TaskUnit)
from app.timeutil import utcnow


class ObjectiveError(Exception):
    """Something the plan's state, the data or the user's role does not allow; `key` names it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def allow(ok: bool) -> None:
    if not ok:
        raise ObjectiveError("forbidden")


def require(ok: bool, key: str, **params) -> None:
    if not ok:
        raise ObjectiveError(key, **params)


def audit(actor, action: str, object_id, summary: str, payload: dict | None = None, unit_code=None) -> None:
    record(actor, action, "objectives", object_id, summary, payload, unit_code=unit_code)


# -- reading -----------------------------------------------------------------------------------
def get_plan(year: int) -> ObjectivePlan | None:
    return db.session.scalar(
        select(ObjectivePlan).where(ObjectivePlan.year == year)
        .options(selectinload(ObjectivePlan.objectives).selectinload(Objective.indicators),
                 selectinload(ObjectivePlan.objectives).selectinload(Objective.tasks)))


def get_period(plan: ObjectivePlan, key: str) -> Period | None:
    return db.session.scalar(select(Period).where(Period.plan_id == plan.id, Period.key == key.upper()))


def periods_of(plan: ObjectivePlan) -> list[Period]:
    return list(db.session.scalars(select(Period).where(Period.plan_id == plan.id)
                                   .order_by(Period.due_on, Period.kind)))


def year_results(year: int, today: date | None = None) -> list[dict]:
    """Per objective and indicator: the year's figure and status, for other features (yearly close, API).

    [{"code": "MT2", "statement": ..., "status": "met"|..., "indicators": [{"name", "target", "direction",
      "frequency", "value", "label", "status", "periods": {"2022-03": {"value", "status"}, ...}}]}]
    An unknown year gives [].
    """
    from app.objectives import figures
    from app.timeutil import local_today

    plan = get_plan(year)
    if plan is None:
        return []
    return figures.year_results(plan, today or local_today())


# -- plan --------------------------------------------------------------------------------------
def _clean(text) -> str:
    return (text or "").strip()


def create_plan(actor, year: int, title: str = "") -> ObjectivePlan:
    allow(perm.can_manage_plan(actor))
    require(2000 <= year <= 2100, "bad_year")
    require(db.session.scalar(select(ObjectivePlan.id).where(ObjectivePlan.year == year)) is None,
            "plan_exists", year=year)
    plan = ObjectivePlan(year=year, status=DRAFT, created_by_id=actor.id, created_at=utcnow(),
                         title=_clean(title) or f"Kế hoạch thực hiện mục tiêu chất lượng năm {year}",
                         year_due_on=date(year, 11, 5), year_office_due_on=date(year, 11, 10), holidays="",
                         monitoring="")
    db.session.add(plan)
    db.session.flush()
    audit(actor, "objectives.plan_create", year, f"Lập dự thảo kế hoạch mục tiêu chất lượng năm {year}")
    return plan


def _shift(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def copy_plan(actor, source: ObjectivePlan, year: int) -> ObjectivePlan:
    """A new year's draft, as a copy of another year's objectives, indicators, tasks and settings."""
    plan = create_plan(actor, year, source.title.replace(str(source.year), str(year)))
    delta = year - source.year
    plan.copied_from_id = source.id
    for name in ("window_start_day", "unit_due_day", "office_due_day", "monitoring", "signed_by"):
        setattr(plan, name, getattr(source, name))
    plan.year_due_on, plan.year_office_due_on = _shift(source.year_due_on, delta), _shift(source.year_office_due_on,
                                                                                          delta)
    for obj in source.objectives:
        new = Objective(seq=obj.seq, code=obj.code, statement=obj.statement)
        plan.objectives.append(new)
        for ind in obj.indicators:
            new.indicators.append(Indicator(**{c: getattr(ind, c) for c in (
                "seq", "name", "measure", "kind", "scale", "target", "direction", "margin", "frequency", "source",
                "compute", "aggregate", "owner_unit_id")}))
        for task in obj.tasks:
            copy = ObjectiveTask(seq=task.seq, content=task.content, performer_text=task.performer_text,
                                 coordination_text=task.coordination_text, deadline_text=task.deadline_text,
                                 rule=task.rule, rule_day=task.rule_day, rule_date=_shift(task.rule_date, delta),
                                 all_units=task.all_units)
            copy.units = [TaskUnit(unit_id=u.unit_id, role=u.role) for u in task.units]
            new.tasks.append(copy)
    db.session.flush()
    audit(actor, "objectives.plan_copy", year, f"Sao chép kế hoạch năm {source.year} sang năm {year}",
          {"from": source.year})
    return plan


def update_settings(actor, plan: ObjectivePlan, *, title: str, window_start_day: int, unit_due_day: int,
                    office_due_day: int, year_due_on: date, year_office_due_on: date, holidays: str,
                    monitoring: str = "", signed_by: str = "") -> None:
    allow(perm.can_manage_plan(actor, plan))
    require(plan.status in (DRAFT, APPROVED, IN_FORCE), "plan_closed")
    require(bool(_clean(title)), "title_required")
    _days, bad = rules.parse_holidays(holidays)
    require(not bad, "bad_holiday", line=bad[0][0] if bad else 0, text=bad[0][1] if bad else "")
    try:
        rules.PlanSettings(window_start_day, unit_due_day, office_due_day,
                           (year_due_on.month, year_due_on.day), (year_office_due_on.month, year_office_due_on.day)
                           ).validate()
    except rules.RuleError as exc:
        raise ObjectiveError(exc.key)
    before = {"window_start_day": plan.window_start_day, "unit_due_day": plan.unit_due_day,
              "office_due_day": plan.office_due_day, "holidays": plan.holidays}
    plan.title, plan.window_start_day, plan.unit_due_day, plan.office_due_day = \
        _clean(title), window_start_day, unit_due_day, office_due_day
    plan.year_due_on, plan.year_office_due_on, plan.holidays = year_due_on, year_office_due_on, holidays.strip()
    plan.monitoring, plan.signed_by = _clean(monitoring), _clean(signed_by)
    db.session.flush()
    if plan.status != DRAFT:
        sync_periods(plan)
    audit(actor, "objectives.plan_settings", plan.year, f"Cập nhật thiết lập kế hoạch năm {plan.year}",
          {"before": before, "after": {"window_start_day": window_start_day, "unit_due_day": unit_due_day,
                                       "office_due_day": office_due_day, "holidays": plan.holidays}})


def sync_periods(plan: ObjectivePlan) -> list[Period]:
    """Create the year's periods from the settings; open periods follow a change of the settings."""
    existing = {p.key: p for p in db.session.scalars(select(Period).where(Period.plan_id == plan.id))}
    for spec in rules.periods_of_year(plan.year, plan.settings()):
        period = existing.get(spec.key)
        if period is None:
            period = Period(plan_id=plan.id, key=spec.key, kind=spec.kind)
            db.session.add(period)
        elif period.is_closed:
            continue
        period.starts_on, period.ends_on, period.due_on, period.office_due_on = \
            spec.starts_on, spec.ends_on, spec.due_on, spec.office_due_on
    db.session.flush()
    return periods_of(plan)


def approve(actor, plan: ObjectivePlan) -> None:
    allow(perm.can_approve_plan(actor, plan))
    require(plan.status == DRAFT, "wrong_state")
    require(bool(plan.objectives), "plan_empty")
    plan.status, plan.approved_by_id, plan.approved_at = APPROVED, actor.id, utcnow()
    sync_periods(plan)
    audit(actor, "objectives.plan_approve", plan.year, f"Phê duyệt kế hoạch mục tiêu chất lượng năm {plan.year}")


def return_to_draft(actor, plan: ObjectivePlan, comment: str) -> None:
    allow(perm.can_approve_plan(actor, plan))
    require(plan.status == APPROVED, "wrong_state")
    require(bool(_clean(comment)), "comment_required")
    plan.status, plan.approved_by_id, plan.approved_at = DRAFT, None, None
    audit(actor, "objectives.plan_return", plan.year, f"Trả lại dự thảo kế hoạch năm {plan.year}",
          {"comment": _clean(comment)})


def put_in_force(actor, plan: ObjectivePlan) -> None:
    allow(perm.can_manage_plan(actor, plan))
    require(plan.status == APPROVED, "wrong_state")
    plan.status = IN_FORCE
    audit(actor, "objectives.plan_in_force", plan.year, f"Kế hoạch năm {plan.year} có hiệu lực")


def close_plan(actor, plan: ObjectivePlan) -> None:
    allow(perm.can_manage_plan(actor, plan))
    require(plan.status == IN_FORCE, "wrong_state")
    plan.status, plan.closed_at = CLOSED, utcnow()
    audit(actor, "objectives.plan_close", plan.year, f"Kết thúc kế hoạch năm {plan.year}")


# -- objectives, indicators, tasks (while the plan is a draft) ---------------------------------
def _editable(actor, plan: ObjectivePlan) -> None:
    allow(perm.can_manage_plan(actor, plan))
    require(plan.status == DRAFT, "not_draft")


def add_objective(actor, plan: ObjectivePlan, code: str, statement: str) -> Objective:
    _editable(actor, plan)
    code, statement = _clean(code).upper(), _clean(statement)
    require(bool(code) and len(code) <= 10, "code_required")
    require(bool(statement), "statement_required")
    require(all(o.code != code for o in plan.objectives), "code_exists", code=code)
    obj = Objective(code=code, statement=statement, seq=max((o.seq for o in plan.objectives), default=0) + 1)
    plan.objectives.append(obj)
    db.session.flush()
    audit(actor, "objectives.objective_add", f"{plan.year}/{code}", f"Thêm mục tiêu {code} năm {plan.year}",
          {"statement": statement})
    return obj


def delete_objective(actor, obj: Objective) -> None:
    _editable(actor, obj.plan)
    audit(actor, "objectives.objective_delete", f"{obj.plan.year}/{obj.code}", f"Xoá mục tiêu {obj.code}",
          {"statement": obj.statement})
    obj.plan.objectives.remove(obj)
    db.session.flush()


def indicator_fields(*, name: str, measure: str, kind: str, scale: str, target, direction: str, margin,
                     frequency: str, source: str, owner_unit_id: int | None = None) -> dict:
    """Validated fields of an indicator; a rating's target may be one of its scale's labels."""
    name, measure, scale = _clean(name), _clean(measure), _clean(scale)
    require(bool(name), "indicator_name_required")
    require(kind in (KIND_NUMBER, KIND_RATING), "bad_kind")
    require(direction in rules.DIRECTIONS, "bad_direction")
    require(frequency in rules.FREQUENCIES, "bad_frequency")
    require(source in SOURCES, "bad_source")
    labels = [s.strip() for s in scale.split("|") if s.strip()]
    if kind == KIND_RATING:
        require(len(labels) >= 2, "scale_required")
        if isinstance(target, str) and not _is_number(target):
            require(target.strip() in labels, "bad_target")
            target = labels.index(target.strip()) + 1
    target_value = _number(target)
    require(target_value is not None, "bad_target")
    margin_value = _number(margin) if _clean(str(margin or "")) else 0.0
    require(margin_value is not None and margin_value >= 0, "bad_margin")
    return dict(name=name, measure=measure if kind == KIND_NUMBER else "", kind=kind,
                scale="|".join(labels) if kind == KIND_RATING else "", target=target_value, direction=direction,
                margin=margin_value, frequency=frequency, source=source,
                compute="review_share" if source == SOURCE_COMPUTED else "",
                aggregate="min" if kind == KIND_RATING else ("sum" if direction == rules.AT_MOST else "mean"),
                owner_unit_id=owner_unit_id)


def _is_number(text) -> bool:
    return _number(text) is not None


def _number(value) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    text = _clean(str(value or "")).replace("%", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def add_indicator(actor, obj: Objective, **fields) -> Indicator:
    _editable(actor, obj.plan)
    ind = Indicator(seq=max((i.seq for i in obj.indicators), default=0) + 1, **indicator_fields(**fields))
    obj.indicators.append(ind)
    db.session.flush()
    audit(actor, "objectives.indicator_add", f"{obj.plan.year}/{obj.code}", f"Thêm chỉ số vào {obj.code}: {ind.name}",
          {"target": ind.target, "direction": ind.direction, "frequency": ind.frequency, "source": ind.source})
    return ind


def delete_indicator(actor, ind: Indicator) -> None:
    obj = ind.objective
    _editable(actor, obj.plan)
    audit(actor, "objectives.indicator_delete", f"{obj.plan.year}/{obj.code}", f"Xoá chỉ số {ind.name}")
    obj.indicators.remove(ind)
    db.session.flush()


def task_fields(*, content: str, performer_text: str = "", coordination_text: str = "", deadline_text: str = "",
                rule: str, rule_day=None, rule_date: date | None = None, all_units: bool = False,
                lead_codes=(), coordinating_codes=()) -> tuple[dict, list[tuple[int, str]]]:
    content = _clean(content)
    require(bool(content), "task_content_required")
    require(rule in rules.RULE_KINDS, "bad_rule")
    day = int(rule_day) if rule_day not in (None, "") and str(rule_day).strip().isdigit() else None
    if rule in (rules.MONTHLY, rules.QUARTERLY):
        require(day is not None and 1 <= day <= 31, "rule_day")
    if rule == rules.YEARLY:
        require(rule_date is not None, "rule_date")
    units = {u.code: u.id for u in db.session.scalars(select(Unit))}
    links: list[tuple[int, str]] = []
    seen: set[int] = set()
    for codes, role in ((lead_codes, LEAD), (coordinating_codes, "coordinating")):
        for code in codes:
            code = code.strip().upper()
            if not code:
                continue
            require(code in units, "unknown_unit", code=code)
            if units[code] not in seen:
                seen.add(units[code])
                links.append((units[code], role))
    require(all_units or any(role == LEAD for _u, role in links), "lead_required")
    return dict(content=content, performer_text=_clean(performer_text), coordination_text=_clean(coordination_text),
                deadline_text=_clean(deadline_text), rule=rule,
                rule_day=day if rule in (rules.MONTHLY, rules.QUARTERLY) else None,
                rule_date=rule_date if rule == rules.YEARLY else None, all_units=bool(all_units)), links


def add_task(actor, obj: Objective, **fields) -> ObjectiveTask:
    _editable(actor, obj.plan)
    values, links = task_fields(**fields)
    task = ObjectiveTask(seq=max((t.seq for t in obj.tasks), default=0) + 1, **values)
    task.units = [TaskUnit(unit_id=u, role=r) for u, r in links]
    obj.tasks.append(task)
    db.session.flush()
    audit(actor, "objectives.task_add", f"{obj.plan.year}/{obj.code}", f"Thêm nhiệm vụ vào {obj.code}",
          {"content": task.content[:300], "rule": task.rule, "day": task.rule_day,
           "date": task.rule_date.isoformat() if task.rule_date else None})
    return task


def delete_task(actor, task: ObjectiveTask) -> None:
    obj = task.objective
    _editable(actor, obj.plan)
    audit(actor, "objectives.task_delete", f"{obj.plan.year}/{obj.code}", f"Xoá nhiệm vụ {task.seq} của {obj.code}",
          {"content": task.content[:300]})
    obj.tasks.remove(task)
    db.session.flush()
