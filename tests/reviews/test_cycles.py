"""Opening and closing a yearly review cycle: one review per procedure in force, one cycle per year, frozen once closed."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.extensions import db
from app.procedures.models import Procedure
from app.reviews import services
from app.reviews.models import ACCEPTED, CLOSED, PENDING, SOURCE_ISSUE, UPDATED, Review, ReviewCycle
from app.reviews.services import ReviewError, ReviewPermissionDenied
from tests.reviews.conftest import IN_2022, review_of


def test_opening_a_cycle_gives_each_procedure_in_force_one_review_for_its_owner_unit(people, procs, dc):
    procs.issued("QT-QLKH-01", "QLKH")
    procs.issued("QT-TTR-01", "TTR")
    gone = procs.issued("QT-TTR-02", "TTR")
    dc.withdraw(people.leader, gone, reason="Thủ tục đã bị bãi bỏ", on=date(2021, 5, 1))
    draft = dc.create(people.secretary, code="QT-QLKH-09", title="Dự thảo chưa ban hành",
                      unit=people.member.unit, body="## 1. Mục đích\n")
    db.session.commit()

    cycle = services.open_cycle(people.secretary, year=2022, deadline=date(2022, 12, 31), now=IN_2022)
    db.session.commit()

    reviews = {r.procedure.code: r for r in db.session.scalars(select(Review).where(Review.cycle_id == cycle.id))}
    assert set(reviews) == {"QT-QLKH-01", "QT-TTR-01"}
    assert reviews["QT-QLKH-01"].unit_code == "QLKH" and reviews["QT-TTR-01"].unit_code == "TTR"
    assert all(r.status == PENDING for r in reviews.values())
    assert draft.code not in reviews
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review_cycle.open"))
    assert event.data["procedures"] == 2


def test_a_procedure_issued_in_the_year_is_already_reviewed_when_the_cycle_opens(people, procs):
    fresh = procs.issued("QT-QLKH-01", "QLKH", issued_on=date(2022, 2, 21), issue=3)
    procs.issued("QT-QLKH-02", "QLKH", issued_on=date(2021, 2, 22))

    cycle = services.open_cycle(people.secretary, year=2022, deadline=date(2022, 12, 31), now=IN_2022)
    db.session.commit()

    counted = review_of(cycle, "QT-QLKH-01")
    assert (counted.status, counted.outcome, counted.source) == (ACCEPTED, UPDATED, SOURCE_ISSUE)
    assert counted.revision == fresh.issued_revision and counted.issue_number == 3
    assert review_of(cycle, "QT-QLKH-02").status == PENDING
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.issue_counted"))
    assert event.object_type == "review" and event.object_id == "2022/QT-QLKH-01" and event.unit_code == "QLKH"


def test_only_the_iso_secretary_opens_a_cycle(people, procs):
    for user in (people.head, people.leader, people.committee):
        with pytest.raises(ReviewPermissionDenied):
            services.open_cycle(user, year=2022, deadline=date(2022, 12, 31), now=IN_2022)


def test_a_year_has_one_cycle_and_only_one_cycle_is_open_at_a_time(people, cycle_2022):
    with pytest.raises(ReviewError) as same_year:
        services.open_cycle(people.secretary, year=2022, deadline=date(2022, 12, 31), now=IN_2022)
    assert same_year.value.key == "cycle_exists"
    later = datetime(2023, 1, 10, tzinfo=timezone.utc)
    with pytest.raises(ReviewError) as other:
        services.open_cycle(people.secretary, year=2023, deadline=date(2023, 12, 31), now=later)
    assert other.value.key == "another_open" and other.value.params == {"year": 2022}

    services.close_cycle(people.secretary, cycle_2022, now=later)
    assert services.open_cycle(people.secretary, year=2023, deadline=date(2023, 12, 31), now=later).year == 2023


def test_the_database_refuses_a_second_review_of_a_procedure_in_the_same_cycle(people, cycle_2022):
    first = review_of(cycle_2022, "QT-QLKH-01")
    db.session.add(Review(cycle_id=cycle_2022.id, procedure_id=first.procedure_id, unit_id=first.unit_id,
                          status=PENDING, source="unit", note="", return_comment=""))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_deadline_before_the_year_is_refused(people, procs):
    with pytest.raises(ReviewError) as exc:
        services.open_cycle(people.secretary, year=2022, deadline=date(2021, 12, 31), now=IN_2022)
    assert exc.value.key == "deadline_before_year"


def test_the_secretary_sets_the_leadership_meeting_date_later(people, cycle_2022):
    services.update_cycle(people.secretary, cycle_2022, deadline=date(2023, 1, 15), meeting_on=date(2022, 12, 20))
    db.session.commit()
    assert (cycle_2022.deadline, cycle_2022.meeting_on) == (date(2023, 1, 15), date(2022, 12, 20))


def test_closing_freezes_the_cycle_nothing_can_be_recorded_confirmed_or_accepted_after(people, cycle_2022):
    recorded = review_of(cycle_2022, "QT-QLKH-01")
    services.record(people.member, recorded, outcome="maintained", note="Không thay đổi", now=IN_2022)
    confirmed = review_of(cycle_2022, "QT-QLKH-02")
    services.record(people.member, confirmed, outcome="maintained", now=IN_2022)
    services.confirm(people.head, confirmed, now=IN_2022)
    services.close_cycle(people.secretary, cycle_2022, now=datetime(2023, 1, 20, tzinfo=timezone.utc))
    db.session.commit()
    assert cycle_2022.status == CLOSED and cycle_2022.closed_on == date(2023, 1, 20)

    attempts = [
        lambda: services.record(people.member, review_of(cycle_2022, "QT-QLKH-03"), outcome="maintained"),
        lambda: services.confirm(people.head, recorded),
        lambda: services.accept(people.secretary, confirmed),
        lambda: services.return_review(people.secretary, confirmed, "Bổ sung"),
        lambda: services.update_cycle(people.secretary, cycle_2022, deadline=date(2023, 2, 1), meeting_on=None),
    ]
    for attempt in attempts:
        with pytest.raises(ReviewError) as exc:
            attempt()
        assert exc.value.key == "cycle_closed"
    with pytest.raises(ReviewError) as again:
        services.close_cycle(people.secretary, cycle_2022)
    assert again.value.key == "already_closed"
    assert db.session.scalar(select(func.count()).select_from(Review).where(Review.status == ACCEPTED)) == 0


def test_closing_records_the_frozen_result_in_the_audit_log(people, cycle_2022):
    services.close_cycle(people.secretary, cycle_2022, now=datetime(2023, 1, 20, tzinfo=timezone.utc))
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review_cycle.close"))
    assert event.data == {"year": 2022, "total": 4, "reviewed": 0, "percent": 0}


def test_the_demo_opens_no_cycle_and_its_imported_procedures_join_the_open_one(runner, people, cycle_2022):
    before = set(db.session.scalars(select(Review.id).where(Review.cycle_id == cycle_2022.id)))
    result = runner.invoke(args=["qms", "demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(ReviewCycle)) == 1
    in_force = db.session.scalar(select(func.count()).select_from(Procedure).where(Procedure.status == "issued"))
    after = set(db.session.scalars(select(Review.id).where(Review.cycle_id == cycle_2022.id)))
    assert before < after and len(after) == in_force
