"""Internal audit pages: programmes by year, planning and approval, the audit page, its print (A4)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import Unit, User
from app.auth.permissions import check, require
from app.capa import routes as capa_routes
from app.choices import choices
from app.extensions import db
from app.internal_audits import permissions as perm
from app.internal_audits import services
from app.internal_audits import tasks as _tasks  # noqa: F401  (registers the home-page providers)
from app.internal_audits.forms import (AnswerForm, CloseForm, FindingForm, PlanAuditForm, ProgrammeForm,
                                       QuestionForm, ReportForm)
from app.internal_audits.labels import (AUDIT_STATUS_BADGES, AUDIT_STATUS_LABELS, CHECK_RESULT_LABELS,
                                        FINDING_KIND_LABELS, PROGRAMME_STATUS_LABELS, error_message)
from app.internal_audits.models import IN_PROGRESS, Audit, AuditProgramme, ChecklistItem
from app.internal_audits.services import AuditError, PermissionDenied
from app.pagecache import shared_value
from app.procedures.models import ISSUED, Procedure
from app.timeutil import local_today, local_year

bp = Blueprint("internal_audits", __name__)
if "internal_audits/_capa_origin.html" not in capa_routes.ORIGIN_TEMPLATES:
    capa_routes.ORIGIN_TEMPLATES.append("internal_audits/_capa_origin.html")


@bp.app_context_processor
def labels():
    return {"AUDIT_STATUS_LABELS": AUDIT_STATUS_LABELS, "AUDIT_STATUS_BADGES": AUDIT_STATUS_BADGES,
            "FINDING_KIND_LABELS": FINDING_KIND_LABELS, "CHECK_RESULT_LABELS": CHECK_RESULT_LABELS,
            "PROGRAMME_STATUS_LABELS": PROGRAMME_STATUS_LABELS, "audit_perm": perm}


def _fail(exc):
    db.session.rollback()
    if isinstance(exc, PermissionDenied):
        abort(403)
    flash(error_message(exc), "danger")


# -- programmes ------------------------------------------------------------------------------------
@bp.route("/", methods=["GET", "POST"])
@require(perm.can_read_programmes)
def index():
    form = ProgrammeForm(year=local_year(), title=_("Chương trình đánh giá nội bộ năm %(y)s", y=local_year()))
    if request.method == "POST":
        check(perm.can_plan_audits(current_user))
        if form.validate_on_submit():
            try:
                programme = services.create_programme(current_user, year=form.year.data, title=form.title.data,
                                                      note=form.note.data or "")
            except (AuditError, IntegrityError) as exc:  # the same year created at the same moment
                _fail(exc if isinstance(exc, AuditError) else AuditError("programme_exists", year=form.year.data))
            else:
                db.session.commit()
                flash(_("Đã lập chương trình đánh giá năm %(y)s.", y=programme.year), "success")
                return redirect(url_for("internal_audits.programme", year=programme.year))
    programmes = db.session.scalars(select(AuditProgramme).order_by(AuditProgramme.year.desc())).all()
    return render_template("internal_audits/index.html", programmes=programmes, form=form)


def _programme(year: int) -> AuditProgramme:
    programme = services.programme_for(year)
    if programme is None:
        abort(404)
    return programme


def _plan_form(bound=None) -> PlanAuditForm:
    form = bound or PlanAuditForm(prefix="plan", formdata=None)
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all()
    form.unit_id.choices = choices([("", _("— Chọn đơn vị —"))]
                                   + [(u.id, f"{u.code} – {u.name}") for u in units])
    people = db.session.scalars(select(User).where(User.active.is_(True), User.unit_id.is_not(None))
                                .order_by(User.full_name)).all()
    form.lead_auditor_id.choices = choices([("", _("— Chọn trưởng đoàn —"))] + [
        (u.id, f"{u.full_name} ({u.unit_code})") for u in people])
    form.team.choices = choices([(u.id, f"{u.full_name} ({u.unit_code})") for u in people])
    issue = _("lần %(n)s", n="{}")  # translated once, not once per procedure

    def issued():
        procs = db.session.execute(select(Procedure.code, Procedure.title, Procedure.issue_number)
                                   .where(Procedure.status == ISSUED).order_by(Procedure.code))
        return choices([(p.code, f"{p.code} – {p.title} ({issue.format(p.issue_number)})") for p in procs])

    form.procedures.choices = list(shared_value("internal_audits.issued", (issue,), issued))
    return form


def _render_programme(programme: AuditProgramme, form=None):
    if form is None and perm.can_plan_audits(current_user):  # the form only for those it is shown to
        form = _plan_form()
    return render_template("internal_audits/programme.html", programme=programme, form=form,
                           today=local_today())


@bp.get("/<int:year>")
@require(perm.can_read_programmes)
def programme(year: int):
    return _render_programme(_programme(year))


@bp.post("/<int:year>/audits")
@require(perm.can_plan_audits)
def plan(year: int):
    programme = _programme(year)
    form = _plan_form(PlanAuditForm(prefix="plan"))
    if not form.validate_on_submit():
        flash(_("Vui lòng kiểm tra lại thông tin đã nhập."), "danger")
        return _render_programme(programme, form)
    codes = set(form.procedures.data or [])
    procs = db.session.scalars(select(Procedure).where(Procedure.code.in_(codes))).all() if codes else []
    team = db.session.scalars(select(User).where(User.id.in_(form.team.data or []))).all()
    try:
        audit = services.plan_audit(current_user, programme, unit=db.session.get(Unit, form.unit_id.data),
                                    starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                    lead_auditor=db.session.get(User, form.lead_auditor_id.data), team=team,
                                    procedures=procs, objective=form.objective.data or "")
    except AuditError as exc:
        _fail(exc)
        return _render_programme(programme, form)
    try:
        db.session.commit()
    except IntegrityError:  # another audit was planned at the same moment and took the number
        db.session.rollback()
        flash(_("Cuộc đánh giá vừa được người khác cập nhật. Hãy xem lại rồi thao tác lại."), "warning")
        return redirect(url_for("internal_audits.programme", year=year))
    flash(_("Đã lập kế hoạch cuộc đánh giá %(n)s.", n=audit.number), "success")
    return redirect(url_for("internal_audits.audit", number=audit.number))


@bp.post("/<int:year>/approve")
@require(perm.can_approve_programme)
def approve(year: int):
    programme = _programme(year)
    try:
        services.approve_programme(current_user, programme)
    except AuditError as exc:
        _fail(exc)
    else:
        db.session.commit()
        flash(_("Đã phê duyệt chương trình đánh giá năm %(y)s.", y=year), "success")
    return redirect(url_for("internal_audits.programme", year=year))


# -- one audit -------------------------------------------------------------------------------------
def _load(number: str) -> Audit:
    audit = services.get(number)
    if audit is None:
        abort(404)
    check(perm.can_read_audit(current_user, audit))
    return audit


def _forms(audit: Audit, bound: dict | None = None) -> dict:
    bound = bound or {}
    finding = bound.get("finding") or FindingForm(prefix="finding", formdata=None)
    finding.procedure.choices = choices([("", _("— Không gắn quy trình —"))] + [
        (s.code, f"{s.code} – {s.title}") for s in audit.scope])
    return {"finding": finding,
            "question": bound.get("question") or QuestionForm(prefix="question", formdata=None),
            "report": bound.get("report") or ReportForm(prefix="report", formdata=None),
            "close": bound.get("close") or CloseForm(prefix="close", formdata=None)}


def _render(audit: Audit, bound: dict | None = None, template="internal_audits/audit.html"):
    return render_template(template, audit=audit, forms=_forms(audit, bound), open_capas=services.open_capas(audit),
                           IN_PROGRESS=IN_PROGRESS, today=local_today())


@bp.get("/audit/<number>")
@require(perm.can_read_programmes)
def audit(number: str):
    return _render(_load(number))


@bp.get("/audit/<number>/print")
@require(perm.can_read_programmes)
def print_audit(number: str):
    return _render(_load(number), template="internal_audits/print.html")


def _run(audit: Audit, call, success: str, bound: dict | None = None):
    try:
        call()
    except AuditError as exc:
        _fail(exc)
        if bound:
            return _render(audit, bound)
        return redirect(url_for("internal_audits.audit", number=audit.number))
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        flash(_("Cuộc đánh giá vừa được người khác cập nhật. Hãy xem lại rồi thao tác lại."), "warning")
        return redirect(url_for("internal_audits.audit", number=audit.number))
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("internal_audits.audit", number=audit.number))


def _invalid(audit: Audit, key: str, form):
    flash(_("Vui lòng kiểm tra lại thông tin đã nhập."), "danger")
    return _render(audit, {key: form})


@bp.post("/audit/<number>/notify")
@require(perm.can_plan_audits)
def notify(number: str):
    audit = _load(number)
    return _run(audit, lambda: services.notify(current_user, audit), _("Đã thông báo cuộc đánh giá."))


@bp.post("/audit/<number>/start")
@require(perm.can_read_programmes)
def start(number: str):
    audit = _load(number)
    check(perm.can_report_audit(current_user, audit))
    return _run(audit, lambda: services.start(current_user, audit), _("Đã bắt đầu cuộc đánh giá."))


@bp.post("/audit/<number>/checklist/<int:seq>")
@require(perm.can_read_programmes)
def answer(number: str, seq: int):
    audit = _load(number)
    check(perm.can_record_findings(current_user, audit))
    item = db.session.scalar(select(ChecklistItem).where(ChecklistItem.audit_id == audit.id,
                                                         ChecklistItem.seq == seq))
    if item is None:
        abort(404)
    form = AnswerForm(prefix=f"q{seq}")
    if not form.validate_on_submit():
        return _invalid(audit, f"q{seq}", form)
    return _run(audit, lambda: services.answer(current_user, audit, item, result=form.result.data,
                                               note=form.note.data or ""), _("Đã ghi kết quả câu hỏi %(n)s.", n=seq))


@bp.post("/audit/<number>/questions")
@require(perm.can_read_programmes)
def add_question(number: str):
    audit = _load(number)
    check(perm.can_record_findings(current_user, audit) or perm.can_plan_audits(current_user))
    form = QuestionForm(prefix="question")
    if not form.validate_on_submit():
        return _invalid(audit, "question", form)
    return _run(audit, lambda: services.add_question(current_user, audit, reference=form.reference.data or "",
                                                     question=form.question.data),
                _("Đã thêm câu hỏi."), {"question": form})


@bp.post("/audit/<number>/findings")
@require(perm.can_read_programmes)
def add_finding(number: str):
    audit = _load(number)
    check(perm.can_record_findings(current_user, audit))
    form = _forms(audit, {"finding": FindingForm(prefix="finding")})["finding"]
    if not form.validate_on_submit():
        return _invalid(audit, "finding", form)
    proc = next((s.procedure for s in audit.scope if s.code == form.procedure.data), None)
    return _run(audit, lambda: services.record_finding(
        current_user, audit, kind=form.kind.data, clause=form.clause.data or "", procedure=proc,
        description=form.description.data, evidence=form.evidence.data, correction=form.correction.data or ""),
        _("Đã ghi nhận phát hiện."), {"finding": form})


@bp.post("/audit/<number>/report")
@require(perm.can_read_programmes)
def report(number: str):
    audit = _load(number)
    check(perm.can_report_audit(current_user, audit))
    form = ReportForm(prefix="report")
    if not form.validate_on_submit():
        return _invalid(audit, "report", form)
    return _run(audit, lambda: services.report(current_user, audit, conclusion=form.conclusion.data),
                _("Đã báo cáo kết quả đánh giá; các phát hiện đã được chốt."), {"report": form})


@bp.post("/audit/<number>/close")
@require(perm.can_close_audit)
def close(number: str):
    audit = _load(number)
    form = CloseForm(prefix="close")
    form.validate_on_submit()
    return _run(audit, lambda: services.close(current_user, audit, reason=form.reason.data or ""),
                _("Đã kết thúc cuộc đánh giá."), {"close": form})
