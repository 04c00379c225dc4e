"""Forms as files on a procedure: upload to the draft, remove, download the file of the revision shown."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import permissions as perm
from app.auth.permissions import can_read_register, check, require
from app.extensions import db
from app.office import filetypes, files
from app.office.labels import MESSAGES
from app.office.routes import bp, download
from app.office.services import Forbidden, OfficeError
from app.procedures import views


def _message(exc: OfficeError) -> str:
    text = MESSAGES.get(exc.key, exc.key)
    return str(text) % exc.params if exc.params else str(text)


@bp.post("/<code>/forms")
@require(can_read_register)
def upload_form(code: str):
    proc = views.load_or_404(code)
    upload = request.files.get("file")
    try:
        name = files.attach(current_user, proc, upload.filename if upload else "", upload.read() if upload else b"")
    except Forbidden:
        abort(403)
    except OfficeError as exc:
        flash(_message(exc), "danger")
        return redirect(url_for("procedures.draft", code=code))
    db.session.commit()
    flash(_("Đã đính kèm %(name)s vào dự thảo. Tệp sẽ thuộc lần ban hành tiếp theo.", name=name), "success")
    return redirect(url_for("procedures.draft", code=code))


@bp.post("/<code>/forms/<name>/delete")
@require(can_read_register)
def delete_form(code: str, name: str):
    proc = views.load_or_404(code)
    try:
        files.detach(current_user, proc, name)
    except Forbidden:
        abort(403)
    except OfficeError as exc:
        flash(_message(exc), "danger")
        return redirect(url_for("procedures.draft", code=code))
    db.session.commit()
    flash(_("Đã gỡ %(name)s khỏi dự thảo; các lần ban hành trước vẫn giữ tệp của mình.", name=name), "success")
    return redirect(url_for("procedures.draft", code=code))


@bp.get("/<code>/forms/<name>")
@require(can_read_register)
def form_file(code: str, name: str):
    """?rev=<commit> for an issue or old revision (as linked from its page); none for the draft."""
    proc = views.load_or_404(code)
    rev = request.args.get("rev") or None
    visible = {r.sha for r in views.revisions(proc, current_user)}
    if rev is None and not perm.can_view_draft(current_user, proc):
        rev = proc.issued_revision  # without a revision: the draft's file for those who may read drafts
        check(rev is not None)
    elif rev is not None and rev not in visible:
        abort(404)
    data = files.read(proc, name, rev)
    if data is None:
        abort(404)
    return download(data, filetypes.mimetype_of(name), name)
