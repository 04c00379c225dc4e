"""Review pages for reading: cycles, a cycle with its compliance and table, one review, year-on-year."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import permissions as perm
from app.auth.permissions import can_read_reviews, check, require
from app.extensions import db
from app.pagination import paginate
from app.procedures.models import ProcedureRevision
from app.reviews import compliance, hooks  # noqa: F401  (hooks registers the document-control hooks)
from app.reviews.blueprint import bp
from app.reviews.forms import CycleSettingsForm, OpenCycleForm, RecordForm, ReturnForm
from app.reviews.labels import (CYCLE_STATUS_LABELS, OUTCOME_LABELS, SOURCE_LABELS, STATUS_BADGES, STATUS_LABELS,
                                accepted_by_text)
from app.reviews.models import CONFIRMED, MAINTAINED, OPEN, PENDING, RECORDED, RETURNED, Review, ReviewCycle
from app.reviews.queries import table_statement as _table_query
from app.reviews.queries import visible_unit_ids
from app.reviews.services import get_cycle, get_review
from app.timeutil import local_today, parse_date


PER_PAGE = 50


@bp.app_context_processor
def review_globals():
    return {"REVIEW_STATUS_LABELS": STATUS_LABELS, "REVIEW_STATUS_BADGES": STATUS_BADGES,
            "REVIEW_OUTCOME_LABELS": OUTCOME_LABELS, "REVIEW_SOURCE_LABELS": SOURCE_LABELS,
            "CYCLE_STATUS_LABELS": CYCLE_STATUS_LABELS, "accepted_by_text": accepted_by_text,
            "objective4_indicator": lambda: compliance.indicator(local_today())}


def cycle_or_404(year: int) -> ReviewCycle:
    cycle = get_cycle(year)
    if cycle is None:
        abort(404)
    return cycle


def review_or_404(cycle: ReviewCycle, code: str) -> Review:
    review = get_review(cycle, code)
    if review is None:
        abort(404)
    check(perm.can_read_review(current_user, review))
    return review


@bp.get("/")
@require(can_read_reviews)
def index():
    today = local_today()
    form = OpenCycleForm()
    if not form.is_submitted():
        form.year.data = today.year
    return render_index(form, today)


def render_index(form, today, status=200):
    cycles = db.session.scalars(select(ReviewCycle).order_by(ReviewCycle.year.desc())).all()
    results = compliance.all_cycles_compliance(today, visible_unit_ids(current_user))
    open_cycle = next((c for c in cycles if c.status == OPEN), None)
    return render_template("reviews/index.html", cycles=cycles, results=results, form=form, today=today,
                           open_cycle=open_cycle), status


@bp.get("/<int:year>")
@require(can_read_reviews)
def cycle(year: int):
    cycle = cycle_or_404(year)
    today = local_today()
    unit_ids = visible_unit_ids(current_user)
    result = compliance.cycle_compliance(cycle, today)
    shown_units = result.units if unit_ids is None else [u for u in result.units if u.unit_id in unit_ids]
    page = paginate(_table_query(cycle, request.args, unit_ids, today), request.args.get("page", 1, type=int),
                    PER_PAGE)
    settings = CycleSettingsForm(obj=cycle) if perm.can_manage_cycles(current_user) and cycle.is_open else None
    can_bulk = (cycle.is_open and perm.can_confirm_reviews(current_user)
                and any(r.status == RECORDED and r.outcome == MAINTAINED and perm.can_confirm_review(current_user, r)
                        for r in page.items))
    return render_template("reviews/cycle.html", cycle=cycle, result=result, shown_units=shown_units, page=page,
                           args=request.args, today=today, settings=settings, can_bulk=can_bulk,
                           overdue=compliance.reference_date(cycle, today) > cycle.deadline,
                           sees_all=unit_ids is None)


def review_history(review: Review) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "review",
                                 AuditEvent.object_id == f"{review.cycle.year}/{review.procedure.code}")
        .order_by(AuditEvent.id)))


def render_review(review: Review, record_form=None, return_form=None, status=200):
    proc = review.procedure
    draft = None
    if proc.current_revision and proc.current_revision != proc.issued_revision:
        draft = db.session.scalar(select(ProcedureRevision).where(ProcedureRevision.procedure_id == proc.id,
                                                                  ProcedureRevision.sha == proc.current_revision))
    if record_form is None:
        record_form = RecordForm(formdata=None, outcome=review.outcome or MAINTAINED,
                                 note=review.note if review.status in (RECORDED, RETURNED) else "")
    return render_template("reviews/review.html", review=review, cycle=review.cycle, proc=proc, draft=draft,
                           record_form=record_form, return_form=return_form or ReturnForm(formdata=None),
                           history=review_history(review), editable=review.cycle.is_open,
                           RECORDED=RECORDED, CONFIRMED=CONFIRMED, recordable=(PENDING, RECORDED, RETURNED)), status


@bp.get("/<int:year>/<code>")
@require(can_read_reviews)
def review(year: int, code: str):
    return render_review(review_or_404(cycle_or_404(year), code))


@bp.get("/compliance")
@require(can_read_reviews)
def compliance_page():
    today = local_today()
    try:
        on = parse_date(request.args["on"]) if request.args.get("on") else today
    except ValueError:
        on = today
    unit_ids = visible_unit_ids(current_user)
    years = compliance.year_on_year(today)
    stale_total, stale = compliance.stale_procedures(on, limit=100, unit_ids=unit_ids, today=today)
    units = sorted({(u.code, u.name) for y in years for u in y.units
                    if unit_ids is None or u.unit_id in unit_ids})
    return render_template("reviews/compliance.html", years=years, units=units, on=on, today=today,
                           stale=stale, stale_total=stale_total, sees_all=unit_ids is None,
                           title=_("Mục tiêu 4 qua các năm"))

