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

from app.audit.messages import message
from app.audit.services import record
from app.auth import permissions as perm
from app.auth.models import Unit
from app.extensions import db
from app.procedures import core, deferred
from app.procedures.mirror import index_documents, sync_procedure
from app.procedures.models import EDITING, ISSUED, SUBMITTED, WITHDRAWN, Procedure
from app.store import InvalidProcedure, ProcedureDocument, ProcedureStore
from app.timeutil import local_today, utcnow

log = logging.getLogger(__name__)


class WorkflowError(Exception):
    """A transition that the procedure's state or the user's role does not allow."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


METADATA_MESSAGE = "Sửa thông tin quy trình"


def drafters_since(history, issued_revision: str | None) -> list[str]:
    """Authors of the text commits after `issued_revision` (history is newest first), oldest first,
    each once; the secretary's header edits are not drafting."""
    names: list[str] = []
    for rev in history:
        if rev.sha == issued_revision:
            break
        if rev.message.startswith(METADATA_MESSAGE) or rev.author_name in names:
            continue
        names.append(rev.author_name)
    return list(reversed(names))


def _join_names(names: list[str], limit: int = 300) -> str:
    text = ", ".join(names)
    while len(text) > limit and len(names) > 1:
        names = names[:-1]
        text = ", ".join(names) + ", …"
    return text[:limit]


def unit_from_code(code: str) -> Unit | None:
    """The unit a code names (QT-QLKH-09 -> QLKH): the first part after the prefix that is a unit code."""
    parts = (code or "").upper().split("-")[1:]
    if not parts:
        return None
    units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(parts)))}
    return next((units[p] for p in parts if p in units), None)


def check_unit_for_code(code: str, unit: Unit | None) -> Unit:
    named = unit_from_code(code)
    if unit is None and named is None:
        raise InvalidProcedure(f"No unit chosen for {code}", code="unit_required", field="unit")
    if unit is not None and named is not None and unit.id != named.id:
        exc = InvalidProcedure(f"{code} names unit {named.code}, not {unit.code}", code="unit_mismatch",
                               field="unit")
        exc.params = {"code": code, "named": named.code, "chosen": unit.code}
        raise exc
    return unit or named


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
    def _reindex(self, proc: Procedure, draft_saved: str | None = None) -> None:
        """The index is a cache, updated once the transaction commits (outside the database's write lock and,
        in a server, after the answer: app/procedures/deferred.py); a failure here is logged, never lost work
        (`qms reindex` rebuilds). `draft_saved`: the commit of a saved draft, which changes the draft only."""
        if self.index is None:
            return
        try:
            if draft_saved:
                deferred.schedule(db.session, self.index, proc.code, index_documents(self.st, proc, issued=False),
                                  variants=("draft",), store=self.st, revision=draft_saved)
                return
            deferred.schedule(db.session, self.index, proc.code, index_documents(self.st, proc))
        except Exception:  # noqa: BLE001
            log.exception("search index update failed for %s", proc.code)

    def _tag_fields(self, tag: str) -> dict:
        """What an event records of an issue or withdrawal tag, so a moved or re-made tag is noticed."""
        return {"tag": tag, "tag_object": self.st.tag_object(tag)}

    def _audit(self, actor, action: str, proc: Procedure, summary: str, payload: dict | None = None, **params):
        """`summary` is the Vietnamese line kept in the record; the key and params render it in any language."""
        payload = dict(payload or {}, **message(action, code=proc.code, **params))
        record(actor, action, "procedure", proc.code, summary, payload, unit_code=proc.unit_code)

    # -- create and edit -----------------------------------------------------------------------
    def create(self, actor, *, code: str, title: str, unit: Unit | None, body: str, legal_bases=(),
               drafted_by: str = "", message: str = "") -> Procedure:
        """`unit` may be None: it is then taken from the code; a unit that contradicts the code is refused."""
        _allow(perm.can_create_procedure(actor))
        code = (code or "").strip().upper()
        unit = check_unit_for_code(code, unit)
        doc = ProcedureDocument(code=code, title=title, unit=unit.code, body=body,
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
        self._reindex(proc, draft_saved=sha)
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
        sha = self.st.save(doc, base_revision, core.author_of(actor), f"{METADATA_MESSAGE} {proc.code}")
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

    def transfer(self, actor, proc: Procedure, unit: Unit, *, reason: str) -> str:
        """A reorganisation moves the procedure to another unit: the header's unit changes in a commit of its own
        (history kept; issued texts keep the unit they were issued under), reviews and the index follow."""
        _allow(perm.can_edit_metadata(actor, proc) or perm.can_administer(actor))
        current = self.st.read(proc.code).document
        if current.unit == unit.code:
            return proc.current_revision
        old_unit = current.unit
        sha = self.st.save(replace(current, unit=unit.code), proc.current_revision, core.author_of(actor),
                           f"{METADATA_MESSAGE} {proc.code}: {old_unit} → {unit.code} ({reason})")
        sync_procedure(self.st, proc.code)
        proc.unit = unit
        self._audit(actor, "procedure.transfer", proc, f"Chuyển {proc.code} từ {old_unit} sang {unit.code}",
                    {"from": old_unit, "to": unit.code, "reason": reason, "revision": sha},
                    old=old_unit, new=unit.code)
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
        if proc.is_pending(issued_on):
            # one issue waits for its date at a time: the register shows one in force and one coming
            raise WorkflowError("issue_pending", number=proc.issue_number, on=proc.effective_on)
        number = proc.issue_number + 1
        current = self.st.read(proc.code).document
        drafted_by, reviewed_by = self._signatures(proc, current)
        doc = replace(current, issue=number, issued_on=issued_on, effective_on=effective_on,
                      drafted_by=drafted_by, reviewed_by=reviewed_by, approved_by=actor.full_name)
        text = (message or "").strip() or f"Ban hành lần {number}"
        sha = self.st.save(doc, proc.current_revision, core.author_of(actor),
                           f"Ban hành {proc.code} lần {number}\n\n{text}")
        tag = self.st.issue(proc.code, sha, number, effective_on, core.author_of(actor), text).tag
        sync_procedure(self.st, proc.code)
        proc.draft_state, proc.review_comment = None, ""
        proc.last_reviewed_on = max(filter(None, [proc.last_reviewed_on, issued_on]))
        self._audit(actor, "procedure.issue", proc, f"Ban hành {proc.code} lần {number}",
                    {"issue": number, "revision": sha, "effective_on": effective_on.isoformat(),
                     "issued_on": issued_on.isoformat(), "message": text, **self._tag_fields(tag)}, issue=number)
        for hook in core.ON_ISSUE:
            hook(actor, proc)
        self._reindex(proc)
        return number

    def _signatures(self, proc: Procedure, current: ProcedureDocument) -> tuple[str, str]:
        """Who drafted and who reviewed this issue: the authors of the text saved since the last issue and
        the head who submitted it. Names the secretary set by hand for this draft are kept."""
        previous = self.st.read(proc.code, proc.issued_revision).document if proc.issued_revision else None
        drafted = current.drafted_by
        if previous is None or current.drafted_by == previous.drafted_by:
            authors = drafters_since(self.st.history(proc.code), proc.issued_revision)
            drafted = _join_names(authors) or current.drafted_by
        reviewed = current.reviewed_by
        if previous is None or current.reviewed_by == previous.reviewed_by:
            reviewed = proc.submitted_by.full_name if proc.submitted_by else current.reviewed_by
        return drafted, reviewed

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

    def activate_due(self, today: date | None = None) -> list[str]:
        """Issues whose effective date has come replace the previous issue in the mirror and the index.
        Pages already decide by date; this keeps the register's title and the search index in step."""
        today = today or local_today()
        due = db.session.scalars(select(Procedure).where(Procedure.prior_revision.is_not(None),
                                                         Procedure.effective_on <= today)).all()
        for proc in due:
            sync_procedure(self.st, proc.code, today=today)
            self._reindex(proc)
        return [p.code for p in due]

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
