"""The ISO secretary's register pages: enter, edit, relate, record a change, import, match procedures' bases."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.auth.permissions import require
from app.extensions import db
from app.legal import citations, importing, matching, services
from app.legal.blueprint import bp, document_or_404, fail, review_days
from app.legal.forms import ChangeForm, DocumentForm, ImportForm, NewDocumentForm, RelationForm
from app.legal.labels import error_message
from app.legal.models import ChangeReview
from app.legal.permissions import can_manage_legal
from app.legal.services import DocumentData, LegalError
from app.procedures import core


def _data(form) -> DocumentData:
    return DocumentData(number=form.number.data or "", kind=form.kind.data, title=form.title.data or "",
                        issuer=form.issuer.data or "", signed_on=form.signed_on.data,
                        effective_on=form.effective_on.data, note=form.note.data or "")


def _field_error(form, exc: LegalError) -> None:
    db.session.rollback()
    target = getattr(form, exc.field or "", None)
    message = error_message(exc)
    if target is not None:
        target.errors = list(target.errors or []) + [message]
    else:
        flash(message, "danger")


def _target(number: str, field: str) -> services.LegalDocument:
    target = services.find(number)
    if target is None:
        raise LegalError("unknown_target", field, number=number)
    return target


@bp.route("/new", methods=["GET", "POST"])
@require(can_manage_legal)
def new():
    form = NewDocumentForm()
    if form.validate_on_submit():
        try:
            doc = services.create_document(current_user, _data(form))
            if form.relation.data:
                target = _target(form.target_number.data or "", "target_number")
                services.add_relation(current_user, doc, form.relation.data, target, effective_on=doc.effective_on,
                                      review_days=review_days())
        except LegalError as exc:
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã thêm văn bản %(number)s.", number=doc.number), "success")
            return redirect(url_for("legal.document", doc_id=doc.id))
    return render_template("legal/form.html", form=form, doc=None), 400 if form.is_submitted() else 200


@bp.route("/<int:doc_id>/edit", methods=["GET", "POST"])
@require(can_manage_legal)
def edit(doc_id: int):
    doc = document_or_404(doc_id)
    form = DocumentForm(obj=doc)
    if form.validate_on_submit():
        try:
            services.update_document(current_user, doc, _data(form))
        except LegalError as exc:
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu văn bản %(number)s.", number=doc.number), "success")
            return redirect(url_for("legal.document", doc_id=doc.id))
    return render_template("legal/form.html", form=form, doc=doc), 400 if form.is_submitted() else 200


@bp.post("/<int:doc_id>/change")
@require(can_manage_legal)
def record_change(doc_id: int):
    doc = document_or_404(doc_id)
    form = ChangeForm(prefix="change")
    if not form.validate_on_submit():
        flash(_("Thông tin thay đổi chưa hợp lệ: kiểm tra loại thay đổi và ngày."), "danger")
        return redirect(url_for("legal.document", doc_id=doc.id))
    try:
        by = _target(form.by_number.data, "by_number") if (form.by_number.data or "").strip() else None
        change = services.record_change(current_user, doc, form.kind.data, by_document=by,
                                        effective_on=form.effective_on.data, note=form.note.data or "",
                                        review_days=review_days())
    except LegalError as exc:
        fail(exc)
        return redirect(url_for("legal.document", doc_id=doc.id))
    flagged = db.session.scalar(select(func.count()).select_from(ChangeReview)
                                .where(ChangeReview.change_id == change.id)) or 0
    db.session.commit()
    flash(_("Đã ghi nhận thay đổi; %(n)s quy trình đang hiệu lực cần rà soát.", n=flagged), "success")
    return redirect(url_for("legal.change", change_id=change.id))


@bp.post("/<int:doc_id>/relations")
@require(can_manage_legal)
def add_relation(doc_id: int):
    doc = document_or_404(doc_id)
    form = RelationForm(prefix="rel")
    if not form.validate_on_submit():
        flash(_("Vui lòng chọn quan hệ và nhập số, ký hiệu văn bản."), "danger")
        return redirect(url_for("legal.document", doc_id=doc.id))
    try:
        target = _target(form.target_number.data, "target_number")
        result = services.add_relation(current_user, doc, form.relation.data, target,
                                       effective_on=form.effective_on.data, review_days=review_days())
    except LegalError as exc:
        fail(exc)
        return redirect(url_for("legal.document", doc_id=doc.id))
    db.session.commit()
    flash(_("Đã ghi nhận quan hệ với văn bản %(number)s.", number=target.number), "success")
    if isinstance(result, services.LegalChange):
        return redirect(url_for("legal.change", change_id=result.id))
    return redirect(url_for("legal.document", doc_id=doc.id))


@bp.route("/import", methods=["GET", "POST"])
@require(can_manage_legal)
def import_file():
    form = ImportForm()
    if request.method == "GET":
        return render_template("legal/import.html", form=form, parsed=None, payload=None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(error_message(LegalError("no_file")), "danger")
        return render_template("legal/import.html", form=form, parsed=None, payload=None), 400
    data = upload.read()
    try:
        parsed = importing.parse(upload.filename, data)
        payload = importing.table_json(upload.filename, data)
    except importing.ImportRefused as exc:
        flash(error_message(exc), "danger")
        return render_template("legal/import.html", form=form, parsed=None, payload=None), 400
    status = 200 if parsed.ok else 400
    return render_template("legal/import.html", form=form, parsed=parsed, payload=payload if parsed.ok else None), \
        status


@bp.post("/import/confirm")
@require(can_manage_legal)
def import_confirm():
    payload = (request.form.get("payload") or "").encode("utf-8")
    try:
        parsed = importing.parse("preview.json", payload)
        docs = importing.import_rows(current_user, parsed)
    except importing.ImportRefused as exc:
        flash(error_message(exc), "danger")
        return redirect(url_for("legal.import_file"))
    except LegalError as exc:
        fail(exc)
        return render_template("legal/import.html", form=ImportForm(), parsed=parsed, payload=None), 400
    db.session.commit()
    flash(_("Đã nhập %(n)s văn bản.", n=len(docs)), "success")
    return redirect(url_for("legal.register"))


@bp.get("/unmatched")
@require(can_manage_legal)
def unmatched():
    return render_template("legal/unmatched.html", items=citations.unmatched())


@bp.post("/unmatched/create")
@require(can_manage_legal)
def create_from_citations():
    citations.rebuild_all(core.store())
    report = matching.create_from_citations(current_user)
    db.session.commit()
    flash(_("Đã tạo %(n)s văn bản từ căn cứ pháp lý của các quy trình; còn %(m)s căn cứ chưa khớp.",
            n=len(report.created), m=len(report.unmatched)), "success")
    return redirect(url_for("legal.unmatched"))
