"""Dates are Hanoi calendar dates: 2022-12-31T17:30Z is already 1 January 2023 in Hanoi."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.extensions import db
from app.reviews import hooks, services
from app.reviews.compliance import stale_procedures, utc_start_of
from app.reviews.models import MAINTAINED
from app.reviews.services import ReviewError
from app.timeutil import local_today, local_year
from tests.reviews.conftest import review_of

NEW_YEAR_IN_HANOI = datetime(2022, 12, 31, 17, 30, tzinfo=timezone.utc)
STILL_2022_IN_HANOI = datetime(2022, 12, 31, 16, 59, tzinfo=timezone.utc)


def test_the_instant_is_already_2023_in_hanoi():
    assert local_year(NEW_YEAR_IN_HANOI) == 2023 and local_today(NEW_YEAR_IN_HANOI) == date(2023, 1, 1)
    assert local_year(STILL_2022_IN_HANOI) == 2022


def test_an_acceptance_at_that_instant_is_a_review_on_1_january_2023(people, cycle_2022):
    review = review_of(cycle_2022, "QT-QLKH-01")
    services.record(people.member, review, outcome=MAINTAINED, now=NEW_YEAR_IN_HANOI)
    services.confirm(people.head, review, now=NEW_YEAR_IN_HANOI)
    services.accept(people.secretary, review, now=NEW_YEAR_IN_HANOI)
    db.session.commit()
    assert review.procedure.last_reviewed_on == date(2023, 1, 1)


def test_a_cycle_for_next_year_can_be_opened_at_that_instant_but_not_the_year_after(people, procs):
    services.open_cycle(people.secretary, year=2024, deadline=date(2024, 12, 31), now=NEW_YEAR_IN_HANOI)
    db.session.rollback()
    with pytest.raises(ReviewError) as exc:
        services.open_cycle(people.secretary, year=2024, deadline=date(2024, 12, 31), now=STILL_2022_IN_HANOI)
    assert exc.value.key == "bad_year"


def test_a_cycle_closed_at_that_instant_is_frozen_on_1_january_2023(people, cycle_2022):
    services.close_cycle(people.secretary, cycle_2022, now=NEW_YEAR_IN_HANOI)
    assert cycle_2022.closed_on == date(2023, 1, 1)


def test_tasks_are_overdue_from_the_first_hanoi_day_after_the_deadline(people, cycle_2022):
    on_deadline = hooks.review_tasks(people.member, local_today(STILL_2022_IN_HANOI))
    after = hooks.review_tasks(people.member, local_today(NEW_YEAR_IN_HANOI))
    assert on_deadline and not any(t.overdue for t in on_deadline)
    assert after and all(t.overdue for t in after)


def test_a_hanoi_day_starts_at_17h_utc_the_day_before():
    assert utc_start_of(date(2023, 1, 1)) == datetime(2022, 12, 31, 17, 0, tzinfo=timezone.utc)


def test_an_acceptance_at_17h30_utc_on_31_december_counts_for_the_12_months_before_1_january_2024(people, procs):
    proc = procs.issued("QT-QLKH-01", "QLKH", issued_on=date(2021, 6, 1))
    cycle = services.open_cycle(people.secretary, year=2022, deadline=date(2023, 1, 15), now=NEW_YEAR_IN_HANOI)
    review = review_of(cycle, proc.code)
    services.record(people.member, review, outcome=MAINTAINED, now=NEW_YEAR_IN_HANOI)
    services.confirm(people.head, review, now=NEW_YEAR_IN_HANOI)
    services.accept(people.secretary, review, now=NEW_YEAR_IN_HANOI)
    proc.last_reviewed_on = None  # only the review row's UTC instant tells now
    db.session.commit()
    # reviewed on 01/01/2023 in Hanoi: within the 12 months before 01/01/2024, not within those before 02/01/2024
    assert stale_procedures(date(2024, 1, 1))[0] == 0
    assert stale_procedures(date(2024, 1, 2))[0] == 1
