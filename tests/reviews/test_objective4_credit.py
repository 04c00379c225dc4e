"""Objective 4 counts what is done: an "updated" review counts once its update is issued, and a review counted
by an issue is credited to the issue, not to the secretary (issue #11, items 6 and 7)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.reviews import services
from app.reviews.compliance import cycle_compliance
from app.reviews.models import ACCEPTED, SOURCE_ISSUE, UPDATED
from app.timeutil import local_today
from tests.reviews.conftest import BODY, IN_2022, review_of

NOV = date(2022, 11, 30)


def test_an_updated_review_counts_only_once_the_update_is_issued(people, cycle_2022, procs, dc):
    review = review_of(cycle_2022, "QT-QLKH-01")
    proc = review.procedure
    dc.save_draft(people.member, proc, body=BODY + "\nBước 2: mới.\n", base_revision=proc.current_revision)
    services.record(people.member, review, outcome=UPDATED, now=IN_2022)
    services.confirm(people.head, review, now=IN_2022)
    services.accept(people.secretary, review, now=IN_2022)
    db.session.commit()
    result = cycle_compliance(cycle_2022, NOV)
    assert result.reviewed == 0 and result.awaiting_issue == 1
    assert result.unit("QLKH").reviewed == 0 and result.unit("QLKH").awaiting_issue == 1

    dc.submit(people.head, proc)
    dc.approve(people.leader, proc, effective_on=local_today())
    db.session.commit()
    result = cycle_compliance(cycle_2022, NOV)
    assert result.reviewed == 1 and result.awaiting_issue == 0


def _issued_in_2022_then_cycle(people, procs):
    procs.issued("QT-QLKH-05", "QLKH", issued_on=date(2022, 3, 1))
    procs.issued("QT-QLKH-06", "QLKH")
    cycle = services.open_cycle(people.secretary, year=2022, deadline=date(2022, 12, 31), now=IN_2022)
    db.session.commit()
    return cycle


def test_a_review_counted_by_an_issue_is_not_credited_to_the_secretary(people, procs):
    cycle = _issued_in_2022_then_cycle(people, procs)
    review = review_of(cycle, "QT-QLKH-05")
    assert (review.status, review.source) == (ACCEPTED, SOURCE_ISSUE)
    assert review.accepted_by is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.issue_counted",
                                                       AuditEvent.object_id == "2022/QT-QLKH-05"))
    assert event.actor_id is None and event.actor_name != people.secretary.full_name


def test_page_and_report_say_the_issue_counted_not_the_secretary(client, login_as, people, procs):
    _issued_in_2022_then_cycle(people, procs)
    login_as(people.committee)
    page = client.get("/reviews/2022/QT-QLKH-05").data.decode()
    accepted = page[page.index('data-testid="accepted-by"'):]
    accepted = accepted[:accepted.index("</dd>")]
    assert "Tự động theo lần ban hành 1" in accepted and "Thư ký ISO" not in accepted
    csv = client.get("/reviews/2022/report.csv").data.decode("utf-8-sig")
    row = next(line for line in csv.splitlines() if "QT-QLKH-05" in line)
    assert "Tự động theo lần ban hành 1" in row and "Thư ký ISO" not in row


def test_an_issue_approved_by_leadership_during_the_cycle_credits_the_leader(people, cycle_2022, procs):
    review = review_of(cycle_2022, "QT-QLKH-02")
    procs.reissue(review.procedure, people.leader, people.head, people.secretary, effective_on=local_today())
    db.session.refresh(review)
    assert review.accepted_by == people.leader
