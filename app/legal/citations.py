"""Procedures' legal bases mirrored with their keys, matched to the register, and entries created from them.

The store keeps the bases as the free text people typed; this mirror (rebuilt after every sync of a procedure,
and whole by `qms legal-match`) is what links a line to a register entry: equal normalised keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select

from app.extensions import db
from app.legal.models import DRAFT_TEXT, ISSUED_TEXT, LegalDocument, ProcedureCitation
from app.legal.numbers import parse_citation
from app.procedures.models import WITHDRAWN, Procedure
from app.store import ProcedureStore


def _wanted(st: ProcedureStore, proc: Procedure) -> list[tuple[str, int, str, str | None]]:
    rows = []
    variants = []
    if proc.issued_revision:
        variants.append((ISSUED_TEXT, proc.issued_revision))
    if proc.status != WITHDRAWN and proc.current_revision and proc.current_revision != proc.issued_revision:
        variants.append((DRAFT_TEXT, proc.current_revision))
    for variant, revision in variants:
        for i, text in enumerate(st.read(proc.code, revision).document.legal_bases):
            rows.append((variant, i, text, parse_citation(text).key))
    return rows


def sync_citations(st: ProcedureStore, proc: Procedure) -> bool:
    """Make the procedure's citation rows equal its texts; True when something changed."""
    wanted = _wanted(st, proc)
    existing = db.session.scalars(select(ProcedureCitation).where(ProcedureCitation.procedure_id == proc.id)).all()
    have = sorted((c.variant, c.position, c.text, c.key) for c in existing)
    if have == sorted(wanted):
        return False
    db.session.execute(delete(ProcedureCitation).where(ProcedureCitation.procedure_id == proc.id))
    for variant, position, text, key in wanted:
        db.session.add(ProcedureCitation(procedure_id=proc.id, variant=variant, position=position, text=text, key=key))
    db.session.flush()
    return True


def on_sync(st: ProcedureStore, proc: Procedure) -> None:
    sync_citations(st, proc)


@dataclass
class Basis:
    """One line of a procedure's bases and the register entry it links to (None when unmatched)."""

    text: str
    key: str | None
    document: LegalDocument | None


def bases_of(proc: Procedure, variant: str = ISSUED_TEXT) -> list[Basis]:
    rows = db.session.execute(
        select(ProcedureCitation, LegalDocument).outerjoin(LegalDocument, LegalDocument.key == ProcedureCitation.key)
        .where(ProcedureCitation.procedure_id == proc.id, ProcedureCitation.variant == variant)
        .order_by(ProcedureCitation.position)).all()
    return [Basis(c.text, c.key, d) for c, d in rows]


@dataclass
class Unmatched:
    text: str
    key: str | None
    procedures: list[str] = field(default_factory=list)


def unmatched() -> list[Unmatched]:
    """Legal bases (of any procedure's text) that no register entry matches, with the procedures citing them."""
    rows = db.session.execute(
        select(ProcedureCitation.text, ProcedureCitation.key, Procedure.code)
        .join(Procedure, Procedure.id == ProcedureCitation.procedure_id)
        .outerjoin(LegalDocument, LegalDocument.key == ProcedureCitation.key)
        .where(LegalDocument.id.is_(None)).order_by(ProcedureCitation.text, Procedure.code)).all()
    out: dict[str, Unmatched] = {}
    for text, key, code in rows:
        item = out.setdefault(key or f"text:{text}", Unmatched(text, key))
        if len(text) > len(item.text):  # the fullest wording says the most (date, issuer, subject)
            item.text = text
        if code not in item.procedures:
            item.procedures.append(code)
    return sorted(out.values(), key=lambda u: (u.key is None, u.text))


def rebuild_all(st: ProcedureStore) -> int:
    """Re-read every procedure's bases from the store; returns how many procedures changed."""
    changed = 0
    for proc in db.session.scalars(select(Procedure).order_by(Procedure.code)):
        changed += sync_citations(st, proc)
    return changed
