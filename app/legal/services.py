"""The register's rules: enter and edit documents, relate them, record changes and flag the procedures citing them.

Every function takes the acting user, writes its audit event beside the change, flushes and never commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select

from app.audit.services import record as audit
from app.extensions import db
from app.legal import permissions as perm
from app.legal.models import (ISSUED_TEXT, PENDING, ChangeReview, LegalChange, LegalDocument, LegalRelation,
                              ProcedureCitation)
from app.legal.numbers import KINDS, document_key, tidy_number
from app.legal.rules import CHANGE_OF, CHANGES, GUIDES, IN_FORCE, RELATION_OF, RELATIONS, accepts_changes, \
    review_due, status_after
from app.auth.models import Unit
from app.procedures.models import ISSUED, Procedure
from app.timeutil import local_today, utcnow

DEFAULT_REVIEW_DAYS = 30
TITLE_MAX = 1000


class LegalError(Exception):
    """A request the register's rules refuse; `key` names the message, `field` the form field."""

    def __init__(self, key: str, field: str | None = None, **params):
        super().__init__(key)
        self.key, self.field, self.params = key, field, params


def _allow(ok: bool) -> None:
    if not ok:
        raise LegalError("forbidden")


# -- reads ---------------------------------------------------------------------------------------
def get(doc_id: int) -> LegalDocument | None:
    return db.session.get(LegalDocument, doc_id)


def by_key(key: str | None) -> LegalDocument | None:
    if not key:
        return None
    return db.session.scalar(select(LegalDocument).where(LegalDocument.key == key))


def find(number_text: str) -> LegalDocument | None:
    """The register entry a number as written refers to (any spelling), or None."""
    key = document_key(number_text)
    doc = by_key(key)
    if doc is None and key and key.count("/") == 1:
        # a number written without its year: unique among the entries of any year
        num, symbol = key.split("/")
        rows = db.session.scalars(select(LegalDocument).where(LegalDocument.key.like(f"{num}/%/{symbol}"))).all()
        doc = rows[0] if len(rows) == 1 else None
    return doc


# -- documents -----------------------------------------------------------------------------------
@dataclass
class DocumentData:
    number: str
    kind: str
    title: str
    issuer: str = ""
    signed_on: date | None = None
    effective_on: date | None = None
    note: str = ""

    def cleaned(self) -> "DocumentData":
        number = tidy_number(self.number or "")
        if not number:
            raise LegalError("number_required", "number")
        if len(number) > 80:
            raise LegalError("number_too_long", "number")
        if self.kind not in KINDS:
            raise LegalError("bad_kind", "kind")
        title = " ".join((self.title or "").split())
        if not title:
            raise LegalError("title_required", "title")
        if len(title) > TITLE_MAX:
            raise LegalError("title_too_long", "title", limit=TITLE_MAX)
        issuer = " ".join((self.issuer or "").split())
        if len(issuer) > 200:
            raise LegalError("issuer_too_long", "issuer")
        if self.signed_on and self.effective_on and self.effective_on < self.signed_on:
            raise LegalError("effective_before_signed", "effective_on")
        return DocumentData(number, self.kind, title, issuer, self.signed_on, self.effective_on,
                            (self.note or "").strip())


def _key_of(data: DocumentData) -> str:
    key = document_key(data.number, data.signed_on)
    if key is None:
        raise LegalError("number_unreadable", "number")
    return key


def _year(data: DocumentData, key: str) -> int | None:
    if data.signed_on:
        return data.signed_on.year
    parts = key.split("/")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def _snapshot(doc: LegalDocument) -> dict:
    return {"number": doc.number, "kind": doc.kind, "title": doc.title, "issuer": doc.issuer,
            "signed_on": doc.signed_on and doc.signed_on.isoformat(),
            "effective_on": doc.effective_on and doc.effective_on.isoformat(), "status": doc.status}


def _audit_doc(actor, action: str, doc: LegalDocument, summary: str, payload: dict | None = None) -> None:
    audit(actor, action, "legal_document", str(doc.id), summary, payload)


def create_document(actor, data: DocumentData, *, source: str = "form") -> LegalDocument:
    _allow(perm.can_manage_legal(actor))
    data = data.cleaned()
    key = _key_of(data)
    existing = by_key(key)
    if existing is not None:
        raise LegalError("duplicate", "number", number=existing.number)
    now = utcnow()
    doc = LegalDocument(number=data.number, key=key, kind=data.kind, title=data.title, issuer=data.issuer,
                        signed_on=data.signed_on, year=_year(data, key), effective_on=data.effective_on,
                        note=data.note, status=IN_FORCE, created_by_id=getattr(actor, "id", None),
                        created_at=now, updated_at=now)
    db.session.add(doc)
    db.session.flush()
    _audit_doc(actor, "legal.create", doc, f"Thêm văn bản {doc.number} vào danh mục",
               dict(_snapshot(doc), key=key, source=source))
    return doc


def update_document(actor, doc: LegalDocument, data: DocumentData) -> LegalDocument:
    _allow(perm.can_manage_legal(actor))
    data = data.cleaned()
    key = _key_of(data)
    other = by_key(key)
    if other is not None and other.id != doc.id:
        raise LegalError("duplicate", "number", number=other.number)
    before = _snapshot(doc)
    doc.number, doc.key, doc.kind, doc.title, doc.issuer = data.number, key, data.kind, data.title, data.issuer
    doc.signed_on, doc.effective_on, doc.note, doc.year = data.signed_on, data.effective_on, data.note, _year(data, key)
    doc.updated_at = utcnow()
    after = _snapshot(doc)
    if after != before:
        _audit_doc(actor, "legal.update", doc, f"Sửa thông tin văn bản {doc.number}", {"before": before, "after": after})
    db.session.flush()
    return doc


# -- relations and changes -----------------------------------------------------------------------
def _relation(actor, source: LegalDocument, target: LegalDocument, kind: str) -> LegalRelation:
    rel = db.session.scalar(select(LegalRelation).where(LegalRelation.source_id == source.id,
                                                        LegalRelation.target_id == target.id,
                                                        LegalRelation.kind == kind))
    if rel is None:
        rel = LegalRelation(source=source, target=target, kind=kind, created_by_id=getattr(actor, "id", None),
                            created_at=utcnow())
        db.session.add(rel)
        db.session.flush()
    return rel


def add_relation(actor, source: LegalDocument, kind: str, target: LegalDocument, *, effective_on: date | None = None,
                 note: str = "", review_days: int = DEFAULT_REVIEW_DAYS, today: date | None = None):
    """`source` amends / replaces / repeals / guides `target`; all but guiding record a change on the target."""
    _allow(perm.can_manage_legal(actor))
    if kind not in RELATIONS:
        raise LegalError("bad_relation", "relation")
    if source.id == target.id:
        raise LegalError("self_relation", "target")
    if kind == GUIDES:
        exists = db.session.scalar(select(LegalRelation.id).where(
            LegalRelation.source_id == source.id, LegalRelation.target_id == target.id, LegalRelation.kind == kind))
        if exists:
            raise LegalError("relation_exists", "target")
        rel = _relation(actor, source, target, kind)
        _audit_doc(actor, "legal.relate", target, f"{source.number} hướng dẫn {target.number}",
                   {"source": source.number, "kind": kind, "target": target.number})
        return rel
    return record_change(actor, target, CHANGE_OF[kind], by_document=source,
                         effective_on=effective_on or source.effective_on, note=note, review_days=review_days,
                         today=today)


def citing_procedures(doc: LegalDocument, in_force_only: bool = True) -> list[Procedure]:
    """Procedures whose issued text cites the document (once each), in force only by default."""
    stmt = (select(Procedure).where(Procedure.id.in_(
        select(ProcedureCitation.procedure_id).where(ProcedureCitation.key == doc.key,
                                                     ProcedureCitation.variant == ISSUED_TEXT)))
            .order_by(Procedure.code))
    if in_force_only:
        stmt = stmt.where(Procedure.status == ISSUED)
    return list(db.session.scalars(stmt))


def record_change(actor, doc: LegalDocument, kind: str, *, by_document: LegalDocument | None = None,
                  effective_on: date | None = None, note: str = "", review_days: int = DEFAULT_REVIEW_DAYS,
                  today: date | None = None, now: datetime | None = None) -> LegalChange:
    """Record that `doc` is amended / partly replaced / replaced / repealed, and give every procedure in force that
    cites it one change-triggered review, for its owner unit, due before the change takes effect."""
    _allow(perm.can_manage_legal(actor))
    if kind not in CHANGES:
        raise LegalError("bad_change", "kind")
    if not accepts_changes(doc.status):
        raise LegalError("no_longer_in_force", "kind", number=doc.number)
    if by_document is not None:
        if by_document.id == doc.id:
            raise LegalError("self_relation", "by_number")
        same = db.session.scalar(select(LegalChange.id).where(
            LegalChange.document_id == doc.id, LegalChange.by_document_id == by_document.id, LegalChange.kind == kind))
        if same:
            raise LegalError("change_exists", "by_number", number=by_document.number)
    now = now or utcnow()
    today = today or local_today(now)
    if by_document is None and db.session.scalar(select(LegalChange.id).where(
            LegalChange.document_id == doc.id, LegalChange.kind == kind, LegalChange.by_document_id.is_(None),
            LegalChange.recorded_on == today, LegalChange.effective_on.is_(effective_on) if effective_on is None
            else LegalChange.effective_on == effective_on)):
        raise LegalError("change_recorded_today", "kind")  # a second click, not a second change
    due = review_due(today, effective_on, review_days)
    old = doc.status
    change = LegalChange(document=doc, kind=kind, old_status=old, new_status=status_after(old, kind),
                         by_document=by_document, effective_on=effective_on, recorded_on=today, due_on=due,
                         note=(note or "").strip(), recorded_by_id=getattr(actor, "id", None), recorded_at=now)
    db.session.add(change)
    doc.status, doc.updated_at = change.new_status, now
    if by_document is not None:
        _relation(actor, by_document, doc, RELATION_OF[kind])
    db.session.flush()
    flagged = db.session.execute(
        select(Procedure.id, Procedure.code, Procedure.unit_id, Unit.code.label("unit_code"))
        .join(Unit, Unit.id == Procedure.unit_id)
        .where(Procedure.id.in_(select(ProcedureCitation.procedure_id).where(
            ProcedureCitation.key == doc.key, ProcedureCitation.variant == ISSUED_TEXT)), Procedure.status == ISSUED)
        .order_by(Procedure.code)).all()
    if flagged:  # one statement, whatever the number of procedures (3000 took 33 s row by row)
        db.session.execute(insert(ChangeReview), [
            dict(change_id=change.id, procedure_id=p.id, unit_id=p.unit_id, status=PENDING, due_on=due, note="",
                 updated_at=now) for p in flagged])
    _audit_doc(actor, "legal.change", doc, f"Ghi nhận thay đổi của văn bản {doc.number}: {kind}",
               {"change": change.id, "kind": kind, "from": old, "to": change.new_status,
                "by": by_document.number if by_document else None,
                "effective_on": effective_on and effective_on.isoformat(), "due_on": due.isoformat(),
                "note": change.note, "procedures": [p.code for p in flagged]})
    by_unit: dict[str, list[str]] = {}
    for p in flagged:
        by_unit.setdefault(p.unit_code, []).append(p.code)
    for unit_code, codes in sorted(by_unit.items()):  # one event per unit, in that unit's history
        audit(actor, "change_review.flag", "legal_change", str(change.id),
              f"{len(codes)} quy trình của {unit_code} cần rà soát do văn bản {doc.number} thay đổi",
              {"document": doc.number, "kind": kind, "due_on": due.isoformat(), "procedures": codes},
              unit_code=unit_code)
    return change


def changes_of(doc: LegalDocument) -> list[LegalChange]:
    return list(db.session.scalars(select(LegalChange).where(LegalChange.document_id == doc.id)
                                   .order_by(LegalChange.recorded_at, LegalChange.id)))


def relations_of(doc: LegalDocument) -> tuple[list[LegalRelation], list[LegalRelation]]:
    """(what this document does to others, what others do to it)."""
    outgoing = db.session.scalars(select(LegalRelation).where(LegalRelation.source_id == doc.id)
                                  .order_by(LegalRelation.id)).all()
    incoming = db.session.scalars(select(LegalRelation).where(LegalRelation.target_id == doc.id)
                                  .order_by(LegalRelation.id)).all()
    return list(outgoing), list(incoming)
