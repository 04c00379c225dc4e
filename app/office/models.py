"""Controlled copies handed to units (the distribution register) and read-and-acknowledge records."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Unit, User
from app.extensions import db
from app.procedures.models import Procedure
from app.timeutil import utcnow

# a controlled copy is held by its unit until a newer issue (or a withdrawal) asks for it back
HELD, TO_RECALL, RETURNED = "held", "to_recall", "returned"


class ControlledCopy(db.Model):
    """Bản kiểm soát số N of one issue of a procedure, issued to a unit."""

    __tablename__ = "controlled_copy"
    __table_args__ = (UniqueConstraint("procedure_id", "issue_number", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    issue_number: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=HELD, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recall_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    procedure: Mapped[Procedure] = relationship()
    unit: Mapped[Unit] = relationship(lazy="joined")
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])


class AckScope(db.Model):
    """A unit whose people must confirm they have read an issue (the owner unit, or named by the approver)."""

    __tablename__ = "ack_scope"
    __table_args__ = (UniqueConstraint("procedure_id", "issue_number", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    issue_number: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")


class Acknowledgement(db.Model):
    """"Đã đọc và hiểu": one per person per issue, written once and never edited."""

    __tablename__ = "acknowledgement"
    __table_args__ = (UniqueConstraint("procedure_id", "issue_number", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    issue_number: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
