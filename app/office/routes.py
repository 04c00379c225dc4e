"""Office pages on a procedure: Word/PDF exports, the distribution register, read-and-acknowledge."""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth import permissions as perm
from app.auth.models import Unit
from app.auth.permissions import can_read_register, check, require
from app.extensions import db
from app.office import exports, files, hooks  # noqa: F401  (hooks registers the document-control hooks)
from app.office import permissions as operm
from app.office import services
from app.office.labels import COPY_BADGES, COPY_STATUS, MESSAGES, sheet_labels
from app.procedures import views
from app.timeutil import format_date, format_datetime, local_today, utcnow

bp = Blueprint("office", __name__)
UPLOAD_ENDPOINTS = ("office.upload_form", "office.import_upload")


@bp.record_once
def _accept_uploads(state) -> None:
    """Files are refused everywhere but where a feature takes them (web.install_parameter_checks)."""
    config = state.app.config
    config["QMS_UPLOAD_ENDPOINTS"] = tuple(config.get("QMS_UPLOAD_ENDPOINTS", ())) + UPLOAD_ENDPOINTS


@bp.app_context_processor
def office_context():
    return {"perm_office": operm, "COPY_STATUS": COPY_STATUS, "COPY_BADGES": COPY_BADGES,
            "office_forms": _forms_shown, "office_form_history": _form_history}


def _form_history(proc) -> list:
    """Changes to the form files, newest first; drafts' files are shown only to those who may read drafts."""
    return files.history(proc) if perm.can_view_draft(current_user, proc) else []


def _forms_shown(proc, variant, revision_row=None, in_force=None) -> SimpleNamespace:
    """The files that go with the revision a procedure page shows, and whether the reader may change them."""
    rev = files.revision_shown(proc, variant, revision_row, in_force)
    editable = (variant == "draft" and operm.can_attach(current_user, proc)
                and (proc.draft_state != "submitted" or operm.can_import(current_user)))
    return SimpleNamespace(files=files.files_of(proc, rev), rev=rev, editable=editable,
                           limit_mb=files.MAX_FORM_BYTES // (1024 * 1024))


def _fail(exc: services.OfficeError, endpoint: str, code: str):
    if isinstance(exc, services.Forbidden):
        abort(403)
    flash(str(MESSAGES.get(exc.key, exc.key)), "danger")
    return redirect(url_for(endpoint, code=code))


def _units():
    return db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all()


def download(data: bytes, mimetype: str, filename: str) -> Response:
    """A file the browser saves, never renders: attachment, nosniff, the Vietnamese name kept (RFC 5987)."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "file"
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


# -- exports ----------------------------------------------------------------------------------------
@bp.get("/<code>/export.<fmt>")
@require(can_read_register)
def export(code: str, fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    proc = views.load_or_404(code)
    check(operm.can_export(current_user, proc))
    # the draft when asked for and there is one (or nothing was ever issued); otherwise the issue in force
    wants_draft = request.args.get("variant") == "draft" and proc.current_revision != proc.issued_revision
    variant = "draft" if wants_draft or not proc.issued_revision else "issued"
    copy = None
    if request.args.get("copy"):
        number = request.args.get("copy", type=int)
        copy = services.copy_of(proc, number) if number and variant == "issued" else None
        if copy is None:
            abort(404)
        check(operm.can_print_copy(current_user, copy))
    if variant == "draft":
        check(perm.can_view_draft(current_user, proc))
        revision, watermark = proc.current_revision, _("DỰ THẢO")
    else:
        # the issue in force today; a controlled copy, or the first issue before its date, prints the latest
        in_force = proc.in_force_issue(local_today())
        revision = proc.issued_revision if copy is not None or in_force is None else in_force.revision
        watermark = _("ĐÃ BÃI BỎ") if proc.status == "withdrawn" else None
    if copy is not None and copy.status == "held":
        marking = _("BẢN KIỂM SOÁT SỐ %(n)s – Cấp cho: %(unit)s – Ngày cấp: %(date)s",
                    n=copy.number, unit=copy.unit.name, date=format_date(copy.issued_at))
    elif copy is not None:
        marking = _("BẢN KIỂM SOÁT SỐ %(n)s ĐÃ THU HỒI – Không còn giá trị sử dụng", n=copy.number)
        watermark = watermark or _("ĐÃ THU HỒI")
    else:
        marking = _("TÀI LIỆU KHÔNG KIỂM SOÁT KHI IN – In bởi %(name)s lúc %(when)s",
                    name=current_user.full_name, when=format_datetime(utcnow()))
    sheet = exports.build_sheet(proc, revision, agency=current_app.config["QMS_AGENCY_NAME"], marking=marking,
                                watermark=watermark, labels=sheet_labels(), issued=variant == "issued")
    data, mimetype = exports.render(sheet, fmt)
    suffix = f"-ban-kiem-soat-{copy.number}" if copy else ("-du-thao" if variant == "draft" else "")
    issue = f"-lan-{sheet.issue}" if sheet.issue and variant == "issued" else ""
    return download(data, mimetype, f"{proc.code}{issue}{suffix}.{fmt}")


# -- distribution register --------------------------------------------------------------------------
@bp.get("/<code>/distribution")
@require(operm.can_read_distribution)
def distribution(code: str):
    proc = views.load_or_404(code)
    return render_template("office/distribution.html", proc=proc, copies=services.copies(proc), units=_units())


@bp.post("/<code>/distribution")
@require(operm.can_manage_distribution)
def issue_copy(code: str):
    proc = views.load_or_404(code)
    unit = db.session.get(Unit, request.form.get("unit_id", type=int) or 0)
    if unit is None:
        flash(_("Hãy chọn đơn vị nhận bản kiểm soát."), "danger")
        return redirect(url_for("office.distribution", code=code))
    try:
        copy = services.issue_copy(current_user, proc, unit, request.form.get("note", ""))
    except services.OfficeError as exc:
        return _fail(exc, "office.distribution", code)
    db.session.commit()
    flash(_("Đã cấp bản kiểm soát số %(n)s cho %(unit)s.", n=copy.number, unit=unit.name), "success")
    return redirect(url_for("office.distribution", code=code))


@bp.post("/<code>/distribution/<int:copy_id>/return")
@require(operm.can_manage_distribution)
def record_return(code: str, copy_id: int):
    proc = views.load_or_404(code)
    try:
        copy = services.record_return(current_user, proc, copy_id)
    except services.OfficeError as exc:
        return _fail(exc, "office.distribution", code)
    db.session.commit()
    flash(_("Đã ghi nhận thu hồi bản kiểm soát số %(n)s.", n=copy.number), "success")
    return redirect(url_for("office.distribution", code=code))


@bp.get("/distribution")
@require(operm.can_manage_distribution)
def recall_list():
    return render_template("office/recall.html", copies=services.copies_to_recall())


# -- read and acknowledge ---------------------------------------------------------------------------
@bp.get("/<code>/readers")
@require(can_read_register)
def readers(code: str):
    proc = views.load_or_404(code)
    return render_template("office/readers.html", proc=proc, readers=services.readers(proc), units=_units(),
                           must=services.must_acknowledge(current_user, proc),
                           mine=services.acknowledgement_of(current_user, proc) if proc.issue_number else None)


@bp.post("/<code>/acknowledge")
@require(can_read_register)
def acknowledge(code: str):
    proc = views.load_or_404(code)
    try:
        services.acknowledge(current_user, proc, request.form.get("issue", type=int) or 0)
    except services.OfficeError as exc:
        return _fail(exc, "office.readers", code)
    db.session.commit()
    flash(_("Đã ghi nhận: bạn đã đọc và hiểu %(code)s lần ban hành %(n)s.", code=proc.code, n=proc.issue_number),
          "success")
    return redirect(url_for("office.readers", code=code))


@bp.post("/<code>/readers")
@require(operm.can_name_readers)
def add_readers(code: str):
    proc = views.load_or_404(code)
    unit = db.session.get(Unit, request.form.get("unit_id", type=int) or 0)
    if unit is None:
        flash(_("Hãy chọn đơn vị."), "danger")
        return redirect(url_for("office.readers", code=code))
    try:
        services.add_scope_unit(current_user, proc, unit)
    except services.OfficeError as exc:
        return _fail(exc, "office.readers", code)
    db.session.commit()
    flash(_("Đã yêu cầu %(unit)s đọc và xác nhận.", unit=unit.name), "success")
    return redirect(url_for("office.readers", code=code))


@bp.get("/acknowledgements")
@require(operm.can_read_coverage)
def coverage():
    rows = services.coverage()
    unit = request.args.get("unit", "")
    if unit:
        rows = [r for r in rows if r.unit.code == unit]
    return render_template("office/coverage.html", rows=rows, units=_units(), unit=unit)


from app.office import routes_files, routes_import  # noqa: E402,F401  (upload routes on bp)
