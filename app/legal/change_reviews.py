"""Change-triggered reviews (rà soát khi có thay đổi): the unit records, the head confirms, a new issue answers
"updated"; a finished one counts as the procedure's review of that year for Objective 4.

Functions take the acting user, flush, never commit; `now` is a parameter so tests can stand on any day.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from app.audit.services import record as audit
from app.extensions import db
from app.legal import permissions as perm
from app.legal.models import (AWAITING_ISSUE, CLOSED, DONE, OPEN_STATUSES, PENDING, RECORDED, ChangeReview,
                              LegalChange)
from app.legal.services import LegalError
from app.procedures.models import ISSUED, WITHDRAWN, Procedure
from app.reviews import services as reviews
from app.reviews.models import ACCEPTED, MAINTAINED, OPEN, OUTCOMES, PENDING as REVIEW_PENDING, UPDATED, WITHDRAW, \
    Review, ReviewCycle
from app.timeutil import local_today, to_local, utcnow

SOURCE_CHANGE = "change"


def get(change_id: int, code: str) -> ChangeReview | None:
    return db.session.scalar(select(ChangeReview).join(ChangeReview.procedure)
                             .where(ChangeReview.change_id == change_id, Procedure.code == code))


def _audit(actor, action: str, cr: ChangeReview, summary: str, payload: dict | None = None) -> None:
    payload = dict(payload or {}, status=cr.status, outcome=cr.outcome, revision=cr.revision)
    audit(actor, action, "change_review", f"{cr.change_id}/{cr.procedure.code}", summary, payload,
          unit_code=cr.unit.code)


def record(actor, cr: ChangeReview, *, outcome: str, note: str = "", now: datetime | None = None) -> None:
    """The owner unit's answer. "maintained" and "withdraw" need a note and the head's confirmation (a head's own
    record is confirmed at once); "updated" is answered by the procedure's next issue."""
    if not perm.can_record_change_review(actor, cr):
        raise LegalError("forbidden")
    if cr.status not in (PENDING, RECORDED, AWAITING_ISSUE):
        raise LegalError("review_closed")
    proc = cr.procedure
    if proc.status == WITHDRAWN:
        raise LegalError("procedure_withdrawn")
    if outcome not in OUTCOMES:
        raise LegalError("bad_outcome", "outcome")
    note = (note or "").strip()
    if outcome in (MAINTAINED, WITHDRAW) and not note:
        raise LegalError("note_required", "note")
    now = now or utcnow()
    cr.outcome, cr.note, cr.recorded_by, cr.recorded_at, cr.updated_at = outcome, note, actor, now, now
    cr.confirmed_by, cr.confirmed_at = None, None
    if outcome == UPDATED:
        cr.status, cr.revision, cr.issue_number = AWAITING_ISSUE, None, None
    else:
        cr.status, cr.revision, cr.issue_number = RECORDED, proc.issued_revision, proc.issue_number
    _audit(actor, "change_review.record", cr, f"Ghi nhận rà soát khi có thay đổi {proc.code}", {"note": note})
    if outcome != UPDATED and perm.can_confirm_change_review(actor, cr):
        confirm(actor, cr, now=now)
    db.session.flush()


def confirm(actor, cr: ChangeReview, now: datetime | None = None) -> None:
    if not perm.can_confirm_change_review(actor, cr):
        raise LegalError("forbidden")
    if cr.status != RECORDED:
        raise LegalError("not_recorded")
    now = now or utcnow()
    cr.confirmed_by, cr.confirmed_at = actor, now
    _finish(actor, cr, now)
    _audit(actor, "change_review.confirm", cr, f"Xác nhận rà soát khi có thay đổi {cr.procedure.code}")
    db.session.flush()


def _finish(actor, cr: ChangeReview, now: datetime) -> None:
    cr.status, cr.done_on, cr.updated_at = DONE, local_today(now), now
    count_for_year(actor, cr, now)


# -- Objective 4 ---------------------------------------------------------------------------------------
def _accept(actor, review: Review, cr: ChangeReview, now: datetime) -> None:
    review.status, review.outcome, review.source = ACCEPTED, cr.outcome, SOURCE_CHANGE
    review.note = cr.note
    review.revision, review.issue_number = cr.revision, cr.issue_number
    # the people who did the review are credited, never whoever happened to open the cycle
    review.recorded_by, review.recorded_at = cr.recorded_by, cr.recorded_at
    review.confirmed_by, review.confirmed_at = cr.confirmed_by, cr.confirmed_at
    review.accepted_by = cr.confirmed_by or cr.recorded_by or actor
    review.accepted_at = cr.confirmed_at or cr.recorded_at or now
    review.updated_at = now
    review.unit = cr.procedure.unit
    audit(actor, "review.change_counted", "review", f"{review.cycle.year}/{cr.procedure.code}",
          f"{cr.procedure.code}: rà soát khi có thay đổi được tính là rà soát năm {review.cycle.year}",
          {"change": cr.change_id, "outcome": cr.outcome, "status": ACCEPTED}, unit_code=cr.procedure.unit_code)


def count_for_year(actor, cr: ChangeReview, now: datetime) -> Review | None:
    """A finished change-triggered review is the procedure's review of its year: the open cycle's review is
    accepted (unless it already was); without a cycle, the procedure's last review date carries it (and the cycle
    opened later that year counts it, see on_cycle_open)."""
    proc, day = cr.procedure, local_today(now)
    if proc.last_reviewed_on is None or proc.last_reviewed_on < day:
        proc.last_reviewed_on = day
    cycle = reviews.get_cycle(day.year)
    if cycle is None or cycle.status != OPEN or proc.status != ISSUED:
        return None
    review = reviews.get_review(cycle, proc.code)
    if review is None:
        review = Review(cycle=cycle, procedure=proc, unit=proc.unit, status=REVIEW_PENDING, source="unit", note="",
                        return_comment="", updated_at=now)
        db.session.add(review)
        db.session.flush()
    if review.status != ACCEPTED:
        _accept(actor, review, cr, now)
    cr.review_id = review.id
    db.session.flush()
    return review


def on_cycle_open(actor, cycle: ReviewCycle, now: datetime) -> None:
    """Change-triggered reviews finished earlier in the cycle's year count when the cycle opens."""
    done = db.session.scalars(select(ChangeReview).where(ChangeReview.status == DONE, ChangeReview.review_id.is_(None))
                              .order_by(ChangeReview.done_on)).all()
    for cr in done:
        if cr.done_on is None or cr.done_on.year != cycle.year:
            continue
        review = reviews.get_review(cycle, cr.procedure.code)
        if review is None:
            continue
        if review.status != ACCEPTED:
            _accept(actor, review, cr, now)
        cr.review_id = review.id
    db.session.flush()


# -- what document control tells us -----------------------------------------------------------------------
def _open_of(proc: Procedure):
    return db.session.scalars(select(ChangeReview).where(ChangeReview.procedure_id == proc.id,
                                                         ChangeReview.status.in_(OPEN_STATUSES))
                              .order_by(ChangeReview.id)).all()


def on_issue(actor, proc: Procedure, now: datetime | None = None) -> None:
    """A new issue after the change was recorded answers the review: updated, done, counted."""
    now = now or utcnow()
    for cr in _open_of(proc):
        if cr.status == RECORDED:
            continue  # the unit said maintained / withdraw; the head's confirmation decides
        if to_local(cr.change.recorded_at).date() > (proc.issued_on or local_today(now)):
            continue
        cr.outcome = UPDATED
        cr.revision, cr.issue_number = proc.issued_revision, proc.issue_number
        _finish(actor, cr, now)
        _audit(actor, "change_review.issued", cr,
               f"{proc.code}: ban hành lần {proc.issue_number} trả lời rà soát khi có thay đổi",
               {"issue": proc.issue_number})
    db.session.flush()


def on_withdraw(actor, proc: Procedure, now: datetime | None = None) -> None:
    now = now or utcnow()
    for cr in _open_of(proc):
        cr.status, cr.updated_at = CLOSED, now
        _audit(actor, "change_review.close", cr, f"{proc.code} đã bãi bỏ: đóng rà soát khi có thay đổi")
    db.session.flush()


def on_transfer(actor, proc: Procedure, now: datetime | None = None) -> None:
    now = now or utcnow()
    for cr in _open_of(proc):
        if cr.unit_id != proc.unit.id:
            old = cr.unit.code
            cr.unit, cr.updated_at = proc.unit, now
            _audit(actor, "change_review.transfer", cr, f"Chuyển rà soát {proc.code} từ {old} sang {proc.unit.code}",
                   {"from": old, "to": proc.unit.code})
    db.session.flush()


def reviews_statement(change: LegalChange):
    return (select(ChangeReview).join(ChangeReview.procedure).where(ChangeReview.change_id == change.id)
            .options(contains_eager(ChangeReview.procedure), joinedload(ChangeReview.unit)).order_by(Procedure.code))


def reviews_of_change(change: LegalChange) -> list[ChangeReview]:
    return list(db.session.scalars(reviews_statement(change)))
