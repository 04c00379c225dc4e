"""A change-triggered review is recorded like the yearly one and counts as the procedure's review of that year."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.legal import change_reviews, services
from app.legal.models import ChangeReview
from app.legal.services import LegalError
from app.reviews import services as reviews
from app.reviews.compliance import cycle_compliance, year_compliance

IN_2026 = datetime(2026, 6, 15, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def flagged(people, issued, decree_61):
    issued("QT-QLKH-01")
    issued("QT-QLKH-02")
    services.record_change(people.secretary, decree_61, "amended", today=date(2026, 6, 15), now=IN_2026)
    db.session.commit()
    return {cr.procedure.code: cr for cr in db.session.scalars(select(ChangeReview))}


@pytest.fixture
def cycle(people, flagged):
    c = reviews.open_cycle(people.secretary, year=2026, deadline=date(2026, 12, 31), now=IN_2026)
    db.session.commit()
    return c


def test_maintained_needs_a_note_and_the_head_s_confirmation(people, flagged, cycle):
    cr = flagged["QT-QLKH-01"]
    with pytest.raises(LegalError) as exc:
        change_reviews.record(people.member, cr, outcome="maintained", note="", now=IN_2026)
    assert exc.value.key == "note_required"
    change_reviews.record(people.member, cr, outcome="maintained", note="Không ảnh hưởng các bước", now=IN_2026)
    assert cr.status == "recorded"
    assert cycle_compliance(cycle, date(2026, 6, 15)).reviewed == 0
    change_reviews.confirm(people.head, cr, now=IN_2026)
    assert cr.status == "done"
    review = reviews.get_review(cycle, "QT-QLKH-01")
    assert (review.status, review.source, review.outcome) == ("accepted", "change", "maintained")
    assert cycle_compliance(cycle, date(2026, 6, 15)).reviewed == 1


def test_another_unit_cannot_record(people, flagged):
    with pytest.raises(LegalError):
        change_reviews.record(people.other_member, flagged["QT-QLKH-01"], outcome="maintained", note="x")
    with pytest.raises(LegalError):
        change_reviews.record(people.secretary, flagged["QT-QLKH-01"], outcome="maintained", note="x")


def test_updated_counts_once_the_new_issue_is_issued(people, flagged, cycle, dc):
    cr = flagged["QT-QLKH-02"]
    change_reviews.record(people.member, cr, outcome="updated", now=IN_2026)
    db.session.commit()
    assert cr.status == "awaiting_issue"
    assert cycle_compliance(cycle, date(2026, 6, 15)).reviewed == 0
    proc = cr.procedure
    dc.save_draft(people.member, proc, body="## 1. Mục đích\n\nCập nhật theo Nghị định 107/2021/NĐ-CP.\n",
                  base_revision=proc.current_revision)
    dc.submit(people.head, proc)
    dc.approve(people.leader, proc, effective_on=date(2026, 7, 1), issued_on=date(2026, 6, 20))
    db.session.commit()
    assert (cr.status, cr.outcome, cr.issue_number) == ("done", "updated", 2)
    assert cycle_compliance(cycle, date(2026, 6, 20)).reviewed == 1
    assert cr.review_id == reviews.get_review(cycle, proc.code).id


def test_done_before_the_cycle_opens_counts_when_it_opens(people, flagged):
    cr = flagged["QT-QLKH-01"]
    change_reviews.record(people.head, cr, outcome="maintained", note="Không ảnh hưởng", now=IN_2026)
    assert cr.status == "done"  # a head's own record is confirmed at once
    assert year_compliance(2026, date(2026, 6, 15)).reviewed == 1
    cycle = reviews.open_cycle(people.secretary, year=2026, deadline=date(2026, 12, 31), now=IN_2026)
    result = cycle_compliance(cycle, date(2026, 6, 15))
    assert (result.total, result.reviewed) == (2, 1)
    review = reviews.get_review(cycle, "QT-QLKH-01")
    assert review.source == "change"
    assert review.accepted_by == people.head  # credited to the head who did it, not to the secretary


def test_withdrawing_the_procedure_closes_its_change_review(people, flagged, dc):
    cr = flagged["QT-QLKH-01"]
    dc.withdraw(people.leader, cr.procedure, reason="Thủ tục bị bãi bỏ")
    assert cr.status == "closed"
