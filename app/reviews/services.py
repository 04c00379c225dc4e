"""The rules of the yearly review: open and close cycles; record, confirm, accept, return; audited.

Every function takes the acting user, flushes and never commits: the route commits once. `now`
(UTC) is a parameter so that tests can stand on any day; dates people see are Hanoi dates.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, or_, select, update

from app.audit.messages import MESSAGES, message
from app.audit.services import record as audit
from app.auth import permissions as perm
from app.auth.models import Unit
from app.extensions import db
from app.procedures.models import ISSUED, WITHDRAWN, Procedure
from app.reviews.compliance import cycle_compliance
from app.reviews.models import (ACCEPTED, CLOSED, CONFIRMED, MAINTAINED, OPEN, OUTCOMES, PENDING, RECORDED,
                                RETURNED, SOURCE_ISSUE, SOURCE_UNIT, UPDATED, Review, ReviewCycle)
from app.timeutil import local_today, utcnow


# fn(actor, cycle, now) once a cycle is opened, e.g. to count reviews other features finished earlier that year
ON_CYCLE_OPEN: list = []


class ReviewError(Exception):
    """A step the review's state, its cycle or the user's role does not allow."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class ReviewPermissionDenied(ReviewError):
    def __init__(self):
        super().__init__("forbidden")


def _allow(ok: bool) -> None:
    if not ok:
        raise ReviewPermissionDenied()


# -- reads ---------------------------------------------------------------------------------------
def get_cycle(year: int) -> ReviewCycle | None:
    return db.session.scalar(select(ReviewCycle).where(ReviewCycle.year == year))


def open_cycle_now() -> ReviewCycle | None:
    return db.session.scalar(select(ReviewCycle).where(ReviewCycle.status == OPEN).order_by(ReviewCycle.year))


def get_review(cycle: ReviewCycle, code: str) -> Review | None:
    return db.session.scalar(select(Review).join(Review.procedure)
                             .where(Review.cycle_id == cycle.id, Procedure.code == code))


# -- helpers -------------------------------------------------------------------------------------
def _audit(actor, action: str, review: Review, summary: str, payload: dict | None = None) -> None:
    payload = dict(payload or {}, status=review.status, outcome=review.outcome, revision=review.revision)
    if action in MESSAGES:
        payload.update(message(action, code=review.procedure.code, year=review.cycle.year,
                               issue=review.issue_number or ""))
    audit(actor, action, "review", f"{review.cycle.year}/{review.procedure.code}", summary, payload,
          unit_code=review.unit.code)


def _editable(cycle: ReviewCycle) -> None:
    if cycle.status != OPEN:
        raise ReviewError("cycle_closed")


def _reviewed_on(proc: Procedure, day: date | None) -> None:
    if day is not None and (proc.last_reviewed_on is None or proc.last_reviewed_on < day):
        proc.last_reviewed_on = day


def _check_dates(year: int, deadline: date, meeting_on: date | None) -> None:
    if deadline < date(year, 1, 1):
        raise ReviewError("deadline_before_year")
    if meeting_on is not None and meeting_on < date(year, 1, 1):
        raise ReviewError("meeting_before_year")


# -- cycles --------------------------------------------------------------------------------------
def open_cycle(actor, *, year: int, deadline: date, meeting_on: date | None = None, note: str = "",
               now: datetime | None = None) -> ReviewCycle:
    """One review per procedure in force, for its owner unit; those issued in `year` already count."""
    _allow(perm.can_manage_cycles(actor))
    now = now or utcnow()
    if not 2000 <= year <= local_today(now).year + 1:
        raise ReviewError("bad_year")
    _check_dates(year, deadline, meeting_on)
    if get_cycle(year) is not None:
        raise ReviewError("cycle_exists", year=year)
    other = open_cycle_now()
    if other is not None:
        raise ReviewError("another_open", year=other.year)
    cycle = ReviewCycle(year=year, status=OPEN, deadline=deadline, meeting_on=meeting_on, note=(note or "").strip(),
                        opened_by_id=actor.id, opened_at=now)
    db.session.add(cycle)
    db.session.flush()

    procs = db.session.execute(
        select(Procedure.id, Procedure.code, Procedure.unit_id, Procedure.issued_on, Procedure.issued_revision,
               Procedure.issue_number, Unit.code.label("unit_code"))
        .join(Unit, Unit.id == Procedure.unit_id).where(Procedure.status == ISSUED).order_by(Procedure.code)).all()
    rows, counted = [], []
    for p in procs:
        row = dict(cycle_id=cycle.id, procedure_id=p.id, unit_id=p.unit_id, status=PENDING, outcome=None,
                   source=SOURCE_UNIT, note="", revision=None, issue_number=None, accepted_by_id=None,
                   accepted_at=None, return_comment="", updated_at=now)
        if p.issued_on is not None and p.issued_on.year == year:
            # an issued revision in the year is that year's review by itself
            # credited to the issue itself (the system), not to the secretary who opened the cycle
            row.update(status=ACCEPTED, outcome=UPDATED, source=SOURCE_ISSUE, revision=p.issued_revision,
                       issue_number=p.issue_number, accepted_by_id=None, accepted_at=now)
            counted.append(p)
        rows.append(row)
    if rows:
        db.session.execute(insert(Review), rows)
    if counted:
        db.session.execute(
            update(Procedure).where(Procedure.id.in_([p.id for p in counted]),
                                    or_(Procedure.last_reviewed_on.is_(None),
                                        Procedure.last_reviewed_on < Procedure.issued_on))
            .values(last_reviewed_on=Procedure.issued_on).execution_options(synchronize_session="fetch"))
    audit(actor, "review_cycle.open", "review_cycle", str(year), f"Mở đợt rà soát năm {year}",
          {"year": year, "deadline": deadline.isoformat(), "meeting_on": meeting_on and meeting_on.isoformat(),
           "procedures": len(rows), "counted_by_issue": [p.code for p in counted]})
    for p in counted:
        audit(None, "review.issue_counted", "review", f"{year}/{p.code}",
              f"{p.code}: ban hành lần {p.issue_number} trong năm {year} được tính là rà soát",
              {"status": ACCEPTED, "outcome": UPDATED, "revision": p.issued_revision, "issue": p.issue_number,
               **message("review.issue_counted", code=p.code, year=year, issue=p.issue_number)},
              unit_code=p.unit_code)
    db.session.flush()
    for hook in ON_CYCLE_OPEN:
        hook(actor, cycle, now)
    return cycle


def update_cycle(actor, cycle: ReviewCycle, *, deadline: date, meeting_on: date | None, note: str = "") -> None:
    _allow(perm.can_manage_cycles(actor))
    _editable(cycle)
    _check_dates(cycle.year, deadline, meeting_on)
    before = {"deadline": cycle.deadline.isoformat(), "meeting_on": cycle.meeting_on and cycle.meeting_on.isoformat()}
    cycle.deadline, cycle.meeting_on, cycle.note = deadline, meeting_on, (note or "").strip()
    audit(actor, "review_cycle.update", "review_cycle", str(cycle.year), f"Sửa thông tin đợt rà soát năm {cycle.year}",
          {"before": before, "after": {"deadline": deadline.isoformat(),
                                       "meeting_on": meeting_on and meeting_on.isoformat()}})
    db.session.flush()


def close_cycle(actor, cycle: ReviewCycle, now: datetime | None = None) -> None:
    """Freeze the results: from now on the cycle is read, not edited."""
    _allow(perm.can_manage_cycles(actor))
    if cycle.status == CLOSED:
        raise ReviewError("already_closed")
    now = now or utcnow()
    cycle.status, cycle.closed_by_id, cycle.closed_at, cycle.closed_on = CLOSED, actor.id, now, local_today(now)
    result = cycle_compliance(cycle, local_today(now))
    audit(actor, "review_cycle.close", "review_cycle", str(cycle.year), f"Đóng đợt rà soát năm {cycle.year}",
          {"year": cycle.year, "total": result.total, "reviewed": result.reviewed, "percent": result.pct})
    db.session.flush()


# -- a unit's review -------------------------------------------------------------------------------
def record(actor, review: Review, *, outcome: str, note: str = "", now: datetime | None = None) -> None:
    """A member (or the head) of the owner unit records the outcome; a returned review is resubmitted so."""
    _allow(perm.can_record_review(actor, review))
    _editable(review.cycle)
    proc = review.procedure
    if proc.status == WITHDRAWN:
        raise ReviewError("procedure_withdrawn")
    if review.status not in (PENDING, RECORDED, RETURNED):
        raise ReviewError("not_recordable")
    if outcome not in OUTCOMES:
        raise ReviewError("bad_outcome")
    note = (note or "").strip()
    if outcome == MAINTAINED:
        if not proc.issued_revision:
            raise ReviewError("not_issued")
        # tied to the exact text the unit read: the revision in force at this moment
        revision, issue_number = proc.issued_revision, proc.issue_number
    elif outcome == UPDATED:
        if not proc.current_revision or proc.current_revision == proc.issued_revision:
            raise ReviewError("no_new_revision")
        revision, issue_number = proc.current_revision, None
    else:
        if not note:
            raise ReviewError("reason_required")
        revision, issue_number = proc.issued_revision, proc.issue_number
    now = now or utcnow()
    resubmitted = review.status == RETURNED
    review.status, review.outcome, review.source, review.note = RECORDED, outcome, SOURCE_UNIT, note
    review.revision, review.issue_number = revision, issue_number
    review.recorded_by, review.recorded_at = actor, now
    review.confirmed_by, review.confirmed_at = None, None
    review.updated_at = now
    _audit(actor, "review.record", review, f"Ghi nhận rà soát {proc.code} năm {review.cycle.year}",
           {"note": note, "resubmitted": resubmitted})
    db.session.flush()


def confirm(actor, review: Review, now: datetime | None = None) -> None:
    """The head of the owner unit confirms what the unit recorded (never the secretary for a unit)."""
    _allow(perm.can_confirm_review(actor, review))
    _editable(review.cycle)
    if review.status != RECORDED:
        raise ReviewError("not_recorded")
    now = now or utcnow()
    review.status, review.confirmed_by, review.confirmed_at, review.updated_at = CONFIRMED, actor, now, now
    _audit(actor, "review.confirm", review, f"Xác nhận rà soát {review.procedure.code} năm {review.cycle.year}")
    db.session.flush()


def bulk_confirm(actor, reviews: list[Review], now: datetime | None = None) -> tuple[list[Review], list[Review]]:
    """Confirm several recorded "maintained" reviews at once; returns (confirmed, skipped)."""
    if not reviews:
        raise ReviewError("nothing_selected")
    for review in reviews:  # all or nothing on permission: one foreign review refuses the whole request
        _allow(perm.can_confirm_review(actor, review))
        _editable(review.cycle)
    done, skipped = [], []
    for review in reviews:
        if review.status == RECORDED and review.outcome == MAINTAINED:
            confirm(actor, review, now)
            done.append(review)
        else:
            skipped.append(review)
    return done, skipped


def accept(actor, review: Review, now: datetime | None = None) -> None:
    """The ISO secretary accepts a confirmed review; the procedure counts as reviewed from today."""
    _allow(perm.can_accept_review(actor, review))
    _editable(review.cycle)
    if review.status != CONFIRMED:
        raise ReviewError("not_confirmed")
    now = now or utcnow()
    review.status, review.accepted_by, review.accepted_at, review.updated_at = ACCEPTED, actor, now, now
    _reviewed_on(review.procedure, local_today(now))
    _audit(actor, "review.accept", review, f"Chấp nhận rà soát {review.procedure.code} năm {review.cycle.year}")
    db.session.flush()


def return_review(actor, review: Review, comment: str, now: datetime | None = None) -> None:
    """The ISO secretary sends a confirmed review back to the unit with a comment."""
    _allow(perm.can_accept_review(actor, review))
    _editable(review.cycle)
    if review.status != CONFIRMED:
        raise ReviewError("not_confirmed")
    comment = (comment or "").strip()
    if not comment:
        raise ReviewError("comment_required")
    now = now or utcnow()
    review.status, review.returned_by, review.returned_at = RETURNED, actor, now
    review.return_comment, review.updated_at = comment, now
    _audit(actor, "review.return", review, f"Trả lại rà soát {review.procedure.code} năm {review.cycle.year}",
           {"comment": comment})
    db.session.flush()


# -- what document control tells us (core.ON_ISSUE / ON_TRANSFER) ----------------------------------------
def _join(actor, cycle: ReviewCycle, proc: Procedure, now: datetime) -> Review:
    review = Review(cycle=cycle, procedure=proc, unit=proc.unit, status=PENDING, source=SOURCE_UNIT, note="",
                    return_comment="", updated_at=now)
    db.session.add(review)
    db.session.flush()
    return review


def count_issue(actor, proc: Procedure, now: datetime | None = None) -> Review | None:
    """A revision issued while a cycle is open is that cycle's review: updated and accepted, nothing to type."""
    cycle = open_cycle_now()
    if cycle is None or proc.status != ISSUED:
        return None
    now = now or utcnow()
    review = get_review(cycle, proc.code)
    joined = review is None
    if joined:
        review = _join(actor, cycle, proc, now)
    if proc.issued_on is not None and proc.issued_on.year < cycle.year:
        if joined:
            _audit(actor, "review.join", review, f"{proc.code} tham gia đợt rà soát năm {cycle.year}")
        return review
    if review.status != ACCEPTED:
        review.unit = proc.unit
    review.status, review.outcome, review.source = ACCEPTED, UPDATED, SOURCE_ISSUE
    review.revision, review.issue_number = proc.issued_revision, proc.issue_number
    # the issuing leader's act counts; anyone else's (an import by the secretary) is the system's
    credited = actor if actor is not None and perm.can_approve(actor, proc) else None
    review.accepted_by, review.accepted_at, review.updated_at = credited, now, now
    _reviewed_on(proc, proc.issued_on)
    _audit(credited, "review.issue_counted", review,
           f"{proc.code}: ban hành lần {proc.issue_number} được tính là rà soát năm {cycle.year}",
           {"issue": proc.issue_number, "joined": joined})
    db.session.flush()
    return review


def follow_transfer(actor, proc: Procedure, now: datetime | None = None) -> Review | None:
    """The open review moves to the new owner unit (and starts again there); a procedure not yet in the cycle joins."""
    cycle = open_cycle_now()
    if cycle is None or proc.status != ISSUED:
        return None
    now = now or utcnow()
    review = get_review(cycle, proc.code)
    if review is None:
        review = _join(actor, cycle, proc, now)
        _audit(actor, "review.join", review, f"{proc.code} tham gia đợt rà soát năm {cycle.year}")
        return review
    if review.status == ACCEPTED or review.unit_id == proc.unit.id:
        return review
    old_unit = review.unit.code
    review.unit = proc.unit
    review.status, review.outcome, review.note, review.revision, review.issue_number = PENDING, None, "", None, None
    review.recorded_by = review.confirmed_by = None
    review.recorded_at = review.confirmed_at = None
    review.updated_at = now
    _audit(actor, "review.transfer", review, f"Chuyển rà soát {proc.code} từ {old_unit} sang {proc.unit.code}",
           {"from": old_unit, "to": proc.unit.code})
    db.session.flush()
    return review
