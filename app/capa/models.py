"""CAPA records: the per-year counter, the record, its actions, linked procedures and verifications."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Unit, User
from app.extensions import db
from app.procedures.models import Procedure
from app.timeutil import utcnow

CORRECTIVE, PREVENTIVE = "corrective", "preventive"
KINDS = (CORRECTIVE, PREVENTIVE)
SOURCES = ("objective", "review", "audit", "complaint", "management_review", "other")

PROPOSED, OPEN, ANALYSED, PLANNED, IN_PROGRESS = "proposed", "open", "analysed", "planned", "in_progress"
VERIFIED, CLOSED, CANCELLED = "verified", "closed", "cancelled"
STATUSES = (PROPOSED, OPEN, ANALYSED, PLANNED, IN_PROGRESS, VERIFIED, CLOSED, CANCELLED)
TERMINAL = (CLOSED, CANCELLED)
# states in which the responsible unit may still add actions
PLANNING_STATES = (ANALYSED, PLANNED, IN_PROGRESS)


class CapaCounter(db.Model):
    """The last number given in a year: incremented inside the creating transaction, so no gaps."""

    __tablename__ = "capa_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Capa(db.Model):
    __tablename__ = "capa"
    __table_args__ = (UniqueConstraint("year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=PROPOSED, index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # the yearly review this record came from (kept, as a plain number gone, if the review is ever deleted)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"), index=True)
    # the internal audit finding (a nonconformity) this record was raised from; the finding reads it back
    audit_finding_id: Mapped[int | None] = mapped_column(ForeignKey("audit_finding.id", ondelete="SET NULL"),
                                                         index=True, unique=True)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    root_cause: Mapped[str] = mapped_column(Text, default="")
    similar_elsewhere: Mapped[bool | None] = mapped_column(Boolean)
    similar_note: Mapped[str] = mapped_column(Text, default="")
    analysed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # two people acting on the same record at once: the second write fails instead of overwriting
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit | None] = relationship(lazy="joined")
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    actions: Mapped[list["CapaAction"]] = relationship(back_populates="capa", order_by="CapaAction.seq",
                                                       cascade="all, delete-orphan")
    links: Mapped[list["CapaProcedure"]] = relationship(back_populates="capa", order_by="CapaProcedure.id",
                                                        cascade="all, delete-orphan")
    verifications: Mapped[list["CapaVerification"]] = relationship(
        back_populates="capa", order_by="CapaVerification.id", cascade="all, delete-orphan")

    @property
    def unit_code(self) -> str | None:
        return self.unit.code if self.unit else None

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def open_actions(self) -> list["CapaAction"]:
        return [a for a in self.actions if a.is_open]

    @property
    def latest_verification(self) -> "CapaVerification | None":
        return self.verifications[-1] if self.verifications else None

    def overdue_actions(self, today: date) -> list["CapaAction"]:
        if self.is_terminal:
            return []
        return [a for a in self.actions if a.is_overdue(today)]

    def __repr__(self) -> str:
        return f"<Capa {self.number} {self.status}>"


class CapaAction(db.Model):
    __tablename__ = "capa_action"
    __table_args__ = (UniqueConstraint("capa_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    capa_id: Mapped[int] = mapped_column(ForeignKey("capa.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    capa: Mapped[Capa] = relationship(back_populates="actions")
    owner_unit: Mapped[Unit | None] = relationship(lazy="joined")
    owner_user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today

    @property
    def owner_label(self) -> str:
        parts = []
        if self.owner_user is not None:
            parts.append(self.owner_user.full_name)
        if self.owner_unit is not None:
            parts.append(self.owner_unit.code)
        return " – ".join(parts)

    # permission predicates read unit_code: the action's owner unit
    @property
    def unit_code(self) -> str | None:
        return self.owner_unit.code if self.owner_unit else None


class CapaProcedure(db.Model):
    """A procedure the record concerns, with the revision that was in force when it was linked."""

    __tablename__ = "capa_procedure"
    __table_args__ = (UniqueConstraint("capa_id", "procedure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    capa_id: Mapped[int] = mapped_column(ForeignKey("capa.id", ondelete="CASCADE"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    revision: Mapped[str | None] = mapped_column(String(40))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    capa: Mapped[Capa] = relationship(back_populates="links")
    procedure: Mapped[Procedure] = relationship(lazy="joined")


class CapaVerification(db.Model):
    """One check of effectiveness; a "not effective" one sends the record back to planning."""

    __tablename__ = "capa_verification"

    id: Mapped[int] = mapped_column(primary_key=True)
    capa_id: Mapped[int] = mapped_column(ForeignKey("capa.id", ondelete="CASCADE"), index=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_on: Mapped[date] = mapped_column(Date)
    effective: Mapped[bool] = mapped_column(Boolean)
    evidence: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    capa: Mapped[Capa] = relationship(back_populates="verifications")
    verified_by: Mapped[User | None] = relationship(lazy="joined")
