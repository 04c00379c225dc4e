"""Management review pages: meetings, the input pack, holding the meeting, outputs, minutes and their print."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import LEADERSHIP, Unit, User, UserRole
from app.auth.permissions import check, require
from app.capa import routes as capa_routes
from app.choices import choices
from app.extensions import db
from app.management_review import inputs
from app.management_review import permissions as perm
from app.management_review import services
from app.management_review import tasks as _tasks  # noqa: F401  (registers the home-page providers)
from app.management_review.forms import CompleteOutputForm, InputTextForm, MeetingForm, MinutesForm, OutputForm
from app.management_review.labels import (OUTPUT_KIND_LABELS, OUTPUT_STATUS_LABELS, STATUS_BADGES, STATUS_LABELS,
                                          error_message)
from app.management_review.models import ManagementReview, ReviewOutput
from app.management_review.services import ManagementReviewError, PermissionDenied
from app.pagination import paginate
from app.procedures.models import ISSUED, Procedure
from app.timeutil import local_today, local_year

bp = Blueprint("management_review", __name__)
if "management_review/_capa_origin.html" not in capa_routes.ORIGIN_TEMPLATES:
    capa_routes.ORIGIN_TEMPLATES.append("management_review/_capa_origin.html")


@bp.app_context_processor
def labels():
    return {"MR_STATUS_LABELS": STATUS_LABELS, "MR_STATUS_BADGES": STATUS_BADGES,
            "OUTPUT_KIND_LABELS": OUTPUT_KIND_LABELS, "OUTPUT_STATUS_LABELS": OUTPUT_STATUS_LABELS,
            "mr_perm": perm, "management_review_for": _review_of_year}


def _review_of_year(year: int) -> ManagementReview | None:
    """The meeting the yearly review cycle's "maintained" deadline depends on (the year's latest)."""
    return db.session.scalar(select(ManagementReview).where(ManagementReview.year == year)
                             .order_by(ManagementReview.meeting_on.desc()).limit(1))


@bp.app_template_filter("tr")
def translate_stored(msgid: str) -> str:
    """A stored label (a Vietnamese source string) in the reader's language, with no %-formatting."""
    return _(msgid) if msgid else ""


@bp.app_template_filter("packcell")
def packcell(value, column: int, data: dict):
    """One cell of a frozen input table: ISO dates as dd/mm/yyyy, coded values as their label."""
    from app.capa.labels import SOURCE_LABELS
    from app.internal_audits.labels import AUDIT_STATUS_LABELS

    if value is None:
        return ""
    labels = (data.get("labels") or {}).get(str(column))
    if labels and isinstance(value, str) and value in labels:
        return translate_stored(labels[value])
    if column == data.get("translate_column") and isinstance(value, str):
        return translate_stored(value)
    if column == data.get("status_column"):
        return OUTPUT_STATUS_LABELS.get(value, value)
    if column == data.get("source_column"):
        return SOURCE_LABELS.get(value, value)
    if column == data.get("audit_status_column"):
        return AUDIT_STATUS_LABELS.get(value, value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return value


def _fail(exc):
    db.session.rollback()
    if isinstance(exc, PermissionDenied):
        abort(403)
    flash(error_message(exc), "danger")


def _chairs():
    return db.session.scalars(select(User).join(UserRole).where(UserRole.role == LEADERSHIP, User.active.is_(True))
                              .order_by(User.full_name)).all()


def _meeting_form(bound=None, **defaults) -> MeetingForm:
    form = bound or MeetingForm(prefix="meeting", formdata=None, **defaults)
    form.chair_id.choices = choices([("", _("— Chọn người chủ trì —"))]
                                    + [(u.id, u.full_name) for u in _chairs()])
    return form


@bp.route("/", methods=["GET", "POST"])
@require(perm.can_read_management_reviews)
def index():
    form = _meeting_form(year=local_year(), meeting_on=local_today(),
                         title=_("Họp xem xét của lãnh đạo năm %(y)s", y=local_year()))
    if request.method == "POST":
        check(perm.can_manage_management_reviews(current_user))
        form = _meeting_form(MeetingForm(prefix="meeting"))
        if form.validate_on_submit():
            try:
                review = services.create(current_user, year=form.year.data, title=form.title.data,
                                         meeting_on=form.meeting_on.data,
                                         chair=db.session.get(User, form.chair_id.data),
                                         attendees=form.attendees.data or "", location=form.location.data or "")
            except ManagementReviewError as exc:
                _fail(exc)
            else:
                db.session.commit()
                flash(_("Đã lập cuộc họp xem xét của lãnh đạo."), "success")
                return redirect(url_for("management_review.view", review_id=review.id))
    stmt = select(ManagementReview).order_by(ManagementReview.meeting_on.desc(), ManagementReview.id.desc())
    page = paginate(stmt, request.args.get("page", 1, type=int), 20)
    return render_template("management_review/index.html", page=page, form=form)


def _load(review_id: int) -> ManagementReview:
    review = db.session.get(ManagementReview, review_id)
    if review is None:
        abort(404)
    return review


def _output_form(bound=None) -> OutputForm:
    form = bound or OutputForm(prefix="output", formdata=None)
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all()
    form.owner_unit_id.choices = choices([("", _("— Chọn đơn vị —"))]
                                         + [(u.id, f"{u.code} – {u.name}") for u in units])
    people = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.full_name)).all()
    form.owner_user_id.choices = choices([("", _("— Không chỉ định —"))] + [
        (u.id, f"{u.full_name}{' (' + u.unit_code + ')' if u.unit_code else ''}") for u in people])
    procs = db.session.execute(select(Procedure.code, Procedure.title).where(Procedure.status == ISSUED)
                               .order_by(Procedure.code))
    form.procedure.choices = choices([("", "—")] + [(p.code, f"{p.code} – {p.title}") for p in procs])
    return form


def _render(review: ManagementReview, bound: dict | None = None, template="management_review/view.html"):
    bound = bound or {}
    items = inputs.providers()
    if review.inputs_frozen:  # exactly the items the meeting saw
        frozen = {i.key for i in review.inputs}
        items = [p for p in items if p.key in frozen]
    known = {p.key for p in items}
    # an item frozen under a key no longer registered still shows what the meeting saw
    extra = [inputs.InputProvider(i.key, i.key, "", i.seq) for i in review.inputs if i.key not in known]
    pack = {i.key: i.data for i in review.inputs} if review.inputs_frozen else services.live_pack(review)
    today = local_today()
    forms = {"meeting": bound.get("meeting") or _meeting_form(
                 year=review.year, title=review.title, meeting_on=review.meeting_on, location=review.location,
                 chair_id=review.chair_id, attendees=review.attendees),
             "minutes": bound.get("minutes") or MinutesForm(prefix="minutes", formdata=None, minutes=review.minutes),
             "output": _output_form(bound.get("output")),
             "complete": {o.seq: bound.get(f"complete{o.seq}") or CompleteOutputForm(
                 prefix=f"done{o.seq}", formdata=None, done_on=today) for o in review.outputs}}
    return render_template(template, review=review, items=sorted(items + extra, key=lambda p: p.order), pack=pack,
                           texts={i.key: i.text for i in review.inputs}, forms=forms, today=today,
                           previous=services.previous_of(review))


@bp.get("/<int:review_id>")
@require(perm.can_read_management_reviews)
def view(review_id: int):
    return _render(_load(review_id))


@bp.get("/<int:review_id>/print")
@require(perm.can_read_management_reviews)
def print_minutes(review_id: int):
    return _render(_load(review_id), template="management_review/print.html")


def _run(review: ManagementReview, call, success: str, bound: dict | None = None, anchor: str = ""):
    try:
        call()
    except ManagementReviewError as exc:
        _fail(exc)
        if bound:
            return _render(review, bound)
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        flash(_("Cuộc họp vừa được người khác cập nhật. Hãy xem lại rồi thao tác lại."), "warning")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("management_review.view", review_id=review.id) + anchor)


def _invalid(review, key, form):
    flash(_("Vui lòng kiểm tra lại thông tin đã nhập."), "danger")
    return _render(review, {key: form})


@bp.post("/<int:review_id>/edit")
@require(perm.can_manage_management_reviews)
def edit(review_id: int):
    review = _load(review_id)
    form = _meeting_form(MeetingForm(prefix="meeting"))
    if not form.validate_on_submit():
        return _invalid(review, "meeting", form)
    return _run(review, lambda: services.update(
        current_user, review, title=form.title.data, meeting_on=form.meeting_on.data,
        chair=db.session.get(User, form.chair_id.data), attendees=form.attendees.data or "",
        location=form.location.data or ""), _("Đã lưu thông tin cuộc họp."), {"meeting": form})


@bp.post("/<int:review_id>/inputs/<key>")
@require(perm.can_manage_management_reviews)
def input_text(review_id: int, key: str):
    review = _load(review_id)
    form = InputTextForm(prefix=f"in-{key}")
    form.validate_on_submit()
    return _run(review, lambda: services.set_input_text(current_user, review, key, form.text.data or ""),
                _("Đã lưu nội dung đầu vào."), anchor=f"#input-{key}")


@bp.post("/<int:review_id>/hold")
@require(perm.can_manage_management_reviews)
def hold(review_id: int):
    review = _load(review_id)
    return _run(review, lambda: services.hold(current_user, review),
                _("Đã ghi nhận cuộc họp; đầu vào đã được chốt."))


@bp.post("/<int:review_id>/minutes")
@require(perm.can_manage_management_reviews)
def minutes(review_id: int):
    review = _load(review_id)
    form = MinutesForm(prefix="minutes")
    if not form.validate_on_submit():
        return _invalid(review, "minutes", form)
    return _run(review, lambda: services.save_minutes(current_user, review, form.minutes.data),
                _("Đã lưu biên bản."), {"minutes": form})


@bp.post("/<int:review_id>/approve")
@require(perm.can_approve_minutes)
def approve(review_id: int):
    review = _load(review_id)
    return _run(review, lambda: services.approve_minutes(current_user, review), _("Đã phê duyệt biên bản."))


@bp.post("/<int:review_id>/outputs")
@require(perm.can_manage_management_reviews)
def add_output(review_id: int):
    review = _load(review_id)
    form = _output_form(OutputForm(prefix="output"))
    if not form.validate_on_submit():
        return _invalid(review, "output", form)
    proc = db.session.scalar(select(Procedure).where(Procedure.code == form.procedure.data)) \
        if form.procedure.data else None
    return _run(review, lambda: services.add_output(
        current_user, review, kind=form.kind.data, description=form.description.data, due_on=form.due_on.data,
        owner_unit=db.session.get(Unit, form.owner_unit_id.data) if form.owner_unit_id.data else None,
        owner_user=db.session.get(User, form.owner_user_id.data) if form.owner_user_id.data else None,
        procedure=proc), _("Đã thêm kết luận."), {"output": form}, anchor="#outputs")


def _output(review: ManagementReview, seq: int) -> ReviewOutput:
    output = next((o for o in review.outputs if o.seq == seq), None)
    if output is None:
        abort(404)
    return output


@bp.post("/<int:review_id>/outputs/<int:seq>/complete")
@require(perm.can_read_management_reviews)
def complete_output(review_id: int, seq: int):
    review = _load(review_id)
    output = _output(review, seq)
    check(perm.can_complete_output(current_user, output))
    form = CompleteOutputForm(prefix=f"done{seq}")
    if not form.validate_on_submit():
        return _invalid(review, f"complete{seq}", form)
    return _run(review, lambda: services.complete_output(current_user, output, done_on=form.done_on.data,
                                                         result=form.result.data),
                _("Đã ghi nhận hoàn thành kết luận %(n)s.", n=seq), {f"complete{seq}": form}, anchor="#outputs")


@bp.post("/<int:review_id>/outputs/<int:seq>/capa")
@require(perm.can_manage_management_reviews)
def output_capa(review_id: int, seq: int):
    review = _load(review_id)
    output = _output(review, seq)
    try:
        capa = services.raise_capa(current_user, output)
    except ManagementReviewError as exc:
        _fail(exc)
        return redirect(url_for("management_review.view", review_id=review.id) + "#outputs")
    db.session.commit()
    flash(_("Đã lập phiếu %(number)s.", number=capa.number), "success")
    return redirect(url_for("capa.view", number=capa.number))
