"""Deadline rules, periods and status, tested without an application (app/objectives/rules.py)."""
from __future__ import annotations

from datetime import date

import pytest

from app.objectives import rules
from app.objectives.rules import PlanSettings

HOLIDAYS_2022 = frozenset({date(2022, 1, 3), date(2022, 4, 11), date(2022, 5, 2), date(2022, 5, 3),
                           date(2022, 9, 1), date(2022, 9, 2)})


def test_monthly_rule_is_day_n_of_every_month():
    dues = rules.task_due_dates(rules.MONTHLY, 2022, day=14)
    assert len(dues) == 12
    assert dues[0] == date(2022, 1, 14)           # a Friday
    assert dues[4] == date(2022, 5, 16)           # 14/05/2022 is a Saturday: moved to Monday


def test_quarterly_rule_is_day_n_of_the_quarters_last_month():
    assert rules.task_due_dates(rules.QUARTERLY, 2022, day=14) == [
        date(2022, 3, 14), date(2022, 6, 14), date(2022, 9, 14), date(2022, 12, 14)]


def test_yearly_rule_is_before_a_date_moved_off_the_weekend():
    assert rules.task_due_dates(rules.YEARLY, 2022, on=date(2022, 11, 5)) == [date(2022, 11, 7)]
    with pytest.raises(rules.RuleError):
        rules.task_due_dates(rules.YEARLY, 2022)


def test_on_assignment_has_one_deadline_per_assignment_and_continuous_none():
    assigned = [date(2022, 7, 30), date(2022, 3, 1)]
    assert rules.task_due_dates(rules.ON_ASSIGNMENT, 2022, assigned=assigned) == [date(2022, 3, 1), date(2022, 8, 1)]
    assert rules.task_due_dates(rules.CONTINUOUS, 2022) == []


def test_a_day_beyond_the_month_ends_on_its_last_day():
    dues = rules.task_due_dates(rules.MONTHLY, 2023, day=31)
    assert dues[1] == date(2023, 2, 28)


def test_weekend_and_holidays_move_the_due_date_to_the_next_working_day():
    assert rules.next_working_day(date(2022, 9, 1), HOLIDAYS_2022) == date(2022, 9, 5)  # Thu, Fri holidays, weekend
    assert rules.next_working_day(date(2022, 3, 14), HOLIDAYS_2022) == date(2022, 3, 14)
    s = PlanSettings(holidays=HOLIDAYS_2022, unit_due_day=2)
    assert rules.month_period(2022, 5, s).due_on == date(2022, 5, 4)  # 2 and 3 May are holidays


def test_the_15th_to_14th_window_is_a_setting():
    march = rules.month_period(2022, 3, PlanSettings())
    assert (march.starts_on, march.ends_on) == (date(2022, 2, 15), date(2022, 3, 14))
    assert (march.due_on, march.office_due_on) == (date(2022, 3, 14), date(2022, 3, 17))
    january = rules.month_period(2022, 1, PlanSettings())
    assert january.starts_on == date(2021, 12, 15)
    calendar_month = rules.month_period(2022, 2, PlanSettings(window_start_day=1))
    assert (calendar_month.starts_on, calendar_month.ends_on) == (date(2022, 2, 1), date(2022, 2, 28))


def test_a_year_has_twelve_months_four_quarters_and_the_year():
    periods = rules.periods_of_year(2022, PlanSettings(holidays=HOLIDAYS_2022))
    keys = [p.key for p in periods]
    assert len(keys) == 17 and "2022-Q1" in keys and "2022" in keys
    q1 = next(p for p in periods if p.key == "2022-Q1")
    assert (q1.starts_on, q1.ends_on, q1.due_on, q1.office_due_on) == (
        date(2021, 12, 15), date(2022, 3, 14), date(2022, 3, 14), date(2022, 3, 17))
    year = next(p for p in periods if p.key == "2022")
    assert year.due_on == date(2022, 11, 7) and year.office_due_on == date(2022, 11, 10)


def test_period_keys_parse_and_bad_ones_are_refused():
    assert rules.parse_period_key("2022-03") == (2022, rules.MONTH, 3)
    assert rules.parse_period_key("2022-q1") == (2022, rules.QUARTER, 1)
    assert rules.parse_period_key("2022") == (2022, rules.YEAR, 0)
    for bad in ("2022-13", "2022-Q5", "abc", "", "2022-"):
        assert rules.parse_period_key(bad) is None


def test_holidays_setting_names_the_lines_that_are_not_dates():
    days, bad = rules.parse_holidays("01/09/2022 Quốc khánh\n2022-09-02\n\n31/02/2022\nTết")
    assert days == {date(2022, 9, 1), date(2022, 9, 2)}
    assert [n for n, _t in bad] == [4, 5]


def test_late_by_days():
    assert rules.days_late(date(2022, 3, 14), date(2022, 3, 14)) == 0
    assert rules.days_late(date(2022, 3, 14), date(2022, 3, 18)) == 4


@pytest.mark.parametrize("value,target,direction,margin,finished,expected", [
    (100, 100, ">=", 0, True, rules.MET),
    (98, 100, ">=", 5, True, rules.AT_RISK),
    (90, 100, ">=", 5, True, rules.NOT_MET),
    (90, 100, ">=", 0, False, rules.AT_RISK),   # still running
    (0, 0, "<=", 0, True, rules.MET),
    (2, 0, "<=", 0, True, rules.NOT_MET),
    (3, 4, ">=", 1, True, rules.AT_RISK),       # "Khá" against "Tốt"
    (None, 100, ">=", 0, True, rules.NO_DATA),
])
def test_status_is_judged_from_value_and_target(value, target, direction, margin, finished, expected):
    assert rules.judge(value, target, direction, margin, finished) == expected


def test_department_figure_and_worst_status():
    assert rules.aggregate([100, 90], "mean") == 95
    assert rules.aggregate([1, 2], "sum") == 3
    assert rules.aggregate([4, 3], "min") == 3
    assert rules.aggregate([], "mean") is None
    assert rules.worst([rules.MET, rules.NO_DATA, rules.AT_RISK]) == rules.AT_RISK
    assert rules.worst([rules.NO_DATA]) == rules.NO_DATA
