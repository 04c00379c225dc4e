"""Phase 2c: the database's side of the histories: the mirror rows `qms fsck` would write, the legal-basis
citations its sync hook would write, and the procedure events the workflow would have recorded."""
from __future__ import annotations

from sqlalchemy import insert

from app.legal.models import DRAFT_TEXT, ISSUED_TEXT, ProcedureCitation
from app.legal.numbers import parse_citation
from app.procedures.models import DRAFT, EDITING, ISSUED, SUBMITTED, WITHDRAWN, Procedure, ProcedureRevision
from app.province_demo.events import EventLog, fix_sequence, next_id
from app.province_demo.histories import CREATE, ISSUE, SAVE, History
from app.province_demo.people import Cast

BATCH = 5000


def _flush(model, rows: list[dict], force: bool = False) -> None:
    from app.extensions import db

    if rows and (force or len(rows) >= BATCH):
        db.session.execute(insert(model), rows)
        rows.clear()


def procedure_row(h: History, pid: int, unit_id: int) -> dict:
    head = h.commits[-1]
    latest = h.issues[-1] if h.issues else None
    row = {"id": pid, "code": h.code, "title": h.title, "unit_id": unit_id, "status": DRAFT, "draft_state": None,
           "current_revision": head.sha, "current_blob": head.blob, "issued_revision": None, "issued_blob": None,
           "issue_number": 0, "issued_on": None, "effective_on": None, "withdrawn_on": None,
           "prior_revision": None, "prior_blob": None, "prior_issue_number": None, "prior_issued_on": None,
           "prior_effective_on": None, "last_reviewed_on": None, "review_comment": "", "submitted_by_id": None,
           "submitted_at": None, "updated_at": head.when}
    if latest is not None:
        row.update(status=ISSUED, issued_revision=latest.sha, issued_blob=latest.blob, issue_number=latest.number,
                   issued_on=latest.doc.issued_on, effective_on=latest.doc.effective_on,
                   last_reviewed_on=latest.doc.issued_on)
    if h.withdrawal is not None:
        row.update(status=WITHDRAWN, withdrawn_on=h.withdrawal.on, updated_at=h.withdrawal.when)
    elif latest is None or head.sha != latest.sha:
        row["draft_state"] = SUBMITTED if h.submitted else EDITING
        if h.submitted:
            row.update(submitted_by_id=h.submitted.actor.id, submitted_at=h.submitted.when)
    return row


def write(histories: list[History], cast: Cast, log: EventLog, progress=None) -> dict[str, int]:
    """Insert the rows and collect the events; returns code -> procedure id."""
    pid = next_id(Procedure)
    procs, revisions, citations = [], [], []
    ids = {}
    for h in histories:
        ids[h.code] = pid
        row = procedure_row(h, pid, cast.units[h.unit])
        procs.append(row)
        for c in h.commits:
            a = c.author.author
            rev = {"procedure_id": pid, "sha": c.sha, "authored_at": c.when, "author_name": a.name,
                   "author_email": a.email, "message": c.message.strip(), "issue_number": None, "issued_on": None,
                   "effective_on": None, "approver_name": None, "issue_message": None, "issued_at": None}
            if c.kind == ISSUE:
                rev.update(issue_number=c.number, issued_on=c.doc.issued_on, effective_on=c.doc.effective_on,
                           approver_name=a.name, issue_message=c.issue_text, issued_at=c.when)
            revisions.append(rev)
        variants = []
        if row["issued_revision"]:
            variants.append((ISSUED_TEXT, h.issues[-1]))
        if row["status"] != WITHDRAWN and row["current_revision"] != row["issued_revision"]:
            variants.append((DRAFT_TEXT, h.commits[-1]))
        for variant, c in variants:
            for i, text in enumerate(c.doc.legal_bases):
                citations.append({"procedure_id": pid, "variant": variant, "position": i, "text": text,
                                  "key": parse_citation(text).key})
        _events(h, log)
        pid += 1
        if len(procs) >= 1000:  # parents first: the revisions and citations name these rows
            _flush(Procedure, procs, True)
            _flush(ProcedureRevision, revisions, True)
            _flush(ProcedureCitation, citations, True)
        if progress:
            progress(1)
    _flush(Procedure, procs, True)
    _flush(ProcedureRevision, revisions, True)
    _flush(ProcedureCitation, citations, True)
    for table in ("procedure", "procedure_revision", "procedure_citation"):
        fix_sequence(table)
    return ids


def _events(h: History, log: EventLog) -> None:
    code, unit = h.code, h.unit
    for c in h.commits:
        if c.kind == CREATE:
            log.add(c.when, c.author, "procedure.create", "procedure", code, f"Tạo quy trình {code}",
                    {"title": h.title, "revision": c.sha}, unit, msg={"code": code})
        elif c.kind == SAVE:
            log.add(c.when, c.author, "procedure.save", "procedure", code, f"Lưu dự thảo {code}",
                    {"revision": c.sha, "base": c.base, "message": c.message}, unit, msg={"code": code})
        elif c.kind == ISSUE:
            log.add(c.when, c.author, "procedure.issue", "procedure", code, f"Ban hành {code} lần {c.number}",
                    {"issue": c.number, "revision": c.sha, "effective_on": c.doc.effective_on.isoformat(),
                     "issued_on": c.doc.issued_on.isoformat(), "message": c.issue_text, "tag": c.tag,
                     "tag_object": c.tag_object}, unit, msg={"code": code, "issue": c.number})
    for s in h.submits + ([h.submitted] if h.submitted else []):
        log.add(s.when, s.actor, "procedure.submit", "procedure", code, f"Trình phê duyệt {code}",
                {"revision": h.commits[s.after].sha}, unit, msg={"code": code})
    w = h.withdrawal
    if w is not None:
        log.add(w.when, w.by, "procedure.withdraw", "procedure", code, f"Bãi bỏ {code}",
                {"reason": w.reason, "withdrawn_on": w.on.isoformat(), "tag": w.tag, "tag_object": w.tag_object},
                unit, msg={"code": code})
