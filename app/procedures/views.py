"""Read helpers for procedure pages: loading with visibility rules, rendered text, amendment log."""
from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import abort
from sqlalchemy import select

from app.auth import permissions as perm
from app.extensions import db
from app.procedures import core
from app.procedures.models import Procedure, ProcedureRevision
from app.render import render_markdown

_DOCS: OrderedDict = OrderedDict()
_DOCS_LOCK = Lock()
_DOCS_MAX = 512


def load_or_404(code: str) -> Procedure:
    proc = db.session.scalar(select(Procedure).where(Procedure.code == code))
    if proc is None:
        abort(404)
    return proc


def document_at(code: str, revision: str, blob: str | None):
    """(document, rendered) of a revision, cached by blob hash: same bytes, same page."""
    key = blob or f"{code}@{revision}"
    with _DOCS_LOCK:
        hit = _DOCS.get(key)
        if hit is not None:
            _DOCS.move_to_end(key)
            return hit
    stored = core.store().read(code, revision)
    value = (stored.document, render_markdown(stored.document.body))
    with _DOCS_LOCK:
        _DOCS[stored.blob_sha] = value
        while len(_DOCS) > _DOCS_MAX:
            _DOCS.popitem(last=False)
    return value


_FRAGMENTS: OrderedDict = OrderedDict()


def cached_fragment(key, render):
    """The header block, text and amendment log of a page change only with the revision and the mirror
    row (its updated_at is in the key), so they are rendered once per process, not per request."""
    with _DOCS_LOCK:
        html = _FRAGMENTS.get(key)
        if html is not None:
            _FRAGMENTS.move_to_end(key)
            return html
    html = render()
    with _DOCS_LOCK:
        _FRAGMENTS[key] = html
        while len(_FRAGMENTS) > _DOCS_MAX:
            _FRAGMENTS.popitem(last=False)
    return html


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
