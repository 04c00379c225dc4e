"""Procedure pages that change something: create, edit with preview, metadata, and the workflow."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.auth import permissions as perm
from app.auth.models import Unit
from app.auth.permissions import can_create_procedure, can_read_register, check, require, signed_in
from app.choices import choices
from app.extensions import db
from app.procedures import core, views
from app.procedures.blueprint import bp
from app.procedures.forms import (ApproveForm, EditForm, MetadataForm, NewProcedureForm, RejectForm,
                                  WithdrawForm, legal_bases_list)
from app.procedures.labels import WORKFLOW_ERRORS, database_error_message, store_error_message
from app.procedures.routes import document_page
from app.procedures.services import DocumentControl, WorkflowError
from app.render import render_markdown, render_side_by_side
from app.store import InvalidProcedure, StoreConflict, StoreError
from app.timeutil import format_date, local_today

TEMPLATE_BODY = """## 1. Mục đích

## 2. Phạm vi áp dụng

## 3. Tài liệu viện dẫn

## 4. Định nghĩa và chữ viết tắt

## 5. Nội dung quy trình

| Bước | Trách nhiệm | Nội dung công việc | Thời gian | Biểu mẫu/Kết quả |
| --- | --- | --- | --- | --- |
| 1 | | | | |

## 6. Biểu mẫu

## 7. Hồ sơ cần lưu
"""


def _unit_choices():
    return [(u.id, f"{u.code} – {u.name}")
            for u in db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code))]


def _workflow_error(exc: WorkflowError) -> str:
    text = str(WORKFLOW_ERRORS.get(exc.key, exc.key))
    if exc.params:
        text = text % {k: format_date(v) if isinstance(v, date) else v for k, v in exc.params.items()}
    return text


def _commit() -> bool:
    """Commit the request's transaction; on a busy, read-only or full database say so and keep the form.

    A store commit made before a failed database commit is not lost: `qms fsck` records it.
    """
    try:
        db.session.commit()
        return True
    except OperationalError as exc:
        db.session.rollback()
        flash(database_error_message(exc), "danger")
        return False


@bp.route("/new", methods=["GET", "POST"])
@require(can_create_procedure)
def new():
    form = NewProcedureForm()
    form.unit_id.choices = choices([("", _("— Theo mã quy trình —"))] + _unit_choices())
    if request.method == "GET":
        form.body.data = TEMPLATE_BODY
    if form.validate_on_submit():
        try:
            proc = DocumentControl().create(
                current_user, code=form.code.data, title=form.title.data,
                unit=db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None, body=form.body.data or "",
                legal_bases=legal_bases_list(form.legal_bases.data))
        except InvalidProcedure as exc:
            db.session.rollback()
            target = {"invalid_code": form.code, "exists": form.code, "unit_required": form.unit_id,
                      "unit_mismatch": form.unit_id, "invalid_field": form.title if exc.field == "title" else None
                      }.get(exc.code)
            (target.errors.append if target is not None else lambda m: flash(m, "danger"))(store_error_message(exc))
        except StoreError as exc:
            db.session.rollback()
            flash(store_error_message(exc), "danger")
        else:
            if _commit():
                flash(_("Đã tạo dự thảo %(code)s.", code=proc.code), "success")
                return redirect(url_for("procedures.edit", code=proc.code))
    return render_template("procedures/new.html", form=form)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@require(can_read_register)
def edit(code: str):
    proc = views.load_or_404(code)
    check(perm.can_edit_draft(current_user, proc))
    form = EditForm()
    conflict, failed = None, False
    if request.method == "GET":
        stored = core.store().read(proc.code)
        form.body.data, form.base_revision.data = stored.document.body, stored.revision
    elif form.validate_on_submit():
        try:
            DocumentControl().save_draft(current_user, proc, body=form.body.data or "",
                                         base_revision=form.base_revision.data or "", message=form.message.data or "")
        except StoreConflict as exc:
            db.session.rollback()
            conflict = _conflict(proc, exc, form)
        except (StoreError, WorkflowError) as exc:
            db.session.rollback()
            message = _workflow_error(exc) if isinstance(exc, WorkflowError) else store_error_message(exc)
            flash(message, "danger")
            failed = not isinstance(exc, (InvalidProcedure, WorkflowError))
        else:
            # decided before the commit: reading the user or the procedure after it would begin another
            # transaction, which in a form's request queues again for SQLite's write lock
            if perm.can_submit(current_user, proc):
                saved = _("Đã lưu dự thảo %(code)s. Khi hoàn chỉnh, hãy trình lãnh đạo phê duyệt.", code=proc.code)
            else:
                saved = _("Đã lưu dự thảo %(code)s. Bước tiếp theo: trưởng đơn vị xem xét và trình lãnh đạo phê "
                          "duyệt.", code=proc.code)
            target = url_for("procedures.draft", code=proc.code)
            if _commit():
                flash(saved, "success")
                return redirect(target)
            failed = True
    status = 409 if conflict else 503 if failed else 200
    return render_template("procedures/edit.html", proc=proc, form=form, conflict=conflict,
                           preview=render_markdown(form.body.data or "")), status


def _conflict(proc, exc: StoreConflict, form: EditForm) -> dict:
    """Keep the user's text, show what changed meanwhile, and let them save on top of the new revision."""
    theirs = core.store().read(proc.code, exc.current_revision)
    mine = form.body.data or ""
    form.base_revision.data = exc.current_revision
    return {"theirs": theirs.document.body, "revision": exc.current_revision,
            "diff_html": render_side_by_side(theirs.document.body, mine)}


@bp.post("/preview")
@require(signed_in)
def preview():
    text = request.form.get("body", "")
    if len(text.encode("utf-8")) > 1_000_000:
        return _("Nội dung quá lớn (tối đa 1 MB)."), 413
    return render_markdown(text).html


@bp.route("/<code>/metadata", methods=["GET", "POST"])
@require(can_read_register)
def metadata(code: str):
    proc = views.load_or_404(code)
    check(perm.can_edit_metadata(current_user, proc))
    stored = core.store().read(proc.code)
    form = MetadataForm()
    form.unit_id.choices = choices(_unit_choices())
    if request.method == "GET":
        doc = stored.document
        form.title.data, form.unit_id.data = doc.title, proc.unit_id
        form.drafted_by.data, form.reviewed_by.data = doc.drafted_by, doc.reviewed_by
        form.legal_bases.data = "\n".join(doc.legal_bases)
        form.base_revision.data = stored.revision
    elif form.validate_on_submit():
        try:
            DocumentControl().edit_metadata(
                current_user, proc, title=form.title.data, unit=db.session.get(Unit, form.unit_id.data),
                legal_bases=legal_bases_list(form.legal_bases.data), drafted_by=form.drafted_by.data or "",
                reviewed_by=form.reviewed_by.data or "", base_revision=form.base_revision.data or "")
        except StoreConflict:
            db.session.rollback()
            flash(_("Quy trình vừa được người khác sửa. Thông tin bạn nhập vẫn giữ nguyên; hãy kiểm tra rồi lưu lại."),
                  "warning")
            form.base_revision.data = core.store().head(proc.code)
        except StoreError as exc:
            db.session.rollback()
            flash(store_error_message(exc), "danger")
        else:
            if _commit():
                flash(_("Đã lưu thông tin quy trình %(code)s.", code=proc.code), "success")
                return redirect(url_for("procedures.view", code=proc.code))
    return render_template("procedures/metadata.html", proc=proc, form=form)


def _transition(code: str, action, success: str, form_cls=None, template_on_error=None):
    proc = views.load_or_404(code)
    form = form_cls() if form_cls else None
    if form is not None and not form.validate_on_submit():
        for errors in form.errors.values():
            for e in errors:
                flash(e, "danger")
        return redirect(request.referrer or url_for("procedures.view", code=code))
    try:
        action(proc, form)
    except WorkflowError as exc:
        db.session.rollback()
        if exc.key == "forbidden":
            check(False)
        flash(_workflow_error(exc), "danger")
    except StoreConflict:
        db.session.rollback()
        flash(_workflow_error(WorkflowError("already_handled")), "danger")
    except StoreError as exc:
        db.session.rollback()
        flash(store_error_message(exc), "danger")
    else:
        if _commit():
            flash(success % {"code": proc.code}, "success")
    return redirect(url_for("procedures.view", code=code))


@bp.post("/<code>/submit")
@require(signed_in)
def submit(code: str):
    return _transition(code, lambda p, f: DocumentControl().submit(current_user, p),
                       _("Đã trình lãnh đạo phê duyệt %(code)s."))


@bp.post("/<code>/reject")
@require(signed_in)
def reject(code: str):
    return _transition(code, lambda p, f: DocumentControl().reject(current_user, p, f.comment.data),
                       _("Đã trả lại dự thảo %(code)s kèm ý kiến."), RejectForm)


@bp.post("/<code>/approve")
@require(signed_in)
def approve(code: str):
    """A refused approval shows the draft again with what the leader typed (the date and the change note)."""
    proc = views.load_or_404(code)
    form = ApproveForm()
    typed = {"effective_on": request.form.get("effective_on", ""), "message": request.form.get("message", "")}
    error = None
    if not form.validate_on_submit():
        error = next((e for errors in form.errors.values() for e in errors), _("Dữ liệu không hợp lệ."))
    else:
        try:
            DocumentControl().approve(current_user, proc, effective_on=form.effective_on.data,
                                      message=form.message.data or "")
        except WorkflowError as exc:
            db.session.rollback()
            if exc.key == "forbidden":
                check(False)
            error = _workflow_error(exc)
        except StoreConflict:
            db.session.rollback()
            error = _workflow_error(WorkflowError("already_handled"))
        except StoreError as exc:
            db.session.rollback()
            error = store_error_message(exc)
    if error is None and not _commit():
        error = ""  # _commit() said why
    if error is None:
        if proc.is_pending(local_today()):
            flash(_("Đã phê duyệt và ban hành %(code)s lần %(n)s, có hiệu lực từ %(d)s. Đến ngày đó lần ban hành trước "
                    "vẫn đang hiệu lực.", code=proc.code, n=proc.issue_number, d=format_date(proc.effective_on)),
                  "success")
        else:
            flash(_("Đã phê duyệt và ban hành %(code)s.", code=proc.code), "success")
        return redirect(url_for("procedures.view", code=code))
    if error:
        flash(error, "danger")
    check(perm.can_view_draft(current_user, proc))
    return document_page(proc, proc.current_revision, proc.current_blob, "draft", approve_values=typed), 422


@bp.post("/<code>/withdraw")
@require(signed_in)
def withdraw(code: str):
    return _transition(code, lambda p, f: DocumentControl().withdraw(
        current_user, p, reason=f.reason.data, on=f.withdrawn_on.data), _("Đã bãi bỏ %(code)s."), WithdrawForm)


@bp.app_context_processor
def workflow_forms():
    return {"ApproveForm": ApproveForm, "RejectForm": RejectForm, "WithdrawForm": WithdrawForm,
            "local_today": local_today}
