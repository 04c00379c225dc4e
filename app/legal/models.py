"""The register of legal documents, their relations and status history, procedures' citations of them,
and the change-triggered reviews a change gives the owner units of the procedures that cite it."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Unit, User
from app.extensions import db
from app.legal.rules import IN_FORCE
from app.procedures.models import Procedure
from app.timeutil import utcnow

# change-triggered review status: the unit records; "maintained"/"withdraw" wait for the head's confirmation,
# "updated" waits for the new issue; done counts as the year's review; closed when the procedure was withdrawn
PENDING, RECORDED, AWAITING_ISSUE, DONE, CLOSED = "pending", "recorded", "awaiting_issue", "done", "closed"
OPEN_STATUSES = (PENDING, RECORDED, AWAITING_ISSUE)
# which text of a procedure a citation row mirrors
ISSUED_TEXT, DRAFT_TEXT = "issued", "draft"


class LegalDocument(db.Model):
    __tablename__ = "legal_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))          # as written: 61/2018/NĐ-CP
    key: Mapped[str] = mapped_column(String(120), unique=True)  # normalised: 61/2018/ND-CP
    kind: Mapped[str] = mapped_column(String(20), index=True)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    signed_on: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    effective_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=IN_FORCE, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<LegalDocument {self.number} {self.status}>"


class LegalRelation(db.Model):
    """source <kind> target, e.g. 107/2021/NĐ-CP amends 61/2018/NĐ-CP."""

    __tablename__ = "legal_relation"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "kind", name="uq_legal_relation_source_target_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("legal_document.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("legal_document.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    source: Mapped[LegalDocument] = relationship(foreign_keys=[source_id])
    target: Mapped[LegalDocument] = relationship(foreign_keys=[target_id])


class LegalChange(db.Model):
    """A recorded change of a document's status (its history); each one flags the procedures citing it once."""

    __tablename__ = "legal_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("legal_document.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))            # amended, partly_replaced, replaced, repealed
    old_status: Mapped[str] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    by_document_id: Mapped[int | None] = mapped_column(ForeignKey("legal_document.id", ondelete="SET NULL"),
                                                       index=True)
    effective_on: Mapped[date | None] = mapped_column(Date)
    recorded_on: Mapped[date] = mapped_column(Date, index=True)
    due_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    document: Mapped[LegalDocument] = relationship(foreign_keys=[document_id])
    by_document: Mapped[LegalDocument | None] = relationship(foreign_keys=[by_document_id])
    recorded_by: Mapped[User | None] = relationship()


class ProcedureCitation(db.Model):
    """One legal basis line of a procedure's text, mirrored from the store with its normalised key.

    The link to the register is the key: a document entered later links the lines that cite it at once.
    """

    __tablename__ = "procedure_citation"
    __table_args__ = (UniqueConstraint("procedure_id", "variant", "position",
                                       name="uq_procedure_citation_procedure_variant_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    variant: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    key: Mapped[str | None] = mapped_column(String(120), index=True)

    procedure: Mapped[Procedure] = relationship()


class ChangeReview(db.Model):
    """The owner unit's review of one procedure because of one change: at most one per (change, procedure)."""

    __tablename__ = "change_review"
    __table_args__ = (UniqueConstraint("change_id", "procedure_id", name="uq_change_review_change_procedure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("legal_change.id", ondelete="CASCADE"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    due_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[str | None] = mapped_column(String(40))
    issue_number: Mapped[int | None] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_on: Mapped[date | None] = mapped_column(Date)
    # the yearly review (Objective 4) this one counted for, when a cycle was open
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    change: Mapped[LegalChange] = relationship()
    procedure: Mapped[Procedure] = relationship()
    unit: Mapped[Unit] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @property
    def unit_code(self) -> str:
        """What the permission predicates read."""
        return self.unit.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
