"""Keeping the database mirror equal to the store: per procedure after each change, and whole (fsck)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, select

from app.auth.models import Unit
from app.extensions import db
from app.procedures.models import DRAFT, EDITING, ISSUED, WITHDRAWN, Procedure, ProcedureRevision
from app.search import IndexedProcedure
from app.store import ProcedureStore
from app.timeutil import as_utc, local_today, utcnow


@dataclass
class FsckReport:
    created: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.fixed or self.orphaned or self.units_created)


def _unit(code: str, report: FsckReport | None = None) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        unit = Unit(code=code, name=code, active=True)
        db.session.add(unit)
        db.session.flush()
        if report is not None:
            report.units_created.append(code)
    return unit


def _snapshot(proc: Procedure) -> tuple:
    return (proc.title, proc.unit_id, proc.status, proc.current_revision, proc.current_blob,
            proc.issued_revision, proc.issued_blob, proc.issue_number, proc.issued_on, proc.effective_on,
            proc.withdrawn_on, proc.draft_state is None)


def _set_prior(st: ProcedureStore, code: str, proc: Procedure, issues, today: date) -> None:
    """While the latest issue is not yet effective, the one before it stays in force: keep its data."""
    latest = issues[-1] if issues else None
    prior = issues[-2] if len(issues) > 1 else None
    if latest is None or prior is None or latest.effective_on <= today:
        proc.prior_revision = proc.prior_blob = None
        proc.prior_issue_number = proc.prior_issued_on = proc.prior_effective_on = None
        return
    stored = st.read(code, prior.revision)
    proc.prior_revision, proc.prior_blob, proc.prior_issue_number = prior.revision, stored.blob_sha, prior.number
    proc.prior_issued_on = stored.document.issued_on or prior.tagged_at.date()
    proc.prior_effective_on = prior.effective_on
    proc.title = stored.document.title  # the register names the text in force


_REVISION_COLUMNS = (ProcedureRevision.authored_at, ProcedureRevision.author_name, ProcedureRevision.author_email,
                     ProcedureRevision.message, ProcedureRevision.issue_number, ProcedureRevision.effective_on,
                     ProcedureRevision.approver_name, ProcedureRevision.issue_message, ProcedureRevision.issued_at,
                     ProcedureRevision.issued_on)


def _differs(row, values: dict) -> bool:
    """Whether a stored revision row says anything else than `values` (SQLite gives times back naive UTC)."""
    for name, value in values.items():
        have = getattr(row, name)
        if isinstance(have, datetime) and isinstance(value, datetime):
            if as_utc(have) != as_utc(value):
                return True
        elif have != value:
            return True
    return False


def sync_procedure(st: ProcedureStore, code: str, report: FsckReport | None = None,
                   keep_workflow: bool = True, today: date | None = None) -> Procedure:
    """Make the mirror row and the revision rows of one procedure equal what the store says."""
    head = st.read(code)
    raw_tags = st.raw_tags(code)  # one reading of the tags for the issues, the withdrawals and the history
    issues, withdrawals = st.issues_and_withdrawals(code, raw_tags)
    history = st.history(code, raw_tags)

    doc = head.document
    unit = _unit(doc.unit, report)
    proc = db.session.scalar(select(Procedure).where(Procedure.code == code))
    created = proc is None
    before = None if created else _snapshot(proc)
    if created:
        proc = Procedure(code=code, review_comment="")
        db.session.add(proc)
    latest = issues[-1] if issues else None
    proc.title = doc.title
    proc.unit = unit
    proc.current_revision = head.revision
    proc.current_blob = head.blob_sha
    issued_texts: dict[str, object] = {}  # the texts of issues, read once each here (each read asks git afresh)

    def issued_text(revision: str):
        if revision not in issued_texts:
            issued_texts[revision] = st.read(code, revision)
        return issued_texts[revision]

    if latest:
        issued = issued_text(latest.revision)
        proc.issued_revision, proc.issued_blob = latest.revision, issued.blob_sha
        proc.issue_number = latest.number
        proc.issued_on = issued.document.issued_on or latest.tagged_at.date()
        proc.effective_on = latest.effective_on
        # the issued title stays in the register while a draft is under way
        proc.title = issued.document.title
    _set_prior(st, code, proc, issues, today or local_today())
    if not latest:
        proc.issued_revision = proc.issued_blob = None
        proc.issue_number, proc.issued_on, proc.effective_on = 0, None, None
    if withdrawals:
        proc.status, proc.withdrawn_on, proc.draft_state = WITHDRAWN, withdrawals[-1].withdrawn_on, None
    else:
        proc.withdrawn_on = None
        proc.status = ISSUED if latest else DRAFT
        pending = latest is None or head.revision != latest.revision
        if not pending:
            proc.draft_state = None
        elif not (keep_workflow and proc.draft_state):
            proc.draft_state = EDITING
    proc.updated_at = utcnow()
    db.session.flush()

    by_sha = {i.revision: i for i in issues}
    # the rows as plain tuples: a procedure saved hundreds of times has as many rows, compared here without
    # an ORM object each; only a new or changed revision is written
    existing = {r.sha: r for r in db.session.execute(
        select(ProcedureRevision.id, ProcedureRevision.sha, *_REVISION_COLUMNS)
        .where(ProcedureRevision.procedure_id == proc.id))}
    wanted = set()
    for rev in history:
        wanted.add(rev.sha)
        issue = by_sha.get(rev.sha)
        # git gives times in the server's zone; stored as UTC (SQLite keeps the wall time of what it is given)
        values = dict(authored_at=as_utc(rev.authored_at), author_name=rev.author_name, author_email=rev.author_email,
                      message=rev.message, issue_number=issue.number if issue else None,
                      effective_on=issue.effective_on if issue else None,
                      approver_name=issue.approver_name if issue else None,
                      issue_message=issue.message if issue else None,
                      issued_at=as_utc(issue.tagged_at) if issue else None,
                      # the issue date is the one in the issue's own header (an imported paper issue keeps its date)
                      issued_on=(issued_text(rev.sha).document.issued_on or issue.tagged_at.date())
                      if issue else None)
        have = existing.get(rev.sha)
        if have is None:
            db.session.add(ProcedureRevision(procedure_id=proc.id, sha=rev.sha, **values))
        elif _differs(have, values):
            row = db.session.get(ProcedureRevision, have.id)
            for name, value in values.items():
                setattr(row, name, value)
    stale = set(existing) - wanted
    if stale:
        db.session.execute(delete(ProcedureRevision).where(ProcedureRevision.procedure_id == proc.id,
                                                           ProcedureRevision.sha.in_(stale)))
    db.session.flush()
    from app.procedures.core import ON_SYNC  # the hooks live with the others; core needs Flask, mirror does not

    for hook in ON_SYNC:
        hook(st, proc)
    if report is not None:
        if created:
            report.created.append(code)
        elif before != _snapshot(proc) or stale or len(wanted) != len(existing):
            report.fixed.append(code)
    return proc


def fsck(st: ProcedureStore) -> FsckReport:
    """Compare every procedure of the store with the database and repair the database."""
    report = FsckReport()
    codes = st.codes()
    for code in codes:
        sync_procedure(st, code, report)
    orphans = db.session.scalars(select(Procedure).where(Procedure.code.not_in(codes))).all() if codes else \
        db.session.scalars(select(Procedure)).all()
    for proc in orphans:
        report.orphaned.append(proc.code)
    return report


def _with_extras(st: ProcedureStore, code: str, revision: str | None, body: str) -> str:
    from app.procedures.core import INDEX_TEXT  # as ON_SYNC: core needs Flask, mirror does not

    extras = [text for hook in INDEX_TEXT if (text := hook(st, code, revision))]
    return "\n\n".join([body, *extras]) if extras else body


def index_documents(st: ProcedureStore, proc: Procedure, issued: bool = True) -> list[IndexedProcedure]:
    """What the search index holds for a procedure: its issued text and, if any, its draft
    (each with the text that features add through core.INDEX_TEXT, such as the forms' files).
    `issued=False`: the draft only (a saved draft leaves the issued text as it was)."""
    docs = []
    in_force = proc.in_force_issue(local_today()) if issued else None
    # the text in force is what search finds as issued; a newer issue waiting for its date is found after it
    # takes effect (activate_due reindexes it then)
    revision = (in_force.revision if in_force else proc.issued_revision) if issued else None
    if revision:
        text = st.read(proc.code, revision).document
        docs.append(IndexedProcedure(code=proc.code, variant="issued", title=text.title, unit=proc.unit_code,
                                     status=proc.status, legal_bases=text.legal_bases,
                                     body=_with_extras(st, proc.code, proc.issued_revision, text.body),
                                     updated_at=proc.updated_at))
    if proc.status != WITHDRAWN and proc.current_revision != proc.issued_revision:
        draft = st.read(proc.code).document
        docs.append(IndexedProcedure(code=proc.code, variant="draft", title=draft.title, unit=proc.unit_code,
                                     status=DRAFT, legal_bases=draft.legal_bases,
                                     body=_with_extras(st, proc.code, None, draft.body),
                                     updated_at=proc.updated_at))
    return docs
