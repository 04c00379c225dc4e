"""Objective 4 compliance: reviewed share per year, per unit, overdue and stale procedures, aggregated in SQL.

A cycle's denominator is its reviews whose procedure was not withdrawn on the cycle's reference date
(today while open, the closing date once closed, which freezes the figures); its numerator is the
accepted reviews, which include the procedures whose revision was issued in the year (counted when
the cycle opens, or by the ON_ISSUE hook while it is open). A review accepted as "updated" counts only
once its update is issued (the ON_ISSUE hook then marks it counted by the issue); until then it waits. A year without a cycle is read from the
procedures' own dates (issue and last review).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, case, exists, func, or_, select

from app.auth.models import Unit
from app.extensions import db
from app.procedures.models import DRAFT, WITHDRAWN, Procedure
from app.reviews.models import ACCEPTED, CLOSED, SOURCE_UNIT, STATUSES, UPDATED, Review, ReviewCycle
from app.timeutil import LOCAL_TZ


def percent(part: int, whole: int) -> int:
    """Whole percent for people: never 100 before everything is done, never 0 once something is."""
    if whole <= 0:
        return 0
    value = round(100 * part / whole)
    if part < whole:
        value = min(value, 99)
    if part > 0:
        value = max(value, 1)
    return value


@dataclass
class UnitProgress:
    unit_id: int
    code: str
    name: str
    total: int = 0
    reviewed: int = 0
    overdue: int = 0
    awaiting_issue: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @property
    def pct(self) -> int:
        return percent(self.reviewed, self.total)


@dataclass
class Compliance:
    year: int
    as_of: date
    cycle: ReviewCycle | None = None
    total: int = 0
    reviewed: int = 0
    overdue: int = 0
    awaiting_issue: int = 0
    units: list[UnitProgress] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @property
    def pct(self) -> int:
        return percent(self.reviewed, self.total)

    @property
    def remaining(self) -> int:
        return self.total - self.reviewed

    def unit(self, code: str | None) -> UnitProgress | None:
        return next((u for u in self.units if u.code == code), None)


def reference_date(cycle: ReviewCycle, today: date) -> date:
    return cycle.closed_on if cycle.status == CLOSED and cycle.closed_on else today


def _in_scope(as_of):
    """Withdrawn procedures leave the denominator from their withdrawal date."""
    return or_(Procedure.withdrawn_on.is_(None), Procedure.withdrawn_on > as_of)


def _units(ids) -> dict[int, Unit]:
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(ids))))}


def _is_overdue(cycle: ReviewCycle, as_of: date) -> bool:
    return as_of > cycle.deadline


def all_cycles_compliance(today: date, unit_ids=None) -> dict[int, Compliance]:
    """Every cycle's figures, per unit, in one GROUP BY query: {year: Compliance}."""
    cycles = db.session.scalars(select(ReviewCycle).order_by(ReviewCycle.year)).all()
    return _compliance_of(cycles, today, unit_ids)


def cycle_compliance(cycle: ReviewCycle, today: date, unit_ids=None) -> Compliance:
    return _compliance_of([cycle], today, unit_ids)[cycle.year]


# accepted as "updated" by the unit, but the update is not issued yet: not reviewed for Objective 4
_AWAITING_ISSUE = case((and_(Review.status == ACCEPTED, Review.outcome == UPDATED, Review.source == SOURCE_UNIT), 1),
                       else_=0)


def _grouped(stmt, cycles, unit_ids):
    stmt = stmt.where(Review.cycle_id.in_([c.id for c in cycles]))
    if unit_ids is not None:
        stmt = stmt.where(Review.unit_id.in_(list(unit_ids)))
    return stmt.group_by(Review.cycle_id, Review.unit_id, Review.status, _AWAITING_ISSUE)


def _compliance_of(cycles, today: date, unit_ids=None) -> dict[int, Compliance]:
    """Two GROUP BY queries: every review (covering index), minus those of procedures withdrawn by then."""
    out = {c.year: Compliance(c.year, reference_date(c, today), c) for c in cycles}
    if not cycles:
        return out
    counts: dict[tuple[int, int, str, int], int] = {}
    everything = _grouped(select(Review.cycle_id, Review.unit_id, Review.status, _AWAITING_ISSUE, func.count()),
                          cycles, unit_ids)
    for cycle_id, unit_id, status, waiting, n in db.session.execute(everything):
        counts[(cycle_id, unit_id, status, waiting)] = n
    # withdrawn procedures leave the denominator from their withdrawal date (the closing date freezes it);
    # they are few, so the query starts from them and the dates are compared here
    by_id = {c.id: c for c in cycles}
    withdrawn_ids = select(Procedure.id).where(Procedure.status == WITHDRAWN).scalar_subquery()
    withdrawn = (select(Review.cycle_id, Review.unit_id, Review.status, _AWAITING_ISSUE, Procedure.withdrawn_on,
                        func.count())
                 .join(Procedure, Procedure.id == Review.procedure_id).where(Review.procedure_id.in_(withdrawn_ids))
                 .group_by(Review.cycle_id, Review.unit_id, Review.status, _AWAITING_ISSUE, Procedure.withdrawn_on))
    for cycle_id, unit_id, status, waiting, withdrawn_on, n in db.session.execute(withdrawn):
        key = (cycle_id, unit_id, status, waiting)
        if key in counts and withdrawn_on <= out[by_id[cycle_id].year].as_of:
            counts[key] -= n
    units = _units({unit_id for (_c, unit_id, _s, _w), n in counts.items() if n > 0})
    per_unit: dict[tuple[int, int], UnitProgress] = {}
    for (cycle_id, unit_id, status, waiting), n in counts.items():
        if n <= 0:
            continue
        cycle = by_id[cycle_id]
        result = out[cycle.year]
        key = (cycle_id, unit_id)
        if key not in per_unit:
            u = units[unit_id]
            per_unit[key] = UnitProgress(unit_id, u.code, u.name)
            result.units.append(per_unit[key])
        up = per_unit[key]
        up.total += n
        up.counts[status] += n
        result.total += n
        result.counts[status] += n
        if status == ACCEPTED and not waiting:
            up.reviewed += n
            result.reviewed += n
            continue
        if waiting:
            up.awaiting_issue += n
            result.awaiting_issue += n
        if _is_overdue(cycle, result.as_of):
            up.overdue += n
            result.overdue += n
    for result in out.values():
        result.units.sort(key=lambda u: u.code)
    return out


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _in_force_on(day: date):
    return and_(Procedure.issued_revision.is_not(None), Procedure.status != DRAFT, _in_scope(day),
                or_(Procedure.issued_on <= day, Procedure.issue_number > 1))


def year_compliance(year: int, today: date, unit_ids=None) -> Compliance:
    """For any year: the cycle's figures if there is one, else the procedures' own dates."""
    cycle = db.session.scalar(select(ReviewCycle).where(ReviewCycle.year == year))
    if cycle is not None:
        return cycle_compliance(cycle, today, unit_ids)
    as_of = min(today, _year_end(year))
    result = Compliance(year, as_of)
    if as_of < date(year, 1, 1):
        return result
    start = date(year, 1, 1)
    reviewed = or_(Procedure.last_reviewed_on.between(start, as_of), Procedure.issued_on.between(start, as_of))
    stmt = (select(Procedure.unit_id, func.count(), func.sum(case((reviewed, 1), else_=0)))
            .where(_in_force_on(as_of)).group_by(Procedure.unit_id))
    if unit_ids is not None:
        stmt = stmt.where(Procedure.unit_id.in_(list(unit_ids)))
    rows = db.session.execute(stmt).all()
    units = _units({r[0] for r in rows})
    for unit_id, n, done in rows:
        u = units[unit_id]
        up = UnitProgress(unit_id, u.code, u.name, total=n, reviewed=int(done or 0))
        result.units.append(up)
        result.total += n
        result.reviewed += up.reviewed
    result.units.sort(key=lambda u: u.code)
    return result


def year_on_year(today: date, unit_ids=None) -> list[Compliance]:
    """Every cycle, newest first, plus the current year when it has no cycle yet."""
    results = all_cycles_compliance(today, unit_ids)
    if today.year not in results:
        results[today.year] = year_compliance(today.year, today, unit_ids)
    return [results[y] for y in sorted(results, reverse=True)]


# -- not reviewed for more than 12 months ----------------------------------------------------------------
def months_ago_12(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def utc_start_of(day: date) -> datetime:
    """The UTC instant a Hanoi calendar day starts at."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def stale_procedures(on: date, limit: int = 50, unit_ids=None, today: date | None = None) -> tuple[int, list[Procedure]]:
    """Procedures in force on `on` with no review, accepted or by an issue, in the 12 months before it.

    `last_reviewed_on` is the latest review date, which answers for today; a date in the past also
    looks at the accepted reviews' own dates, since a later review moved `last_reviewed_on` on.
    """
    since = months_ago_12(on)
    cond = and_(_in_force_on(on),
                ~func.coalesce(Procedure.last_reviewed_on.between(since, on), False),
                ~func.coalesce(Procedure.issued_on.between(since, on), False))
    if today is None or on < today:
        cond = and_(cond, ~exists().where(
            Review.procedure_id == Procedure.id, Review.status == ACCEPTED,
            Review.accepted_at >= utc_start_of(since), Review.accepted_at < utc_start_of(on + timedelta(days=1))))
    if unit_ids is not None:
        cond = and_(cond, Procedure.unit_id.in_(list(unit_ids)))
    total = db.session.scalar(select(func.count()).select_from(Procedure).where(cond)) or 0
    items = db.session.scalars(
        select(Procedure).where(cond)
        .order_by(func.coalesce(Procedure.last_reviewed_on, Procedure.issued_on), Procedure.code).limit(limit)).all()
    return total, list(items)


def indicator(today: date) -> Compliance | None:
    """What the steering committee reads on the home page: the open cycle, else this year, else the latest."""
    cycle = db.session.scalar(select(ReviewCycle).where(ReviewCycle.status == "open").order_by(ReviewCycle.year))
    if cycle is None:
        cycle = db.session.scalar(select(ReviewCycle).where(ReviewCycle.year == today.year))
    if cycle is None:
        cycle = db.session.scalar(select(ReviewCycle).order_by(ReviewCycle.year.desc()).limit(1))
    if cycle is None:
        return None
    return cycle_compliance(cycle, today)
