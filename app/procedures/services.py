"""Document-control rules: who may move a procedure where, written to the store, mirrored, audited.

Every method takes the acting user, flushes and never commits: the route commits once. Each change
first locks the procedure's row (re-reading it), so two people acting on one procedure at once are
serialised by the database: the second sees the first's outcome and gets a clear refusal, and exactly
one audit event is written. Store commits happen next (git is the truth); a commit whose database
transaction then fails is turned into a recorded "recovered" event by `qms fsck`.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from sqlalchemy import select

from app.audit.services import record
from app.auth import permissions as perm
from app.auth.models import Unit
from app.extensions import db
from app.procedures import core, deferred
from app.procedures.mirror import sync_procedure
from app.procedures.models import EDITING, ISSUED, SUBMITTED, WITHDRAWN, Procedure
from app.store import InvalidProcedure, ProcedureDocument, ProcedureStore
from app.timeutil import local_today, utcnow

log = logging.getLogger(__name__)


class WorkflowError(Exception):
    """A transition that the procedure's state or the user's role does not allow."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class PermissionDenied(WorkflowError):
    pass


def _allow(ok: bool) -> None:
    if not ok:
        raise PermissionDenied("forbidden")


def _lock(proc: Procedure) -> str | None:
    """Lock the procedure's row for this transaction and re-read it; returns the state seen before.

    PostgreSQL: SELECT ... FOR UPDATE makes a concurrent transition wait for this one's commit and
    then see its result. SQLite: a writing request already holds the database's write lock
    (BEGIN IMMEDIATE, app/database.py), so the re-read is enough.
    """
    seen = proc.draft_state
    db.session.execute(select(Procedure).where(Procedure.id == proc.id).with_for_update(of=Procedure)
                       .execution_options(populate_existing=True)).scalar_one()  # fetched: refreshes `proc`
    return seen


def _refuse(key: str, seen, proc: Procedure) -> None:
    """The transition is not allowed: say so plainly if someone else changed the state meanwhile."""
    raise WorkflowError("already_handled" if seen != proc.draft_state else key)


class DocumentControl:
    def __init__(self, st: ProcedureStore | None = None, index=None):
        self.st = st or core.store()
        self.index = index if index is not None else core.search_index()

    # -- reads ---------------------------------------------------------------------------------
    def get(self, code: str) -> Procedure | None:
        return db.session.scalar(select(Procedure).where(Procedure.code == code))

    # -- helpers -------------------------------------------------------------------------------
    def _reindex(self, proc: Procedure) -> None:
        """The index is a cache, updated once the transaction commits (outside the database's write lock);
        a failure here is logged, never lost work (`qms reindex` rebuilds)."""
        if self.index is None:
            return
        try:
            deferred.schedule(db.session, self.index, self.st, proc)
        except Exception:  # noqa: BLE001
            log.exception("search index update failed for %s", proc.code)

    def _tag_fields(self, tag: str) -> dict:
        """What an event records of an issue or withdrawal tag, so a moved or re-made tag is noticed."""
        return {"tag": tag, "tag_object": self.st.tag_object(tag)}

    def _audit(self, actor, action: str, proc: Procedure, summary: str, payload: dict | None = None):
        record(actor, action, "procedure", proc.code, summary, payload, unit_code=proc.unit_code)

    # -- create and edit -----------------------------------------------------------------------
    def create(self, actor, *, code: str, title: str, unit: Unit, body: str, legal_bases=(),
               drafted_by: str = "", message: str = "") -> Procedure:
        _allow(perm.can_create_procedure(actor))
        doc = ProcedureDocument(code=(code or "").strip().upper(), title=title, unit=unit.code, body=body,
                                legal_bases=list(legal_bases), drafted_by=drafted_by or actor.full_name)
        if self.get(doc.code):
            raise InvalidProcedure(f"A procedure {doc.code} already exists", code="exists", field="code")
        self.st.create(doc, core.author_of(actor), message or f"Tạo dự thảo {doc.code}: {doc.title}")
        proc = sync_procedure(self.st, doc.code)
        proc.draft_state = EDITING
        self._audit(actor, "procedure.create", proc, f"Tạo quy trình {proc.code}",
                    {"title": doc.title, "revision": proc.current_revision})
        self._reindex(proc)
        return proc

    def save_draft(self, actor, proc: Procedure, *, body: str, base_revision: str, message: str = "") -> str:
        """Save the text of the revision in preparation; StoreConflict if someone saved since `base_revision`."""
        _allow(perm.can_edit_draft(actor, proc))
        _lock(proc)
        if proc.draft_state == SUBMITTED and not perm.can_create_procedure(actor):
            raise WorkflowError("draft_submitted")
        current = self.st.read(proc.code).document
        doc = replace(current, body=body)
        sha = self.st.save(doc, base_revision, core.author_of(actor),
                           message.strip() or f"Cập nhật dự thảo {proc.code}")
        if sha == proc.current_revision:
            return sha
        sync_procedure(self.st, proc.code)
        if proc.draft_state is None:
            proc.draft_state = EDITING
        self._audit(actor, "procedure.save", proc, f"Lưu dự thảo {proc.code}",
                    {"revision": sha, "base": base_revision, "message": message.strip()})
        self._reindex(proc)
        return sha

    def edit_metadata(self, actor, proc: Procedure, *, title: str, unit: Unit, legal_bases, drafted_by: str,
                      reviewed_by: str, base_revision: str) -> str:
        """The secretary's change of header fields; a change of unit transfers the procedure."""
        _allow(perm.can_edit_metadata(actor, proc))
        _lock(proc)
        current = self.st.read(proc.code).document
        old_unit = current.unit
        doc = replace(current, title=title, unit=unit.code, legal_bases=list(legal_bases),
                      drafted_by=drafted_by, reviewed_by=reviewed_by)
        sha = self.st.save(doc, base_revision, core.author_of(actor), f"Sửa thông tin quy trình {proc.code}")
        if sha == proc.current_revision:
            return sha
        before = {"title": current.title, "unit": old_unit, "legal_bases": current.legal_bases}
        sync_procedure(self.st, proc.code)
        # the register follows the header at once: metadata is not part of the issued text's approval
        proc.title, proc.unit = doc.title, unit
        if proc.draft_state is None and proc.current_revision != proc.issued_revision:
            proc.draft_state = EDITING
        self._audit(actor, "procedure.metadata", proc, f"Sửa thông tin quy trình {proc.code}",
                    {"before": before, "after": {"title": doc.title, "unit": unit.code,
                                                 "legal_bases": doc.legal_bases}, "revision": sha})
        if old_unit != unit.code:
            for hook in core.ON_TRANSFER:
                hook(actor, proc)
        self._reindex(proc)
        return sha

    # -- workflow ------------------------------------------------------------------------------
    def submit(self, actor, proc: Procedure) -> None:
        _allow(perm.can_submit(actor, proc))
        seen = _lock(proc)
        if proc.draft_state != EDITING:
            _refuse("nothing_to_submit", seen, proc)
        proc.draft_state, proc.submitted_by, proc.submitted_at = SUBMITTED, actor, utcnow()
        proc.review_comment = ""
        self._audit(actor, "procedure.submit", proc, f"Trình phê duyệt {proc.code}",
                    {"revision": proc.current_revision})

    def reject(self, actor, proc: Procedure, comment: str) -> None:
        _allow(perm.can_approve(actor, proc))
        seen = _lock(proc)
        if proc.draft_state != SUBMITTED:
            _refuse("not_submitted", seen, proc)
        if not (comment or "").strip():
            raise WorkflowError("comment_required")
        proc.draft_state, proc.review_comment = EDITING, comment.strip()
        self._audit(actor, "procedure.reject", proc, f"Trả lại dự thảo {proc.code}",
                    {"comment": comment.strip(), "revision": proc.current_revision})

    def approve(self, actor, proc: Procedure, *, effective_on: date, message: str = "",
                issued_on: date | None = None) -> int:
        """Issue the submitted revision: header updated in the store, then an annotated issue tag."""
        _allow(perm.can_approve(actor, proc))
        seen = _lock(proc)
        if proc.draft_state != SUBMITTED:
            _refuse("not_submitted", seen, proc)
        issued_on = issued_on or local_today()
        if effective_on < issued_on:
            raise WorkflowError("effective_before_issue")
        number = proc.issue_number + 1
        current = self.st.read(proc.code).document
        doc = replace(current, issue=number, issued_on=issued_on, effective_on=effective_on,
                      approved_by=actor.full_name)
        text = (message or "").strip() or f"Ban hành lần {number}"
        sha = self.st.save(doc, proc.current_revision, core.author_of(actor),
                           f"Ban hành {proc.code} lần {number}\n\n{text}")
        tag = self.st.issue(proc.code, sha, number, effective_on, core.author_of(actor), text).tag
        sync_procedure(self.st, proc.code)
        proc.draft_state, proc.review_comment = None, ""
        proc.last_reviewed_on = max(filter(None, [proc.last_reviewed_on, issued_on]))
        self._audit(actor, "procedure.issue", proc, f"Ban hành {proc.code} lần {number}",
                    {"issue": number, "revision": sha, "effective_on": effective_on.isoformat(),
                     "issued_on": issued_on.isoformat(), "message": text, **self._tag_fields(tag)})
        for hook in core.ON_ISSUE:
            hook(actor, proc)
        self._reindex(proc)
        return number

    def withdraw(self, actor, proc: Procedure, *, reason: str, on: date | None = None) -> None:
        _allow(perm.can_withdraw(actor, proc))
        seen_status = proc.status
        _lock(proc)
        if proc.status == WITHDRAWN:
            if seen_status != WITHDRAWN:
                raise WorkflowError("already_handled")
            raise WorkflowError("already_withdrawn")
        if not (reason or "").strip():
            raise WorkflowError("reason_required")
        on = on or local_today()
        tag = self.st.withdraw(proc.code, core.author_of(actor), reason.strip(), on)
        sync_procedure(self.st, proc.code)
        self._audit(actor, "procedure.withdraw", proc, f"Bãi bỏ {proc.code}",
                    {"reason": reason.strip(), "withdrawn_on": on.isoformat(), **self._tag_fields(tag)})
        for hook in core.ON_WITHDRAW:
            hook(actor, proc)
        self._reindex(proc)

    # -- bulk ----------------------------------------------------------------------------------
    def import_document(self, actor, doc: ProcedureDocument, message: str = "") -> tuple[Procedure, bool]:
        """Bring a procedure file into the store; issued files get their issue tag. Returns (proc, created)."""
        if self.st.exists(doc.code):
            return sync_procedure(self.st, doc.code), False
        if db.session.scalar(select(Unit.id).where(Unit.code == doc.unit)) is None:
            raise InvalidProcedure(f"Unknown unit {doc.unit} for {doc.code}", code="unknown_unit", field="unit")
        author = core.author_of(actor)
        sha = self.st.create(doc, author, message or f"Nhập quy trình {doc.code}: {doc.title}")
        tag_fields = {}
        if doc.issue and doc.effective_on:
            tag_fields = self._tag_fields(self.st.issue(doc.code, sha, doc.issue, doc.effective_on, author,
                                                        f"Ban hành lần {doc.issue} (nhập từ hồ sơ giấy)").tag)
        proc = sync_procedure(self.st, doc.code)
        if proc.status == ISSUED:
            proc.last_reviewed_on = doc.issued_on
        self._audit(actor, "procedure.import", proc, f"Nhập quy trình {proc.code}",
                    {"title": doc.title, "issue": doc.issue, "revision": proc.current_revision, **tag_fields})
        if proc.status == ISSUED:
            for hook in core.ON_ISSUE:  # an imported procedure in force joins the open review cycle
                hook(actor, proc)
        self._reindex(proc)
        return proc, True
