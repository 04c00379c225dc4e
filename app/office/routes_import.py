"""Importing Word procedures: upload one or many .docx (or a ZIP), look at the preview, create drafts."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import Unit
from app.auth.permissions import require
from app.extensions import db
from app.office import importing
from app.office import permissions as operm
from app.office.labels import IMPORT_PROBLEMS, REFUSALS
from app.office.routes import bp
from app.office.services import OfficeError
from app.render import render_markdown


def _data_dir() -> str:
    return current_app.config["QMS_DATA_DIR"]


def _units():
    return db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all()


@bp.get("/import")
@require(operm.can_import)
def import_form():
    from app.office.docx_in import MAX_DOCX_BYTES

    return render_template("office/import.html", limit_mb=MAX_DOCX_BYTES // (1024 * 1024),
                           request_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))


@bp.post("/import")
@require(operm.can_import)
def import_upload():
    uploads = [(f.filename or "", f.read()) for f in request.files.getlist("files") if f and f.filename]
    if not uploads:
        flash(_("Hãy chọn ít nhất một tệp .docx hoặc .zip."), "danger")
        return redirect(url_for("office.import_form"))
    items, refused = importing.read_uploads(uploads)
    token = importing.save_pending(_data_dir(), current_user, items, refused)
    return redirect(url_for("office.import_preview", token=token))


@bp.get("/import/<token>")
@require(operm.can_import)
def import_preview(token: str):
    pending = importing.load_pending(_data_dir(), current_user, token)
    if pending is None:
        abort(404)
    items, refused = pending
    return _preview(token, items, refused, {}, None)


def _preview(token, items, refused, problems, choices, status=200):
    bodies = [render_markdown(i.body).html for i in items]
    return render_template("office/import_preview.html", token=token, items=items, refused=refused,
                           bodies=bodies, units=_units(), problems=problems, choices=choices or {},
                           guess_unit=importing.guess_unit, REFUSALS=REFUSALS,
                           IMPORT_PROBLEMS=IMPORT_PROBLEMS), status


@bp.post("/import/<token>")
@require(operm.can_import)
def import_confirm(token: str):
    pending = importing.load_pending(_data_dir(), current_user, token)
    if pending is None:
        abort(404)
    items, refused = pending
    choices = []
    for i in range(len(items)):
        if request.form.get(f"use-{i}"):
            choices.append(importing.Choice(
                index=i, code=request.form.get(f"code-{i}", "").strip().upper(),
                title=request.form.get(f"title-{i}", "").strip(), unit_code=request.form.get(f"unit-{i}", ""),
                in_force=bool(request.form.get(f"in_force-{i}"))))
    try:
        created = importing.create_all(current_user, items, choices)
    except OfficeError as exc:
        db.session.rollback()
        if exc.key == "nothing_chosen":
            flash(_("Hãy chọn ít nhất một tệp để tạo dự thảo."), "danger")
        else:
            flash(_("Chưa tạo quy trình nào: hãy sửa các dòng được đánh dấu rồi gửi lại."), "danger")
        kept = {c.index: c for c in choices}
        return _preview(token, items, refused, exc.params.get("problems", {}), kept, 400)
    db.session.commit()
    importing.drop_pending(_data_dir(), token)
    flash(_("Đã nhập %(n)s quy trình từ tệp Word: %(codes)s.", n=len(created), codes=", ".join(created)), "success")
    return redirect(url_for("procedures.register"))
