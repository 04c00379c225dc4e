"""Reads of the register: the filtered list, and the changes of a period (for the management review's inputs)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, func, or_, select

from app.extensions import db
from app.legal.models import ISSUED_TEXT, ChangeReview, LegalChange, LegalDocument, ProcedureCitation
from app.legal.numbers import KINDS, fold
from app.legal.rules import STATUSES
from app.procedures.models import Procedure

SORTS = {"number": (LegalDocument.key,), "signed": (LegalDocument.signed_on.desc(), LegalDocument.key),
         "-signed": (LegalDocument.signed_on, LegalDocument.key), "kind": (LegalDocument.kind, LegalDocument.key)}


def register_statement(*, kind: str = "", status: str = "", year: str = "", cited: str = "", q: str = ""):
    """Documents filtered by kind, status, year signed, cited by a procedure's text or not, and words."""
    stmt = select(LegalDocument)
    if kind in KINDS:
        stmt = stmt.where(LegalDocument.kind == kind)
    if status in STATUSES:
        stmt = stmt.where(LegalDocument.status == status)
    if year and year.isdigit():
        stmt = stmt.where(LegalDocument.year == int(year))
    is_cited = exists().where(ProcedureCitation.key == LegalDocument.key, ProcedureCitation.variant == ISSUED_TEXT)
    if cited == "yes":
        stmt = stmt.where(is_cited)
    elif cited == "no":
        stmt = stmt.where(~is_cited)
    q = (q or "").strip()
    if q:
        like = f"%{q}%"
        folded = f"%{fold(q)}%"
        stmt = stmt.where(or_(LegalDocument.number.ilike(like), LegalDocument.key.ilike(folded),
                              LegalDocument.title.ilike(like), LegalDocument.issuer.ilike(like)))
    return stmt.order_by(LegalDocument.signed_on.desc().nulls_last(), LegalDocument.key)


def years() -> list[int]:
    return [y for y in db.session.scalars(select(LegalDocument.year).distinct().order_by(LegalDocument.year.desc()))
            if y]


def citing_counts(keys: list[str]) -> dict[str, int]:
    """How many procedures' issued texts cite each key."""
    if not keys:
        return {}
    rows = db.session.execute(select(ProcedureCitation.key, ProcedureCitation.procedure_id)
                              .where(ProcedureCitation.key.in_(keys), ProcedureCitation.variant == ISSUED_TEXT)).all()
    out: dict[str, set] = {}
    for key, pid in rows:
        out.setdefault(key, set()).add(pid)
    return {k: len(v) for k, v in out.items()}


def citing_all(doc: LegalDocument, limit: int = 100) -> tuple[int, list[tuple[Procedure, str]]]:
    """How many procedures' issued texts or drafts cite the document, and the first `limit` (procedure, variant)."""
    pairs = (select(ProcedureCitation.procedure_id, ProcedureCitation.variant)
             .where(ProcedureCitation.key == doc.key).distinct().subquery())
    total = db.session.scalar(select(func.count()).select_from(pairs)) or 0
    rows = db.session.execute(select(Procedure, pairs.c.variant).join(pairs, pairs.c.procedure_id == Procedure.id)
                              .order_by(Procedure.code, pairs.c.variant).limit(limit)).all()
    return total, [(p, v) for p, v in rows]


@dataclass
class PeriodChange:
    """One change of a legal document recorded in a period, and what it set off."""

    change: LegalChange
    reviews: list[ChangeReview] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.reviews if r.status == "done")


def changes_between(start: date, end: date) -> list[PeriodChange]:
    """The legal changes recorded from `start` to `end` (inclusive), oldest first, each with its flagged
    procedures' reviews: what the management review reads as "changes in external issues" (9.3.2 b)."""
    changes = db.session.scalars(select(LegalChange).where(LegalChange.recorded_on.between(start, end))
                                 .order_by(LegalChange.recorded_on, LegalChange.id)).all()
    out = [PeriodChange(c) for c in changes]
    if not out:
        return out
    by_id = {p.change.id: p for p in out}
    for cr in db.session.scalars(select(ChangeReview).join(ChangeReview.procedure)
                                 .where(ChangeReview.change_id.in_(list(by_id))).order_by(Procedure.code)):
        by_id[cr.change_id].reviews.append(cr)
    return out


def changes_for_pack(start: date, end: date) -> list[dict]:
    """The same as plain data (JSON-ready: ISO dates, codes), for an input pack that is frozen when issued."""
    out = []
    for pc in changes_between(start, end):
        c = pc.change
        out.append({
            "document": c.document.number, "kind": c.document.kind, "title": c.document.title, "change": c.kind,
            "by": c.by_document.number if c.by_document else None,
            "effective_on": c.effective_on.isoformat() if c.effective_on else None,
            "recorded_on": c.recorded_on.isoformat(), "due_on": c.due_on.isoformat(), "note": c.note,
            "url": f"/legal/changes/{c.id}",
            "procedures": [{"code": r.procedure.code, "unit": r.unit.code, "status": r.status, "outcome": r.outcome,
                            "done_on": r.done_on.isoformat() if r.done_on else None} for r in pc.reviews],
        })
    return out
