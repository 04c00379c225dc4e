"""A procedure's forms as files in the store: checked by content, safely named, versioned with the text."""
from __future__ import annotations

import logging

from app.audit.services import record
from app.office import filetypes
from app.office import permissions as operm
from app.office.services import Forbidden, OfficeError
from app.procedures import core
from app.procedures.mirror import index_documents
from app.procedures.models import EDITING, Procedure
from app.store import InvalidProcedure, ProcedureNotFound
from app.store.attachments import AttachmentInfo, Attachments, safe_name

MAX_FORM_BYTES = 3 * 1024 * 1024  # told to users on the upload form; under the request limit
log = logging.getLogger(__name__)


def attachments() -> Attachments:
    return Attachments(core.store(), MAX_FORM_BYTES)


def revision_shown(proc: Procedure, variant: str, revision_row=None, in_force=None) -> str | None:
    """The commit whose files go with the page: the issue in force, the approved issue waiting for its
    date, an old revision, or the draft (None: what main holds now)."""
    if variant == "issued":
        return in_force.revision if in_force is not None else proc.issued_revision
    if variant == "pending":
        return proc.issued_revision
    if variant == "revision" and revision_row is not None:
        return revision_row.sha
    return None


def files_of(proc: Procedure, revision: str | None) -> list[AttachmentInfo]:
    try:
        return attachments().list(proc.code, revision)
    except ProcedureNotFound:
        return []


def attach(actor, proc: Procedure, filename: str, data: bytes) -> str:
    """Add or replace a form of the draft; the next issue carries it. Returns the safe name used."""
    if not operm.can_attach(actor, proc):
        raise Forbidden("forbidden")
    if proc.draft_state == "submitted" and not operm.can_import(actor):
        raise OfficeError("draft_submitted")
    if not data:
        raise OfficeError("file_empty")
    if len(data) > MAX_FORM_BYTES:
        raise OfficeError("file_too_large", limit=MAX_FORM_BYTES // (1024 * 1024))
    try:
        name = safe_name(filename, filetypes.FORM_EXTENSIONS)
    except InvalidProcedure as exc:
        raise OfficeError("bad_name") from exc
    if not filetypes.matches(name, data):
        raise OfficeError("wrong_content", name=name)
    replacing = any(a.name == name for a in files_of(proc, None))
    sha = attachments().put(proc.code, name, data, core.author_of(actor),
                            f"{'Thay' if replacing else 'Đính kèm'} biểu mẫu {name} của {proc.code}")
    if proc.draft_state is None:
        proc.draft_state = EDITING  # the changed forms are a revision to approve, like a changed text
    _reindex(proc)
    record(actor, "procedure.attach", "procedure", proc.code, f"Đính kèm {name} vào {proc.code}",
           {"file": name, "size": len(data), "commit": sha, "replaced": replacing}, unit_code=proc.unit_code)
    return name


def detach(actor, proc: Procedure, name: str) -> None:
    if not operm.can_attach(actor, proc):
        raise Forbidden("forbidden")
    if proc.draft_state == "submitted" and not operm.can_import(actor):
        raise OfficeError("draft_submitted")
    try:
        sha = attachments().remove(proc.code, name, core.author_of(actor), f"Gỡ biểu mẫu {name} khỏi {proc.code}")
    except (ProcedureNotFound, InvalidProcedure) as exc:
        raise OfficeError("file_not_found") from exc
    if proc.draft_state is None:
        proc.draft_state = EDITING
    _reindex(proc)
    record(actor, "procedure.detach", "procedure", proc.code, f"Gỡ {name} khỏi {proc.code}",
           {"file": name, "commit": sha}, unit_code=proc.unit_code)


def history(proc: Procedure) -> list:
    try:
        return attachments().history(proc.code)
    except ProcedureNotFound:
        return []


def _reindex(proc: Procedure) -> None:
    """The forms' words are searched with the text; the index is a cache, so a failure is only logged."""
    try:
        index = core.search_index()
        index.delete(proc.code)
        for doc in index_documents(core.store(), proc):
            index.update(doc)
    except Exception:  # noqa: BLE001
        log.exception("search index update failed for %s", proc.code)


def read(proc: Procedure, name: str, revision: str | None) -> bytes | None:
    try:
        return attachments().read(proc.code, name, revision)
    except (ProcedureNotFound, InvalidProcedure):
        return None
