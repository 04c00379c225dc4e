"""Objective 4 figures: share reviewed per year and unit, withdrawn procedures leaving, overdue, stale, frozen."""
from __future__ import annotations

from datetime import date, datetime, timezone

from app.extensions import db
from app.reviews import services
from app.reviews.compliance import (cycle_compliance, percent, stale_procedures, year_compliance,
                                    year_on_year)
from app.reviews.models import MAINTAINED
from tests.reviews.conftest import IN_2022, review_of

NOV = datetime(2022, 11, 2, 2, 0, tzinfo=timezone.utc)


def _accept(people, review, member=None, head=None, now=NOV):
    services.record(member or people.member, review, outcome=MAINTAINED, now=now)
    services.confirm(head or people.head, review, now=now)
    services.accept(people.secretary, review, now=now)


def test_the_share_reviewed_is_given_overall_and_per_unit(people, cycle_2022):
    _accept(people, review_of(cycle_2022, "QT-QLKH-01"))
    services.record(people.member, review_of(cycle_2022, "QT-QLKH-02"), outcome=MAINTAINED, now=NOV)
    db.session.commit()

    result = cycle_compliance(cycle_2022, date(2022, 11, 30))
    assert (result.reviewed, result.total, result.pct) == (1, 4, 25)
    qlkh, ttr = result.unit("QLKH"), result.unit("TTR")
    assert (qlkh.reviewed, qlkh.total, qlkh.pct) == (1, 3, 33)
    assert (ttr.reviewed, ttr.total, ttr.pct) == (0, 1, 0)
    assert qlkh.counts["recorded"] == 1 and qlkh.counts["pending"] == 1


def test_only_accepted_reviews_count_not_recorded_or_confirmed_ones(people, cycle_2022):
    review = review_of(cycle_2022, "QT-QLKH-01")
    services.record(people.member, review, outcome=MAINTAINED, now=NOV)
    services.confirm(people.head, review, now=NOV)
    assert cycle_compliance(cycle_2022, date(2022, 11, 30)).reviewed == 0


def test_a_withdrawn_procedure_leaves_the_denominator_from_its_withdrawal_date(people, cycle_2022, dc):
    review = review_of(cycle_2022, "QT-TTR-01")
    dc.withdraw(people.leader, review.procedure, reason="Bãi bỏ thủ tục", on=date(2022, 9, 1))
    db.session.commit()
    assert cycle_compliance(cycle_2022, date(2022, 8, 31)).total == 4
    assert cycle_compliance(cycle_2022, date(2022, 9, 1)).total == 3
    assert cycle_compliance(cycle_2022, date(2022, 9, 1)).unit("TTR") is None


def test_what_is_not_accepted_after_the_deadline_is_overdue(people, cycle_2022):
    _accept(people, review_of(cycle_2022, "QT-QLKH-01"))
    db.session.commit()
    assert cycle_compliance(cycle_2022, date(2022, 12, 31)).overdue == 0
    after = cycle_compliance(cycle_2022, date(2023, 1, 1))
    assert after.overdue == 3 and after.unit("QLKH").overdue == 2 and after.unit("TTR").overdue == 1


def test_closing_freezes_the_figures_later_withdrawals_do_not_change_them(people, cycle_2022, dc):
    _accept(people, review_of(cycle_2022, "QT-QLKH-01"))
    services.close_cycle(people.secretary, cycle_2022, now=datetime(2023, 1, 10, 3, 0, tzinfo=timezone.utc))
    db.session.commit()
    dc.withdraw(people.leader, review_of(cycle_2022, "QT-TTR-01").procedure, reason="Bãi bỏ", on=date(2023, 3, 1))
    db.session.commit()
    frozen = cycle_compliance(cycle_2022, date(2023, 6, 1))
    assert (frozen.reviewed, frozen.total) == (1, 4)
    assert frozen.as_of == date(2023, 1, 10)


def test_a_year_without_a_cycle_reads_the_procedures_issue_and_review_dates(people, procs):
    procs.issued("QT-QLKH-01", "QLKH", issued_on=date(2021, 4, 1))
    procs.issued("QT-QLKH-02", "QLKH", issued_on=date(2019, 4, 1))
    procs.issued("QT-TTR-01", "TTR", issued_on=date(2022, 1, 5))
    result = year_compliance(2021, date(2022, 6, 1))
    assert (result.reviewed, result.total) == (1, 2)  # QT-TTR-01 was not in force in 2021
    assert result.cycle is None and result.unit("QLKH").pct == 50


def test_the_year_on_year_view_lists_every_cycle_and_the_current_year(people, cycle_2022):
    _accept(people, review_of(cycle_2022, "QT-QLKH-01"))
    services.close_cycle(people.secretary, cycle_2022, now=datetime(2023, 1, 10, tzinfo=timezone.utc))
    db.session.commit()
    years = year_on_year(date(2023, 2, 1))
    assert [y.year for y in years] == [2023, 2022]
    assert years[1].pct == 25 and years[1].cycle is cycle_2022 and years[0].cycle is None


def test_procedures_not_reviewed_for_more_than_twelve_months_on_any_date(people, procs):
    procs.issued("QT-QLKH-01", "QLKH", issued_on=date(2021, 3, 1))
    procs.issued("QT-QLKH-02", "QLKH", issued_on=date(2022, 2, 1))
    total, items = stale_procedures(date(2022, 3, 1))
    assert total == 0
    total, items = stale_procedures(date(2022, 3, 2))
    assert total == 1 and [p.code for p in items] == ["QT-QLKH-01"]
    total, items = stale_procedures(date(2023, 6, 1))
    assert total == 2


def test_an_accepted_review_resets_the_twelve_months(people, cycle_2022):
    assert {p.code for p in stale_procedures(date(2022, 12, 1))[1]} >= {"QT-QLKH-01"}
    _accept(people, review_of(cycle_2022, "QT-QLKH-01"))
    db.session.commit()
    stale = {p.code for p in stale_procedures(date(2022, 12, 1))[1]}
    assert "QT-QLKH-01" not in stale and "QT-QLKH-02" in stale
    assert "QT-QLKH-01" in {p.code for p in stale_procedures(date(2023, 11, 3))[1]}


def test_percentages_never_round_to_done_before_everything_is_done():
    assert percent(199, 200) == 99 and percent(200, 200) == 100
    assert percent(1, 300) == 1 and percent(0, 300) == 0 and percent(0, 0) == 0
