"""Year-close pages: the yearly report (edit, finalise, print, DOCX), announcements and the inspection pack."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.auth.permissions import require
from app.choices import choices
from app.extensions import db
from app.internal_audits.models import AuditProgramme
from app.management_review import permissions as perm
from app.management_review.labels import error_message
from app.management_review.models import ManagementReview
from app.reports import pack, services, yearly
from app.reports.forms import AnnouncementForm, YearlyReportForm
from app.reports.models import Announcement, YearlyReport
from app.reports.services import PermissionDenied, ReportError
from app.timeutil import local_today, local_year

bp = Blueprint("reports", __name__)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _fail(exc):
    db.session.rollback()
    if isinstance(exc, PermissionDenied):
        abort(403)
    flash(error_message(exc), "danger")


def _years() -> list[int]:
    years = {local_year()}
    for model in (AuditProgramme, ManagementReview, YearlyReport):
        years.update(db.session.scalars(select(model.year).distinct()))
    return sorted(years, reverse=True)


def _announce_form(bound=None) -> AnnouncementForm:
    scope = services.in_force_scope()
    form = bound or AnnouncementForm(prefix="ann", formdata=None, scope=[s["code"] for s in scope])
    form.scope.choices = choices([(s["code"], f"{s['code']} – {s['title']}") for s in scope])
    return form


def _render_index(form=None):
    announcements = db.session.scalars(select(Announcement).order_by(Announcement.signed_on.desc(),
                                                                     Announcement.id.desc())).all()
    latest = announcements[0] if announcements else None
    reports = {r.year: r for r in db.session.scalars(select(YearlyReport))}
    return render_template("reports/index.html", years=_years(), reports=reports, announcements=announcements,
                           changes=yearly.scope_changes(latest) if latest else None, latest=latest,
                           form=form or _announce_form())


@bp.get("/")
@require(perm.can_read_reports)
def index():
    return _render_index()


@bp.post("/announcements")
@require(perm.can_edit_reports)
def announce():
    form = _announce_form(AnnouncementForm(prefix="ann"))
    if not form.validate_on_submit():
        flash(_("Vui lòng kiểm tra lại thông tin đã nhập."), "danger")
        return _render_index(form)
    try:
        ann = services.announce(current_user, number=form.number.data, signed_on=form.signed_on.data,
                                signer=form.signer.data, codes=form.scope.data, note=form.note.data or "")
    except ReportError as exc:
        _fail(exc)
        return _render_index(form)
    db.session.commit()
    flash(_("Đã ghi nhận quyết định công bố %(n)s.", n=ann.number), "success")
    return redirect(url_for("reports.index"))


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= local_year() + 1:
        abort(404)
    return year


def _render_report(year: int, form=None, template="reports/yearly.html"):
    report = services.report_for(year)
    data = services.figures(report, year, local_today())
    sections = services.sections_of(report, data)
    if form is None:
        form = YearlyReportForm(prefix="report", formdata=None, number=report.number if report else "", **sections)
    return render_template(template, year=year, report=report, data=data, sections=sections, form=form,
                           SECTIONS=yearly.SECTIONS)


@bp.get("/yearly/<int:year>")
@require(perm.can_read_reports)
def yearly_report(year: int):
    return _render_report(_year_or_404(year))


@bp.post("/yearly/<int:year>")
@require(perm.can_edit_reports)
def save_report(year: int):
    _year_or_404(year)
    form = YearlyReportForm(prefix="report")
    if not form.validate_on_submit():
        flash(_("Vui lòng kiểm tra lại thông tin đã nhập."), "danger")
        return _render_report(year, form)
    try:
        services.save(current_user, year, number=form.number.data or "",
                      sections={key: getattr(form, key).data for key, _label in yearly.SECTIONS})
    except ReportError as exc:
        _fail(exc)
        return _render_report(year, form)
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        flash(_("Báo cáo vừa được người khác cập nhật. Hãy xem lại rồi thao tác lại."), "warning")
        return redirect(url_for("reports.yearly_report", year=year))
    db.session.commit()
    flash(_("Đã lưu báo cáo."), "success")
    return redirect(url_for("reports.yearly_report", year=year))


@bp.post("/yearly/<int:year>/finalise")
@require(perm.can_edit_reports)
def finalise(year: int):
    _year_or_404(year)
    try:
        services.finalise(current_user, year)
    except ReportError as exc:
        _fail(exc)
    else:
        db.session.commit()
        flash(_("Đã phát hành báo cáo; số liệu được giữ nguyên như khi phát hành."), "success")
    return redirect(url_for("reports.yearly_report", year=year))


@bp.get("/yearly/<int:year>/print")
@require(perm.can_read_reports)
def print_report(year: int):
    return _render_report(_year_or_404(year), template="reports/print.html")


@bp.get("/yearly/<int:year>/export.docx")
@require(perm.can_read_reports)
def export_docx(year: int):
    _year_or_404(year)
    data = services.docx_bytes(services.report_for(year), year, local_today())
    return Response(data, mimetype=DOCX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="bao-cao-htqlcl-{year}.docx"'})


@bp.get("/inspection/<int:year>.zip")
@require(perm.can_read_reports)
def inspection_pack(year: int):
    _year_or_404(year)
    data = pack.build(year, local_today(), current_user._get_current_object())
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="ho-so-kiem-tra-iso-{year}.zip"'})
