"""A unit's review: a member records, the head confirms, the secretary accepts or returns; each step audited."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.reviews import services
from app.reviews.models import ACCEPTED, CONFIRMED, MAINTAINED, RECORDED, RETURNED, UPDATED, WITHDRAW
from app.reviews.services import ReviewError, ReviewPermissionDenied
from tests.reviews.conftest import IN_2022, review_of

LATER = datetime(2022, 11, 2, 2, 0, tzinfo=timezone.utc)


def test_maintained_is_tied_to_the_exact_revision_the_unit_read(people, cycle_2022):
    review = review_of(cycle_2022, "QT-QLKH-01")
    services.record(people.member, review, outcome=MAINTAINED, note="Căn cứ pháp lý chưa thay đổi", now=LATER)
    db.session.commit()
    assert review.status == RECORDED and review.outcome == MAINTAINED
    assert review.revision == review.procedure.issued_revision and len(review.revision) == 40
    assert review.issue_number == review.procedure.issue_number
    assert review.recorded_by == people.member and review.note == "Căn cứ pháp lý chưa thay đổi"


def test_the_whole_path_record_confirm_accept_updates_last_reviewed_on(people, cycle_2022):
    review = review_of(cycle_2022, "QT-QLKH-01")
    services.record(people.member, review, outcome=MAINTAINED, now=LATER)
    services.confirm(people.head, review, now=LATER)
    assert review.status == CONFIRMED and review.confirmed_by == people.head
    services.accept(people.secretary, review, now=LATER)
    db.session.commit()
    assert review.status == ACCEPTED and review.accepted_by == people.secretary
    assert review.procedure.last_reviewed_on == date(2022, 11, 2)


def test_every_step_is_an_audit_event_of_the_review_with_its_unit(people, cycle_2022):
    review = review_of(cycle_2022, "QT-QLKH-01")
    services.record(people.member, review, outcome=MAINTAINED, now=LATER)
    services.confirm(people.head, review, now=LATER)
    services.return_review(people.secretary, review, "Ghi rõ văn bản đã đối chiếu", now=LATER)
    services.record(people.member, review, outcome=MAINTAINED, note="Đã đối chiếu NĐ 107/2021", now=LATER)
    services.confirm(people.head, review, now=LATER)
    services.accept(people.secretary, review, now=LATER)
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "review",
                                                         AuditEvent.object_id == "2022/QT-QLKH-01")
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["review.record", "review.confirm", "review.return", "review.record",
                                          "review.confirm", "review.accept"]
    assert {e.unit_code for e in events} == {"QLKH"}
    assert events[2].data["comment"] == "Ghi rõ văn bản đã đối chiếu"
    assert events[3].data["resubmitted"] is True


def test_a_returned_review_goes_back_to_the_unit_and_can_be_resubmitted(people, cycle_2022):
    review = review_of(cycle_2022, "QT-QLKH-01")
    services.record(people.member, review, outcome=MAINTAINED, now=LATER)
    services.confirm(people.head, review, now=LATER)
    with pytest.raises(ReviewError) as empty:
        services.return_review(people.secretary, review, "  ", now=LATER)
    assert empty.value.key == "comment_required"
    services.return_review(people.secretary, review, "Thiếu nhận xét", now=LATER)
    assert review.status == RETURNED and review.return_comment == "Thiếu nhận xét"
    services.record(people.member, review, outcome=MAINTAINED, note="Đã bổ sung nhận xét", now=LATER)
    assert review.status == RECORDED and review.confirmed_by is None


def test_updated_is_linked_to_the_new_revision_in_preparation(people, cycle_2022, dc):
    review = review_of(cycle_2022, "QT-QLKH-02")
    with pytest.raises(ReviewError) as none_yet:
        services.record(people.member, review, outcome=UPDATED, now=LATER)
    assert none_yet.value.key == "no_new_revision"
    proc = review.procedure
    sha = dc.save_draft(people.member, proc, body="## 1. Mục đích\n\nSửa theo Nghị định mới.\n",
                        base_revision=proc.current_revision, message="Cập nhật căn cứ")
    services.record(people.member, review, outcome=UPDATED, note="Cập nhật căn cứ pháp lý", now=LATER)
    assert review.outcome == UPDATED and review.revision == sha != proc.issued_revision


def test_to_be_withdrawn_needs_a_reason(people, cycle_2022):
    review = review_of(cycle_2022, "QT-QLKH-03")
    with pytest.raises(ReviewError) as exc:
        services.record(people.member, review, outcome=WITHDRAW, note="", now=LATER)
    assert exc.value.key == "reason_required"
    services.record(people.member, review, outcome=WITHDRAW, note="Thủ tục đã bị bãi bỏ", now=LATER)
    assert review.outcome == WITHDRAW and review.note == "Thủ tục đã bị bãi bỏ"


def test_nobody_records_or_confirms_a_review_of_another_units_procedure(people, cycle_2022):
    theirs = review_of(cycle_2022, "QT-TTR-01")
    with pytest.raises(ReviewPermissionDenied):
        services.record(people.member, theirs, outcome=MAINTAINED)
    with pytest.raises(ReviewPermissionDenied):
        services.record(people.head, theirs, outcome=MAINTAINED)
    services.record(people.other_member, theirs, outcome=MAINTAINED, now=LATER)
    with pytest.raises(ReviewPermissionDenied):
        services.confirm(people.head, theirs)
    services.confirm(people.other_head, theirs, now=LATER)
    assert theirs.status == CONFIRMED


def test_the_secretary_accepts_or_returns_but_never_confirms_or_records_for_a_unit(people, cycle_2022):
    review = review_of(cycle_2022, "QT-QLKH-01")
    with pytest.raises(ReviewPermissionDenied):
        services.record(people.secretary, review, outcome=MAINTAINED)
    services.record(people.member, review, outcome=MAINTAINED, now=LATER)
    with pytest.raises(ReviewPermissionDenied):
        services.confirm(people.secretary, review)
    with pytest.raises(ReviewPermissionDenied):
        services.accept(people.head, review)


def test_steps_come_in_order(people, cycle_2022):
    review = review_of(cycle_2022, "QT-QLKH-01")
    with pytest.raises(ReviewError) as early_confirm:
        services.confirm(people.head, review)
    assert early_confirm.value.key == "not_recorded"
    services.record(people.member, review, outcome=MAINTAINED, now=LATER)
    with pytest.raises(ReviewError) as early_accept:
        services.accept(people.secretary, review)
    assert early_accept.value.key == "not_confirmed"
    services.confirm(people.head, review, now=LATER)
    with pytest.raises(ReviewError) as rerecord:
        services.record(people.member, review, outcome=MAINTAINED)
    assert rerecord.value.key == "not_recordable"


def test_a_head_confirms_several_maintained_reviews_at_once(people, cycle_2022, dc):
    one, two, three = (review_of(cycle_2022, c) for c in ("QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03"))
    services.record(people.member, one, outcome=MAINTAINED, now=LATER)
    services.record(people.member, two, outcome=MAINTAINED, now=LATER)
    services.record(people.member, three, outcome=WITHDRAW, note="Đề nghị bãi bỏ", now=LATER)
    done, skipped = services.bulk_confirm(people.head, [one, two, three], now=LATER)
    db.session.commit()
    assert done == [one, two] and skipped == [three]
    assert (one.status, two.status, three.status) == (CONFIRMED, CONFIRMED, RECORDED)


def test_bulk_confirmation_including_another_units_review_is_refused_as_a_whole(people, cycle_2022):
    mine, theirs = review_of(cycle_2022, "QT-QLKH-01"), review_of(cycle_2022, "QT-TTR-01")
    services.record(people.member, mine, outcome=MAINTAINED, now=LATER)
    services.record(people.other_member, theirs, outcome=MAINTAINED, now=LATER)
    with pytest.raises(ReviewPermissionDenied):
        services.bulk_confirm(people.head, [mine, theirs], now=LATER)
    assert mine.status == RECORDED and theirs.status == RECORDED


def test_a_withdrawn_procedure_is_not_reviewed(people, cycle_2022, dc):
    review = review_of(cycle_2022, "QT-QLKH-03")
    dc.withdraw(people.leader, review.procedure, reason="Thủ tục bãi bỏ", on=date(2022, 7, 1))
    with pytest.raises(ReviewError) as exc:
        services.record(people.member, review, outcome=MAINTAINED, now=IN_2022)
    assert exc.value.key == "procedure_withdrawn"
