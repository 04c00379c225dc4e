"""Deadline rules, reporting periods and indicator status: plain Python, no Flask, no database.

A plan's settings (the reporting window's first day, the units' and the Office's due days, the
public holidays) and a task's deadline rule are turned here into periods with due dates; an
indicator's value against its target is judged here. Everything takes dates and numbers, so the
rules are tested without an application.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# deadline rule kinds of a task
MONTHLY, QUARTERLY, YEARLY, ON_ASSIGNMENT, CONTINUOUS = "monthly", "quarterly", "yearly", "on_assignment", \
    "continuous"
RULE_KINDS = (MONTHLY, QUARTERLY, YEARLY, ON_ASSIGNMENT, CONTINUOUS)
# period kinds (an indicator's frequency uses the same words)
MONTH, QUARTER, YEAR = "month", "quarter", "year"
FREQUENCIES = (MONTH, QUARTER, YEAR)
# status of an indicator for a period
MET, AT_RISK, NOT_MET, NO_DATA = "met", "at_risk", "not_met", "no_data"
STATUSES = (MET, AT_RISK, NOT_MET, NO_DATA)
# direction of a target
AT_LEAST, AT_MOST = ">=", "<="
DIRECTIONS = (AT_LEAST, AT_MOST)


class RuleError(ValueError):
    """A deadline rule or setting that cannot give a date; `key` names what is wrong."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _clamp_day(year: int, month: int, day: int) -> date:
    """Day N of a month; a month shorter than N ends on its last day (the 31st of a 30-day month)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def next_working_day(day: date, holidays=frozenset()) -> date:
    """A due date on a Saturday, Sunday or public holiday moves to the next working day."""
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def parse_holidays(text: str) -> tuple[set[date], list[tuple[int, str]]]:
    """One date a line (dd/mm/yyyy or yyyy-mm-dd, anything after the date is a comment).

    Returns the dates and the (line number, text) of the lines that are not dates.
    """
    days: set[date] = set()
    bad: list[tuple[int, str]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        token = line.strip().split(" ", 1)[0].strip()
        if not token:
            continue
        day = _parse_day(token)
        if day is None:
            bad.append((number, line.strip()))
        else:
            days.add(day)
    return days, bad


def _parse_day(token: str) -> date | None:
    for sep, order in (("/", (2, 1, 0)), ("-", (0, 1, 2))):
        parts = token.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                y, m, d = (int(parts[i]) for i in order)
                return date(y, m, d)
            except ValueError:
                return None
    return None


@dataclass(frozen=True)
class PlanSettings:
    """What the plan decides about its periods (the seed's rules are the defaults)."""

    window_start_day: int = 15       # 15: a month's figures run from the 15th of the month before to the 14th
    unit_due_day: int = 14           # units send by day N (of the month; of the quarter's last month)
    office_due_day: int = 17         # the Office consolidates by day N
    year_due: tuple[int, int] = (11, 5)     # (month, day) the units' yearly report is due
    year_office_due: tuple[int, int] = (11, 10)
    holidays: frozenset = frozenset()

    def validate(self) -> None:
        if not 1 <= self.window_start_day <= 28:
            raise RuleError("window_start_day")
        for value in (self.unit_due_day, self.office_due_day):
            if not 1 <= value <= 31:
                raise RuleError("due_day")
        for month, day in (self.year_due, self.year_office_due):
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                raise RuleError("year_due")


@dataclass(frozen=True)
class PeriodSpec:
    key: str            # "2022-03", "2022-Q1", "2022"
    kind: str           # month, quarter, year
    starts_on: date
    ends_on: date
    due_on: date        # the units' reports
    office_due_on: date  # the Office's consolidation


def month_window(year: int, month: int, start_day: int) -> tuple[date, date]:
    """A month's reporting window: the 1st to the last day, or day N of the month before to day N-1."""
    if start_day == 1:
        return date(year, month, 1), _clamp_day(year, month, 31)
    py, pm = _add_months(year, month, -1)
    return _clamp_day(py, pm, start_day), _clamp_day(year, month, start_day - 1)


def _due(year: int, month: int, day: int, holidays) -> date:
    return next_working_day(_clamp_day(year, month, day), holidays)


def month_period(year: int, month: int, s: PlanSettings) -> PeriodSpec:
    start, end = month_window(year, month, s.window_start_day)
    return PeriodSpec(f"{year}-{month:02d}", MONTH, start, end, _due(year, month, s.unit_due_day, s.holidays),
                      _due(year, month, s.office_due_day, s.holidays))


def quarter_period(year: int, quarter: int, s: PlanSettings) -> PeriodSpec:
    last = quarter * 3
    start, _ = month_window(year, last - 2, s.window_start_day)
    _, end = month_window(year, last, s.window_start_day)
    return PeriodSpec(f"{year}-Q{quarter}", QUARTER, start, end, _due(year, last, s.unit_due_day, s.holidays),
                      _due(year, last, s.office_due_day, s.holidays))


def year_period(year: int, s: PlanSettings) -> PeriodSpec:
    start, _ = month_window(year, 1, s.window_start_day)
    _, end = month_window(year, 12, s.window_start_day)
    return PeriodSpec(str(year), YEAR, start, end, _due(year, *s.year_due, s.holidays),
                      _due(year, *s.year_office_due, s.holidays))


def periods_of_year(year: int, s: PlanSettings) -> list[PeriodSpec]:
    """Twelve months, four quarters and the year, in the order their due dates come."""
    s.validate()
    out = [month_period(year, m, s) for m in range(1, 13)]
    out += [quarter_period(year, q, s) for q in range(1, 5)]
    out.append(year_period(year, s))
    order = {MONTH: 0, QUARTER: 1, YEAR: 2}
    return sorted(out, key=lambda p: (p.due_on, order[p.kind]))


def parse_period_key(key: str) -> tuple[int, str, int] | None:
    """"2022-03" -> (2022, month, 3); "2022-Q1" -> (2022, quarter, 1); "2022" -> (2022, year, 0)."""
    key = (key or "").strip().upper()
    try:
        if key.isdigit() and len(key) == 4:
            return int(key), YEAR, 0
        year_text, rest = key.split("-", 1)
        year = int(year_text)
        if rest.startswith("Q") and rest[1:].isdigit() and 1 <= int(rest[1:]) <= 4:
            return year, QUARTER, int(rest[1:])
        if rest.isdigit() and 1 <= int(rest) <= 12:
            return year, MONTH, int(rest)
    except ValueError:
        return None
    return None


# -- a task's deadline rule --------------------------------------------------------------------
def rule_period_kinds(kind: str) -> tuple[str, ...]:
    """Which periods' reports a task appears in: a monthly task in every monthly and quarterly report."""
    return {MONTHLY: (MONTH, QUARTER, YEAR), QUARTERLY: (QUARTER, YEAR), YEARLY: (YEAR,),
            ON_ASSIGNMENT: (MONTH, QUARTER, YEAR), CONTINUOUS: (MONTH, QUARTER, YEAR)}[kind]


def task_due_dates(kind: str, year: int, *, day: int | None = None, on: date | None = None,
                   assigned: list[date] | None = None, holidays=frozenset()) -> list[date]:
    """Every due date a task's rule gives in a year (a continuous task has none)."""
    if kind == MONTHLY:
        if not day or not 1 <= day <= 31:
            raise RuleError("rule_day")
        return [_due(year, m, day, holidays) for m in range(1, 13)]
    if kind == QUARTERLY:
        if not day or not 1 <= day <= 31:
            raise RuleError("rule_day")
        return [_due(year, q * 3, day, holidays) for q in range(1, 5)]
    if kind == YEARLY:
        if on is None:
            raise RuleError("rule_date")
        return [next_working_day(on, holidays)]
    if kind == ON_ASSIGNMENT:
        return sorted(next_working_day(d, holidays) for d in (assigned or []))
    if kind == CONTINUOUS:
        return []
    raise RuleError("rule_kind")


def days_late(due_on: date, sent_on: date) -> int:
    return max(0, (sent_on - due_on).days)


# -- indicator status --------------------------------------------------------------------------
def judge(value: float | None, target: float, direction: str = AT_LEAST, margin: float = 0.0,
          finished: bool = True) -> str:
    """An indicator's value against its target.

    Met when the target is reached; at risk when it is missed by no more than the margin, or
    missed while the period is still running (a yearly figure in June); not met otherwise.
    """
    if value is None:
        return NO_DATA
    if direction == AT_MOST:
        gap = value - target
    else:
        gap = target - value
    if gap <= 0:
        return MET
    if gap <= margin or not finished:
        return AT_RISK
    return NOT_MET


def aggregate(values: list[float], how: str) -> float | None:
    """The department's figure from the units' figures: mean (shares), sum (counts), min (ratings)."""
    if not values:
        return None
    if how == "sum":
        return float(sum(values))
    if how == "min":
        return float(min(values))
    return round(sum(values) / len(values), 2)


def worst(statuses) -> str:
    """The department's status over several: any not met wins, then at risk, then met; nothing is no data."""
    statuses = [s for s in statuses if s != NO_DATA]
    for status in (NOT_MET, AT_RISK, MET):
        if status in statuses:
            return status
    return NO_DATA
