"""Document control feeds the review: an issued revision is the year's review; new and transferred procedures join."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.reviews import services
from app.reviews.compliance import cycle_compliance
from app.reviews.models import ACCEPTED, MAINTAINED, PENDING, RECORDED, SOURCE_ISSUE, UPDATED
from app.timeutil import local_today
from tests.reviews.conftest import IN_2022, review_of


def test_issuing_a_new_revision_counts_as_the_years_review_with_nothing_to_type(people, cycle_2022, procs):
    review = review_of(cycle_2022, "QT-QLKH-02")
    proc = review.procedure
    number = procs.reissue(proc, people.leader, people.head, people.secretary, effective_on=local_today())

    db.session.refresh(review)
    assert (review.status, review.outcome, review.source) == (ACCEPTED, UPDATED, SOURCE_ISSUE)
    assert review.revision == proc.issued_revision and review.issue_number == number == 2
    assert review.accepted_by == people.leader
    assert proc.last_reviewed_on == local_today()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.issue_counted"))
    assert event.object_type == "review" and event.object_id == "2022/QT-QLKH-02" and event.unit_code == "QLKH"
    assert event.data["issue"] == 2
    assert cycle_compliance(cycle_2022, date(2022, 12, 1)).reviewed == 1


def test_an_issue_replaces_a_review_the_unit_had_recorded_but_not_finished(people, cycle_2022, procs):
    review = review_of(cycle_2022, "QT-QLKH-01")
    services.record(people.member, review, outcome=MAINTAINED, now=IN_2022)
    db.session.commit()
    assert review.status == RECORDED
    procs.reissue(review.procedure, people.leader, people.head, people.secretary, effective_on=local_today())
    db.session.refresh(review)
    assert (review.status, review.outcome) == (ACCEPTED, UPDATED)
    assert review.revision == review.procedure.issued_revision


def test_a_procedure_issued_for_the_first_time_during_an_open_cycle_joins_it_already_reviewed(people, cycle_2022,
                                                                                             dc):
    proc = dc.create(people.secretary, code="QT-QLKH-04", title="Quy trình mới", unit=people.member.unit,
                     body="## 1. Mục đích\n\nMới.\n")
    dc.submit(people.head, proc)
    dc.approve(people.leader, proc, effective_on=local_today())
    db.session.commit()
    review = review_of(cycle_2022, "QT-QLKH-04")
    assert review is not None and review.status == ACCEPTED and review.unit_code == "QLKH"
    assert review.issue_number == 1


def test_an_issue_while_no_cycle_is_open_changes_no_cycle(people, cycle_2022, procs):
    services.close_cycle(people.secretary, cycle_2022, now=datetime(2023, 1, 5, tzinfo=timezone.utc))
    db.session.commit()
    review = review_of(cycle_2022, "QT-QLKH-02")
    procs.reissue(review.procedure, people.leader, people.head, people.secretary, effective_on=local_today())
    db.session.refresh(review)
    assert review.status == PENDING


def test_on_transfer_the_open_review_moves_to_the_new_unit_and_starts_again(people, cycle_2022, dc):
    review = review_of(cycle_2022, "QT-QLKH-03")
    services.record(people.member, review, outcome=MAINTAINED, now=IN_2022)
    proc = review.procedure
    dc.edit_metadata(people.secretary, proc, title=proc.title, unit=people.other_member.unit, legal_bases=[],
                     drafted_by="", reviewed_by="", base_revision=proc.current_revision)
    db.session.commit()
    db.session.refresh(review)
    assert review.unit_code == "TTR" and review.status == PENDING and review.recorded_by is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.transfer"))
    assert event.data["from"] == "QLKH" and event.data["to"] == "TTR" and event.unit_code == "TTR"
    # the old unit no longer acts on it, the new one does
    services.record(people.other_member, review, outcome=MAINTAINED, now=IN_2022)
    assert review.status == RECORDED


def test_an_accepted_review_stays_with_the_unit_that_did_it_after_a_transfer(people, cycle_2022, dc):
    review = review_of(cycle_2022, "QT-QLKH-03")
    services.record(people.member, review, outcome=MAINTAINED, now=IN_2022)
    services.confirm(people.head, review, now=IN_2022)
    services.accept(people.secretary, review, now=IN_2022)
    proc = review.procedure
    dc.edit_metadata(people.secretary, proc, title=proc.title, unit=people.other_member.unit, legal_bases=[],
                     drafted_by="", reviewed_by="", base_revision=proc.current_revision)
    db.session.commit()
    db.session.refresh(review)
    assert review.status == ACCEPTED and review.unit_code == "QLKH"


def test_a_procedure_in_force_missing_from_the_open_cycle_joins_it_when_transferred(people, cycle_2022, dc):
    review = review_of(cycle_2022, "QT-QLKH-03")
    proc = review.procedure
    db.session.delete(review)  # e.g. a procedure restored into the register by `qms fsck` during the cycle
    db.session.commit()
    dc.edit_metadata(people.secretary, proc, title=proc.title, unit=people.other_member.unit, legal_bases=[],
                     drafted_by="", reviewed_by="", base_revision=proc.current_revision)
    db.session.commit()
    joined = review_of(cycle_2022, "QT-QLKH-03")
    assert joined is not None and joined.unit_code == "TTR" and joined.status == PENDING
