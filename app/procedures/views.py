"""Read helpers for procedure pages: loading with visibility rules, rendered text, amendment log."""
from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth import permissions as perm
from app.extensions import db
from app.procedures import core
from app.procedures.models import SUBMITTED, Procedure, ProcedureRevision
from app.procedures.services import METADATA_MESSAGE, drafters_since
from app.render import diff_stats, readable_text, render_cache, render_cached, render_inline


def activate_due() -> None:
    """Before a list is read: issues whose effective date has come take over (their own commit)."""
    from app.procedures.services import DocumentControl

    if DocumentControl().activate_due():
        db.session.commit()


def load_or_404(code: str) -> Procedure:
    proc = db.session.scalar(select(Procedure).where(Procedure.code == code))
    if proc is None:
        abort(404)
    return proc


def document_at(code: str, revision: str, blob: str | None):
    """(document, rendered) of a revision, cached by blob hash: same bytes, same page."""
    def read():
        stored = core.store().read(code, revision)
        return stored.document, render_cached(stored.document.body, stored.blob_sha)
    if blob:
        return render_cache().fetch(("document", blob), read)
    return read()


def cached_fragment(key, render):
    """The header block, text and amendment log of a page change only with the revision and the mirror
    row (its updated_at is in the key), so they are rendered once per process, not per request."""
    return render_cache().fetch(("fragment",) + tuple(key), render)


def revisions(proc: Procedure, user) -> list[ProcedureRevision]:
    """Newest first; people who may not see drafts see the issued revisions only."""
    stmt = select(ProcedureRevision).where(ProcedureRevision.procedure_id == proc.id)
    if not perm.can_view_draft(user, proc):
        stmt = stmt.where(ProcedureRevision.issue_number.is_not(None))
    return list(db.session.scalars(stmt.order_by(ProcedureRevision.authored_at.desc(),
                                                 ProcedureRevision.id.desc())))


def amendment_log(proc: Procedure) -> list[ProcedureRevision]:
    stmt = (select(ProcedureRevision)
            .where(ProcedureRevision.procedure_id == proc.id, ProcedureRevision.issue_number.is_not(None))
            .order_by(ProcedureRevision.issue_number))
    return list(db.session.scalars(stmt))


def find_revision(revs: list[ProcedureRevision], sha: str) -> ProcedureRevision | None:
    """A revision among those shown, by its full sha or a prefix of at least 7 characters."""
    for rev in revs:
        if rev.sha == sha or (len(sha) >= 7 and rev.sha.startswith(sha)):
            return rev
    return None


def default_from(revs: list[ProcedureRevision]) -> str | None:
    """What a diff compares with by default: the previous issue when the newest revision is an issue
    (what changed in force), otherwise the revision just before."""
    if len(revs) < 2:
        return revs[0].sha if revs else None
    if revs[0].issue_number:
        earlier = [r for r in revs[1:] if r.issue_number]
        if earlier:
            return earlier[0].sha
    return revs[1].sha
def drafts_since_issue(proc: Procedure) -> list[ProcedureRevision]:
    """The saves of the revision being prepared, oldest first (the change notes people wrote)."""
    rows = list(db.session.scalars(select(ProcedureRevision).where(ProcedureRevision.procedure_id == proc.id)
                                   .order_by(ProcedureRevision.authored_at.desc(), ProcedureRevision.id.desc())))
    since = []
    for row in rows:
        if row.sha == proc.issued_revision:
            break
        since.append(row)
    return list(reversed(since))


def approval_context(proc: Procedure, user) -> dict | None:
    """What leadership reads before approving: the change against the issue in force, rendered as the
    document reads (not Markdown), the header fields that change, the change notes, drafter and reviewer."""
    if proc.draft_state != SUBMITTED or not perm.can_approve(user, proc):
        return None
    st = core.store()
    new = st.read(proc.code).document
    old = st.read(proc.code, proc.issued_revision).document if proc.issued_revision else None
    old_text, new_text = readable_text(old.body) if old else "", readable_text(new.body)
    fields = []
    if old is not None:
        if old.title != new.title:
            fields.append((_("Tên quy trình"), old.title, new.title))
        if old.legal_bases != new.legal_bases:
            fields.append((_("Căn cứ pháp lý"), "; ".join(old.legal_bases), "; ".join(new.legal_bases)))
        if old.unit != new.unit:
            fields.append((_("Đơn vị chủ trì"), old.unit, new.unit))
    saves = drafts_since_issue(proc)
    notes = [r for r in saves if not r.message.startswith(METADATA_MESSAGE)]
    drafters = drafters_since(core.store().history(proc.code), proc.issued_revision)
    return {"diff_html": render_inline(old_text, new_text), "stats": diff_stats(old_text, new_text),
            "fields": fields, "notes": notes, "drafters": drafters, "against": proc.issue_number or None,
            "reviewer": proc.submitted_by.full_name if proc.submitted_by else ""}
