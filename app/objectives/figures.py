"""Status is computed, never typed: the figures of a period and of a year, in a fixed number of queries.

A unit's value counts once its report is sent (or accepted); the department's value is an imported
figure, a computed one (Objective 4: the yearly review's share, from app/reviews/compliance.py), or
the units' values aggregated. Each is judged against the indicator's target by rules.judge.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.auth.models import Unit
from app.capa.models import Capa
from app.extensions import db
from app.objectives import rules
from app.objectives.models import (MISSING_KIND, NOT_MET_KIND, R_ACCEPTED, R_SENT, SOURCE_COMPUTED, SOURCE_IMPORTED,
                                   CapaProposal, Indicator, IndicatorValue, ObjectivePlan, ObjectiveTask, Period,
                                   TaskUnit, UnitReport)
from app.reviews import compliance

COUNTED = (R_SENT, R_ACCEPTED)


def reporting_units(plan: ObjectivePlan) -> list[Unit]:
    """The units that report: every active unit when a task is for all units, else the tasks' units."""
    task_ids = [t.id for o in plan.objectives for t in o.tasks]
    everyone = any(t.all_units for o in plan.objectives for t in o.tasks)
    stmt = select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)
    if not everyone:
        stmt = stmt.where(Unit.id.in_(select(TaskUnit.unit_id).where(TaskUnit.task_id.in_(task_ids))))
    return list(db.session.scalars(stmt))


@dataclass
class Figure:
    indicator: Indicator
    value: float | None = None
    status: str = rules.NO_DATA
    unit_values: dict = field(default_factory=dict)   # unit_id -> (value, status)

    @property
    def label(self) -> str:
        return self.indicator.label(self.value)


@dataclass
class Proposal:
    kind: str
    ref: str
    title: str
    description: str
    objective_id: int | None
    unit: Unit | None
    decided: CapaProposal | None = None
    capa_number: str | None = None


@dataclass
class PeriodView:
    plan: ObjectivePlan
    period: Period
    today: date
    units: list[Unit]
    reports: dict            # unit_id -> UnitReport
    figures: list[Figure]
    finished: bool

    @property
    def overdue(self) -> bool:
        return self.today > self.period.due_on

    def report(self, unit_id):
        return self.reports.get(unit_id)

    @property
    def not_sent(self) -> list[Unit]:
        return [u for u in self.units if self.reports.get(u.id) is None or self.reports[u.id].status not in COUNTED]

    @property
    def missing(self) -> list[Unit]:
        """Units whose report is not in after the due date."""
        return self.not_sent if self.overdue else []

    @property
    def late(self) -> list[UnitReport]:
        return [r for r in self.reports.values() if r.status in COUNTED and r.days_late > 0]


def is_finished(period: Period, today: date) -> bool:
    """A shortfall is final once the period is closed, or past both its window and the Office's due date."""
    return period.is_closed or today > max(period.office_due_on, period.ends_on)


def _judge(ind: Indicator, value, finished: bool) -> str:
    return rules.judge(value, ind.target, ind.direction, ind.margin, finished)


def _computed(plan: ObjectivePlan, today: date):
    """Objective 4: the yearly review's figures for the plan's year, exactly as the review pages show them."""
    return compliance.year_compliance(plan.year, today)


def review_finished(plan: ObjectivePlan, review, today: date) -> bool:
    """Objective 4's share is final once the review cycle is closed, or the year is over."""
    cycle = getattr(review, "cycle", None)
    return (cycle is not None and not cycle.is_open) or today > date(plan.year, 12, 31)


def _figure(ind: Indicator, period: Period, rows, units: list[Unit], finished: bool, review,
            review_done: bool = True) -> Figure:
    """rows: (unit_id, value, source) of this indicator and period that count."""
    fig = Figure(ind)
    if ind.source == SOURCE_COMPUTED:
        finished = finished and review_done
    dept = [v for u, v, s in rows if u is None]
    per_unit = {u: v for u, v, s in rows if u is not None}
    if ind.source == SOURCE_COMPUTED and review is not None and (period.kind == rules.YEAR or not dept):
        if review.total:
            fig.value = float(review.pct)
            for up in review.units:
                fig.unit_values[up.unit_id] = (float(up.pct), _judge(ind, float(up.pct), finished))
    elif dept:
        fig.value = dept[0]
    elif ind.source != SOURCE_IMPORTED:
        fig.value = rules.aggregate(list(per_unit.values()), ind.aggregate)
    for unit_id, value in per_unit.items():
        fig.unit_values[unit_id] = (value, _judge(ind, value, finished))
    fig.status = _judge(ind, fig.value, finished)
    return fig


def _value_rows(period_ids):
    """Every value that counts in these periods: the department's, and units' from sent or accepted reports."""
    stmt = (select(IndicatorValue.indicator_id, IndicatorValue.period_id, IndicatorValue.unit_id, IndicatorValue.value,
                   IndicatorValue.source, UnitReport.status)
            .outerjoin(UnitReport, UnitReport.id == IndicatorValue.report_id)
            .where(IndicatorValue.period_id.in_(period_ids)))
    out: dict[tuple[int, int], list] = {}
    for ind_id, period_id, unit_id, value, source, status in db.session.execute(stmt):
        if unit_id is not None and status not in COUNTED:
            continue
        out.setdefault((ind_id, period_id), []).append((unit_id, value, source))
    return out


def period_view(plan: ObjectivePlan, period: Period, today: date) -> PeriodView:
    units = reporting_units(plan)
    reports = {r.unit_id: r for r in db.session.scalars(select(UnitReport).where(UnitReport.period_id == period.id))}
    indicators = [i for o in plan.objectives for i in o.indicators if i.frequency == period.kind]
    rows = _value_rows([period.id])
    finished = is_finished(period, today)
    review = _computed(plan, today) if any(i.source == SOURCE_COMPUTED for i in indicators) else None
    done = review_finished(plan, review, today)
    figures = [_figure(i, period, rows.get((i.id, period.id), []), units, finished, review, done)
               for i in indicators]
    return PeriodView(plan, period, today, units, reports, figures, finished)


def proposals(view: PeriodView) -> list[Proposal]:
    """Not-met indicators and missing reports call for corrective action; decided ones carry the decision."""
    plan, period = view.plan, view.period
    units = {u.id: u for u in view.units}
    out: list[Proposal] = []
    for fig in view.figures:
        if fig.status != rules.NOT_MET:
            continue
        ind = fig.indicator
        obj = ind.objective
        failing = [units[u] for u, (_v, s) in fig.unit_values.items() if s == rules.NOT_MET and u in units]
        unit_lines = "; ".join(f"{u.code}: {ind.label(fig.unit_values[u.id][0])}" for u in failing)
        out.append(Proposal(
            NOT_MET_KIND, f"i{ind.id}",
            f"{obj.code} kỳ {period.key}: chỉ số “{ind.name}” không đạt",
            f"Mục tiêu {obj.code}: {obj.statement}\nChỉ số: {ind.name}; chỉ tiêu {ind.target_label}; "
            f"kết quả kỳ {period.key}: {fig.label}." + (f"\nĐơn vị không đạt: {unit_lines}." if unit_lines else "")
            + f"\nNguồn: /objectives/{plan.year}/periods/{period.key}",
            obj.id, failing[0] if len(failing) == 1 else None))
    for unit in view.missing:
        out.append(Proposal(
            MISSING_KIND, f"u{unit.id}", f"{unit.code} chưa gửi báo cáo mục tiêu chất lượng kỳ {period.key}",
            f"Đơn vị {unit.name} chưa gửi báo cáo kỳ {period.key} (hạn {period.due_on.strftime('%d/%m/%Y')}).\n"
            f"Nguồn: /objectives/{plan.year}/periods/{period.key}", None, unit))
    decided = {(p.kind, p.ref): p for p in db.session.scalars(
        select(CapaProposal).where(CapaProposal.period_id == period.id))}
    numbers = dict(db.session.execute(select(Capa.id, Capa.number).where(
        Capa.id.in_([p.capa_id for p in decided.values() if p.capa_id]))).all()) if decided else {}
    shown = {(p.kind, p.ref) for p in out}
    for key, row in decided.items():  # a decision stays visible after the figures changed
        if key not in shown:
            out.append(Proposal(row.kind, row.ref, "", "", row.objective_id, None))
    for p in out:
        p.decided = decided.get((p.kind, p.ref))
        if p.decided is not None and p.decided.capa_id:
            p.capa_number = numbers.get(p.decided.capa_id)
    return out


@dataclass
class Series:
    figure: Figure                                  # the latest period with data (the indicator's current status)
    points: list = field(default_factory=list)     # (period key, value, status) in order


def year_series(plan: ObjectivePlan, today: date) -> dict[int, Series]:
    """Each indicator's trend over the periods of its frequency; a fixed number of queries for any size."""
    periods = list(db.session.scalars(select(Period).where(Period.plan_id == plan.id).order_by(Period.starts_on,
                                                                                                Period.kind)))
    rows = _value_rows([p.id for p in periods]) if periods else {}
    units = reporting_units(plan)
    indicators = [i for o in plan.objectives for i in o.indicators]
    review = _computed(plan, today) if any(i.source == SOURCE_COMPUTED for i in indicators) else None
    out: dict[int, Series] = {}
    for ind in indicators:
        series = Series(Figure(ind))
        for period in periods:
            if period.kind != ind.frequency or period.starts_on > today:
                continue
            finished = is_finished(period, today)
            fig = _figure(ind, period, rows.get((ind.id, period.id), []), units, finished, review,
                          review_finished(plan, review, today))
            series.points.append((period.key, fig.value, fig.status))
            if fig.value is not None:
                series.figure = fig
        out[ind.id] = series
    return out


def year_results(plan: ObjectivePlan, today: date) -> list[dict]:
    series = year_series(plan, today)
    out = []
    for obj in plan.objectives:
        inds = []
        for ind in obj.indicators:
            s = series[ind.id]
            inds.append({"id": ind.id, "name": ind.name, "target": ind.target, "direction": ind.direction,
                         "measure": ind.measure, "frequency": ind.frequency, "source": ind.source,
                         "value": s.figure.value, "label": s.figure.label, "status": s.figure.status,
                         "periods": {k: {"value": v, "status": st} for k, v, st in s.points}})
        out.append({"code": obj.code, "statement": obj.statement,
                    "status": rules.worst(i["status"] for i in inds), "indicators": inds})
    return out


def objective_capas(plan: ObjectivePlan) -> dict[int, list[tuple[str, str, str]]]:
    """objective id -> [(CAPA number, title, status)] raised from this plan's figures."""
    stmt = (select(CapaProposal.objective_id, Capa.number, Capa.title, Capa.status)
            .join(Capa, Capa.id == CapaProposal.capa_id).join(Period, Period.id == CapaProposal.period_id)
            .where(Period.plan_id == plan.id).order_by(Capa.number))
    out: dict[int, list] = {}
    for obj_id, number, title, status in db.session.execute(stmt):
        out.setdefault(obj_id, []).append((number, title, status))
    return out


def capa_origin(capa) -> tuple[str, str] | None:
    """Where a CAPA raised from the objectives came from: (page URL, period key), for the CAPA's page."""
    if getattr(capa, "source", None) != "objective":
        return None
    row = db.session.execute(
        select(ObjectivePlan.year, Period.key).join(Period, Period.plan_id == ObjectivePlan.id)
        .join(CapaProposal, CapaProposal.period_id == Period.id).where(CapaProposal.capa_id == capa.id)).first()
    return (f"/objectives/{row.year}/periods/{row.key}", row.key) if row else None


def task_count(plan: ObjectivePlan) -> int:
    return sum(len(o.tasks) for o in plan.objectives)


__all__ = ["period_view", "proposals", "year_series", "year_results", "reporting_units", "ObjectiveTask"]
