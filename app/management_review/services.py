"""Management review rules: the meeting, its input pack frozen when held, outputs, minutes and approval.

A review goes planned -> held -> approved. While planned the input pack is computed live and the
secretary writes the items the system has no data for; holding the meeting freezes every item as the
committee saw it. Outputs (ISO 9001 9.3.3) are recorded after the meeting, each with an owner and a due
date; they become tasks and, while open, the first input of the next review.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.audit.services import record
from app.capa import services as capa_services
from app.extensions import db
from app.management_review import inputs
from app.management_review import permissions as perm
from app.management_review import providers as _providers  # noqa: F401  (registers the built-in items)
from app.management_review.models import (APPROVED, HELD, OUTPUT_DONE, OUTPUT_KINDS, OUTPUT_OPEN, PLANNED,
                                          ManagementReview, ReviewInput, ReviewOutput)
from app.timeutil import local_today, utcnow


class ManagementReviewError(Exception):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class PermissionDenied(ManagementReviewError):
    def __init__(self):
        super().__init__("forbidden")


def _allow(ok: bool) -> None:
    if not ok:
        raise PermissionDenied()


def _require(ok: bool, key: str, **params) -> None:
    if not ok:
        raise ManagementReviewError(key, **params)


def _text(value) -> str:
    return (value or "").strip()


def _event(actor, action: str, review: ManagementReview, summary: str, payload: dict | None = None,
           unit_code: str | None = None) -> None:
    record(actor, action, "management_review", review.id, summary, payload, unit_code=unit_code)


def previous_of(review: ManagementReview) -> ManagementReview | None:
    return db.session.scalar(
        select(ManagementReview).where(ManagementReview.id != review.id,
                                       ManagementReview.meeting_on <= review.meeting_on,
                                       ManagementReview.status.in_((HELD, APPROVED)))
        .order_by(ManagementReview.meeting_on.desc(), ManagementReview.id.desc()).limit(1))


def context_for(review: ManagementReview) -> inputs.InputContext:
    previous = previous_of(review)
    since = previous.meeting_on if previous is not None else date(review.year, 1, 1)
    return inputs.InputContext(review=review, year=review.year, since=since, until=review.meeting_on,
                               previous=previous)


def _check(year: int, title: str, meeting_on: date | None, chair) -> None:
    _require(2000 <= year <= 2100, "invalid_year")
    _require(bool(_text(title)), "title_required")
    _require(meeting_on is not None, "date_required")
    _require(chair is not None, "chair_required")


def create(actor, *, year: int, title: str, meeting_on: date | None, chair, attendees: str = "",
           location: str = "") -> ManagementReview:
    _allow(perm.can_manage_management_reviews(actor))
    _check(year, title, meeting_on, chair)
    review = ManagementReview(year=year, title=_text(title)[:300], meeting_on=meeting_on, chair=chair,
                              attendees=_text(attendees), location=_text(location)[:200], status=PLANNED,
                              created_by_id=actor.id, created_at=utcnow())
    db.session.add(review)
    ensure_inputs(review)
    db.session.flush()
    _event(actor, "management_review.create", review, f"Lập cuộc họp xem xét của lãnh đạo ngày {meeting_on:%d/%m/%Y}",
           {"year": year, "title": review.title, "meeting_on": meeting_on.isoformat(), "chair": chair.username,
            "attendees": review.attendees, "location": review.location})
    return review


def update(actor, review: ManagementReview, *, title: str, meeting_on: date | None, chair, attendees: str = "",
           location: str = "") -> None:
    _allow(perm.can_manage_management_reviews(actor))
    _require(review.status == PLANNED, "inputs_frozen")
    _check(review.year, title, meeting_on, chair)
    review.title, review.meeting_on, review.chair = _text(title)[:300], meeting_on, chair
    review.attendees, review.location = _text(attendees), _text(location)[:200]
    _event(actor, "management_review.update", review, f"Sửa thông tin cuộc họp xem xét #{review.id}",
           {"title": review.title, "meeting_on": meeting_on.isoformat(), "chair": chair.username,
            "attendees": review.attendees, "location": review.location})


def ensure_inputs(review: ManagementReview) -> None:
    """One row per registered item (a feature installed later adds its item to a review still planned)."""
    have = {i.key for i in review.inputs}
    for p in inputs.providers():
        if p.key not in have:
            review.inputs.append(ReviewInput(key=p.key, seq=p.order, text=""))


def set_input_text(actor, review: ManagementReview, key: str, text: str) -> None:
    _allow(perm.can_manage_management_reviews(actor))
    _require(not review.inputs_frozen, "inputs_frozen")
    _require(key in inputs.INPUT_PROVIDERS, "unknown_input")
    ensure_inputs(review)
    item = review.input(key)
    item.text = _text(text)
    _event(actor, "management_review.input_text", review, f"Ghi nội dung đầu vào \u201c{key}\u201d",
           {"key": key, "text": item.text})


def live_pack(review: ManagementReview) -> dict[str, dict | None]:
    """What the pack would hold if the meeting were held now (shown while planned)."""
    ctx = context_for(review)
    return {p.key: inputs.compute(p, ctx) for p in inputs.providers()}


def hold(actor, review: ManagementReview) -> None:
    """The meeting took place: every item is computed once more and frozen as the committee saw it."""
    _allow(perm.can_manage_management_reviews(actor))
    _require(review.status == PLANNED, "wrong_state")
    _require(review.meeting_on <= local_today(), "meeting_in_future")
    ensure_inputs(review)
    ctx = context_for(review)
    now = utcnow()
    by_key = {p.key: p for p in inputs.providers()}
    for item in review.inputs:
        provider = by_key.get(item.key)
        item.data = inputs.compute(provider, ctx) if provider is not None else item.data
        item.frozen_at = now
    review.status, review.held_at = HELD, now
    db.session.flush()
    _event(actor, "management_review.hold", review, f"Họp xem xét của lãnh đạo ngày {review.meeting_on:%d/%m/%Y}",
           {"inputs": {i.key: {"data": i.data, "text": i.text} for i in review.inputs},
            "previous": ctx.previous.id if ctx.previous is not None else None})
    _mark_cycle_meeting(actor, review)


def _mark_cycle_meeting(actor, review: ManagementReview) -> None:
    """The yearly review cycle's "maintained" deadline depends on this meeting: give the cycle its date."""
    from app.reviews.models import ReviewCycle

    cycle = db.session.scalar(select(ReviewCycle).where(ReviewCycle.year == review.year))
    if cycle is not None and cycle.is_open and cycle.meeting_on != review.meeting_on:
        cycle.meeting_on = review.meeting_on
        record(actor, "review_cycle.meeting", "review_cycle", cycle.year,
               f"Ngày họp xem xét của lãnh đạo năm {cycle.year}: {review.meeting_on:%d/%m/%Y}",
               {"meeting_on": review.meeting_on.isoformat(), "management_review": review.id})


def save_minutes(actor, review: ManagementReview, minutes: str) -> None:
    _allow(perm.can_manage_management_reviews(actor))
    _require(review.status == HELD, "wrong_state")
    review.minutes = _text(minutes)
    _event(actor, "management_review.minutes", review, f"Ghi biên bản cuộc họp xem xét #{review.id}",
           {"minutes": review.minutes})


def approve_minutes(actor, review: ManagementReview) -> None:
    _allow(perm.can_approve_minutes(actor, review))
    _require(review.status == HELD, "wrong_state")
    _require(bool(review.minutes), "minutes_required")
    review.status, review.approved_by_id, review.approved_at = APPROVED, actor.id, utcnow()
    _event(actor, "management_review.approve", review, f"Phê duyệt biên bản cuộc họp xem xét #{review.id}",
           {"outputs": [o.seq for o in review.outputs]})


# -- outputs (9.3.3) ------------------------------------------------------------------------------
def add_output(actor, review: ManagementReview, *, kind: str, description: str, due_on: date | None,
               owner_unit=None, owner_user=None, procedure=None) -> ReviewOutput:
    _allow(perm.can_manage_management_reviews(actor))
    _require(review.status == HELD, "wrong_state")
    _require(kind in OUTPUT_KINDS, "invalid_kind")
    _require(bool(_text(description)), "description_required")
    _require(due_on is not None, "due_required")
    owner_unit = owner_unit or (owner_user.unit if owner_user is not None else None)
    _require(owner_unit is not None or owner_user is not None, "owner_required")
    seq = max((o.seq for o in review.outputs), default=0) + 1
    output = ReviewOutput(seq=seq, kind=kind, description=_text(description), due_on=due_on, owner_unit=owner_unit,
                          owner_user=owner_user, procedure=procedure, status=OUTPUT_OPEN, created_at=utcnow())
    review.outputs.append(output)
    db.session.flush()
    _event(actor, "management_review.output_add", review, f"Kết luận {seq} của cuộc họp xem xét #{review.id}",
           {"output": seq, "kind": kind, "description": output.description, "due_on": due_on.isoformat(),
            "owner": output.owner_label, "procedure": procedure.code if procedure is not None else None},
           unit_code=output.unit_code)
    return output


def complete_output(actor, output: ReviewOutput, *, done_on: date | None, result: str) -> None:
    _allow(perm.can_complete_output(actor, output))
    _require(output.is_open, "output_closed")
    _require(bool(_text(result)), "result_required")
    done_on = done_on or local_today()
    _require(done_on <= local_today(), "future_date")
    output.status, output.done_on, output.result = OUTPUT_DONE, done_on, _text(result)
    _event(actor, "management_review.output_done", output.review,
           f"Hoàn thành kết luận {output.seq} của cuộc họp xem xét #{output.review_id}",
           {"output": output.seq, "done_on": done_on.isoformat(), "result": output.result},
           unit_code=output.unit_code)


def raise_capa(actor, output: ReviewOutput):
    """An output that calls for corrective action becomes a CAPA record of its owner unit."""
    _allow(perm.can_manage_management_reviews(actor))
    _require(output.capa_id is None, "capa_exists")
    _require(output.owner_unit is not None, "owner_unit_required")
    review = output.review
    capa = capa_services.propose(
        actor, kind="corrective", source="management_review",
        title=f"XXLĐ {review.meeting_on:%d/%m/%Y} – {output.seq}: {output.description}"[:300],
        description=output.description, unit=output.owner_unit,
        procedures=[output.procedure] if output.procedure is not None else [])
    output.capa = capa
    db.session.flush()
    _event(actor, "management_review.output_capa", review,
           f"Lập phiếu {capa.number} từ kết luận {output.seq} của cuộc họp xem xét #{review.id}",
           {"output": output.seq, "capa": capa.number}, unit_code=output.unit_code)
    return capa
