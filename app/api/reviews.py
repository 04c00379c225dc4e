"""/api/v1/reviews: cycles, a cycle's compliance per unit, its reviews; recording and confirming a review."""
from __future__ import annotations

from flask import abort
from marshmallow import fields, validate
from sqlalchemy import select

from app.api.access import allow, conflict, found, user
from app.api.core import blueprint
from app.api.paging import numbered
from app.api.schemas import LINK_HEADER, Body, Out, PageArgs, UtcDateTime, page_schema, text
from app.auth import permissions as perm
from app.extensions import db
from app.pagination import paginate
from app.reviews import compliance, services
from app.reviews.labels import error_message
from app.reviews.models import OUTCOMES, STATUSES, Review, ReviewCycle
from app.reviews.queries import TABLE_STATUSES, table_statement, visible_unit_ids
from app.timeutil import local_today

blp = blueprint("api_reviews", "/reviews", "Rà soát hằng năm (Mục tiêu 4) / Yearly review")


def _counts():
    return fields.Dict(keys=fields.String(validate=validate.OneOf(STATUSES)), values=fields.Integer(),
                       required=True, metadata={"description": "Reviews per status"})


class UnitProgressSchema(Out):
    code = fields.String(required=True)
    name = fields.String(required=True)
    total = fields.Integer(required=True)
    reviewed = fields.Integer(required=True)
    percent = fields.Integer(attribute="pct", required=True)
    overdue = fields.Integer(required=True)
    counts = _counts()


class ComplianceSchema(Out):
    as_of = fields.Date(required=True, metadata={"description": "Today while open, the closing date once closed"})
    total = fields.Integer(required=True)
    reviewed = fields.Integer(required=True)
    remaining = fields.Integer(required=True)
    percent = fields.Integer(attribute="pct", required=True)
    overdue = fields.Integer(required=True)
    counts = _counts()


class CycleSchema(Out):
    year = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["open", "closed"]))
    deadline = fields.Date(required=True)
    meeting_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    note = fields.String(required=True)
    compliance = fields.Nested(ComplianceSchema, required=True,
                               metadata={"description": "Figures over the units this user may read"})


class CycleList(Out):
    items = fields.List(fields.Nested(CycleSchema), required=True)


class CycleDetailSchema(CycleSchema):
    units = fields.List(fields.Nested(UnitProgressSchema), required=True,
                        metadata={"description": "Per unit, the units this user may read"})


class ReviewArgs(PageArgs):
    unit = fields.String(load_default="", validate=validate.Length(max=20))
    status = fields.String(load_default="", validate=validate.OneOf(["", *TABLE_STATUSES]))
    q = fields.String(load_default="", validate=validate.Length(max=200))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


class ReviewSchema(Out):
    year = fields.Function(lambda r: r.cycle.year, required=True)
    procedure = fields.Function(lambda r: r.procedure.code, required=True)
    title = fields.Function(lambda r: r.procedure.title, required=True)
    unit = fields.String(attribute="unit_code", required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    outcome = fields.String(allow_none=True, validate=validate.OneOf(OUTCOMES))
    source = fields.String(required=True, validate=validate.OneOf(["unit", "issue"]))
    note = fields.String(required=True)
    revision = fields.String(allow_none=True)
    issue_number = fields.Integer(allow_none=True)
    recorded_by = fields.Function(lambda r: r.recorded_by.full_name if r.recorded_by else None, allow_none=True)
    recorded_at = UtcDateTime(allow_none=True)
    confirmed_by = fields.Function(lambda r: r.confirmed_by.full_name if r.confirmed_by else None, allow_none=True)
    confirmed_at = UtcDateTime(allow_none=True)
    accepted_at = UtcDateTime(allow_none=True)
    return_comment = fields.String(required=True)
    updated_at = UtcDateTime(required=True)


ReviewPage = page_schema("ReviewPage", ReviewSchema)


class RecordInput(Body):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES),
                            metadata={"description": "maintained (no change), updated (a new revision is in "
                                                     "preparation) or withdraw (propose withdrawal; note required)"})
    note = text(validate.Length(max=4000), load_default="")


def _cycle(year: int) -> ReviewCycle:
    allow(perm.can_read_reviews(user()))
    return found(services.get_cycle(year))


def _review(year: int, code: str) -> Review:
    cycle = _cycle(year)
    review = found(services.get_review(cycle, code) if "\x00" not in code else None)
    allow(perm.can_read_review(user(), review))
    return review


def _cycle_body(cycle: ReviewCycle, result) -> dict:
    return {"year": cycle.year, "status": cycle.status, "deadline": cycle.deadline, "meeting_on": cycle.meeting_on,
            "closed_on": cycle.closed_on, "note": cycle.note or "", "compliance": result}


def _run(call, review: Review) -> Review:
    try:
        call()
    except services.ReviewPermissionDenied:
        abort(403)
    except services.ReviewError as exc:
        raise conflict(exc.key, lambda e=exc: error_message(e)) from exc
    db.session.commit()
    return review


@blp.route("/cycles")
@blp.response(200, CycleList)
def cycles():
    """Every cycle, newest first, with its figures over the units this user may read"""
    allow(perm.can_read_reviews(user()))
    results = compliance.all_cycles_compliance(local_today(), visible_unit_ids(user()))
    rows = db.session.scalars(select(ReviewCycle).order_by(ReviewCycle.year.desc())).all()
    return {"items": [_cycle_body(c, results[c.year]) for c in rows]}


@blp.route("/cycles/<int(min=1900, max=2999):year>")
@blp.response(200, CycleDetailSchema)
@blp.alt_response(404, "NOT_FOUND")
def cycle(year: int):
    """A cycle: its overall compliance and the figures per unit, as on the cycle page"""
    cycle = _cycle(year)
    unit_ids = visible_unit_ids(user())
    result = compliance.cycle_compliance(cycle, local_today())
    body = _cycle_body(cycle, result)
    body["units"] = result.units if unit_ids is None else [u for u in result.units if u.unit_id in unit_ids]
    return body


@blp.route("/cycles/<int(min=1900, max=2999):year>/reviews")
@blp.arguments(ReviewArgs, location="query")
@blp.response(200, ReviewPage, headers=LINK_HEADER)
@blp.alt_response(404, "NOT_FOUND")
def reviews(args, year: int):
    """The cycle's reviews (a unit's with ?unit=); a unit member sees their own unit's only"""
    cycle = _cycle(year)
    stmt = table_statement(cycle, args, visible_unit_ids(user()), local_today())
    body, headers = numbered(paginate(stmt, args["page"], args["per_page"]))
    return body, 200, headers


@blp.route("/cycles/<int(min=1900, max=2999):year>/reviews/<code>")
@blp.response(200, ReviewSchema)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
def review(year: int, code: str):
    """One review"""
    return _review(year, code)


@blp.route("/cycles/<int(min=1900, max=2999):year>/reviews/<code>/record", methods=["POST"])
@blp.arguments(RecordInput)
@blp.response(200, ReviewSchema)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
@blp.alt_response(409, "CONFLICT")
def record(data, year: int, code: str):
    """Record the unit's review (a member or the head of the owner unit); it then waits for the head's confirmation"""
    allow(perm.can_work_on_reviews(user()))
    review = _review(year, code)
    allow(perm.can_record_review(user(), review))
    return _run(lambda: services.record(user(), review, outcome=data["outcome"], note=data["note"]), review)


@blp.route("/cycles/<int(min=1900, max=2999):year>/reviews/<code>/confirm", methods=["POST"])
@blp.response(200, ReviewSchema)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
@blp.alt_response(409, "CONFLICT")
def confirm(year: int, code: str):
    """Confirm a recorded review (the head of the owner unit); it then goes to the ISO secretary"""
    allow(perm.can_confirm_reviews(user()))
    review = _review(year, code)
    allow(perm.can_confirm_review(user(), review))
    return _run(lambda: services.confirm(user(), review), review)
