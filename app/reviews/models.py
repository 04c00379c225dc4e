"""The yearly review (Objective 4): cycles, one review per procedure and cycle, and the reminder log."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Unit, User
from app.extensions import db
from app.procedures.models import Procedure
from app.timeutil import utcnow

# cycle status
OPEN, CLOSED = "open", "closed"
# review status: pending -> recorded -> confirmed -> accepted, or returned (back to the unit)
PENDING, RECORDED, CONFIRMED, ACCEPTED, RETURNED = "pending", "recorded", "confirmed", "accepted", "returned"
STATUSES = (PENDING, RECORDED, CONFIRMED, ACCEPTED, RETURNED)
# review outcome
MAINTAINED, UPDATED, WITHDRAW = "maintained", "updated", "withdraw"
OUTCOMES = (MAINTAINED, UPDATED, WITHDRAW)
# where the result came from: the unit's review, or an issued revision that counts by itself
SOURCE_UNIT, SOURCE_ISSUE = "unit", "issue"


class ReviewCycle(db.Model):
    __tablename__ = "review_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(10), default=OPEN, index=True)
    deadline: Mapped[date] = mapped_column(Date)
    meeting_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the local date the results were frozen on: withdrawals after it no longer change them
    closed_on: Mapped[date | None] = mapped_column(Date)

    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def __repr__(self) -> str:
        return f"<ReviewCycle {self.year} {self.status}>"


class Review(db.Model):
    """A unit's review of one procedure in one cycle; at most one per (cycle, procedure)."""

    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("cycle_id", "procedure_id", name="uq_review_cycle_procedure"),
        Index("ix_review_cycle_unit_status", "cycle_id", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("review_cycle.id", ondelete="CASCADE"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    # the unit responsible for this review (the owner unit; follows a transfer while the review is open)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    outcome: Mapped[str | None] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_UNIT)
    note: Mapped[str] = mapped_column(Text, default="")
    # the revision the result is tied to: the text the unit read (maintained) or the new one (updated)
    revision: Mapped[str | None] = mapped_column(String(40))
    issue_number: Mapped[int | None] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    return_comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cycle: Mapped[ReviewCycle] = relationship()
    procedure: Mapped[Procedure] = relationship()
    unit: Mapped[Unit] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])

    @property
    def unit_code(self) -> str:
        """What the permission predicates read: the unit that owns this review."""
        return self.unit.code

    @property
    def key(self) -> str:
        return f"{self.cycle.year}/{self.procedure.code}"

    def __repr__(self) -> str:
        return f"<Review {self.cycle_id}:{self.procedure_id} {self.status}>"


class ReminderLog(db.Model):
    """One row per unit and day a digest was sent: `qms remind` run twice the same day sends once."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("unit_id", "day", name="uq_reminder_log_unit_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recipients: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[int] = mapped_column(Integer, default=0)

    unit: Mapped[Unit] = relationship()
