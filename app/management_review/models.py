"""A management review meeting, its input pack (frozen when held) and its outputs (decisions and actions)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.auth.models import Unit, User
from app.capa.models import Capa
from app.extensions import db
from app.procedures.models import Procedure
from app.timeutil import utcnow

# meeting status: planned -> held (inputs frozen) -> approved (minutes approved by leadership)
PLANNED, HELD, APPROVED = "planned", "held", "approved"
STATUSES = (PLANNED, HELD, APPROVED)
# output kinds (ISO 9001 9.3.3) and states
IMPROVEMENT, CHANGE, RESOURCES, OTHER = "improvement", "change", "resources", "other"
OUTPUT_KINDS = (IMPROVEMENT, CHANGE, RESOURCES, OTHER)
OUTPUT_OPEN, OUTPUT_DONE, OUTPUT_CANCELLED = "open", "done", "cancelled"


class ManagementReview(db.Model):
    __tablename__ = "management_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(300))
    meeting_on: Mapped[date] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200), default="")
    chair_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    attendees: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=PLANNED, index=True)
    minutes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    held_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    chair: Mapped[User] = relationship(foreign_keys=[chair_id], lazy="joined")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    inputs: Mapped[list["ReviewInput"]] = relationship(back_populates="review", cascade="all, delete-orphan",
                                                       order_by="ReviewInput.seq")
    outputs: Mapped[list["ReviewOutput"]] = relationship(back_populates="review", cascade="all, delete-orphan",
                                                         order_by="ReviewOutput.seq")

    @property
    def inputs_frozen(self) -> bool:
        return self.status in (HELD, APPROVED)

    def input(self, key: str) -> "ReviewInput | None":
        return next((i for i in self.inputs if i.key == key), None)


class ReviewInput(db.Model):
    """One item of the input pack: the system's figures (frozen when held) and the secretary's text."""

    __tablename__ = "management_review_input"
    __table_args__ = (UniqueConstraint("review_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("management_review.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict | None] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text, default="")
    frozen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    review: Mapped[ManagementReview] = relationship(back_populates="inputs")


class ReviewOutput(db.Model):
    """A decision or action of the review, with its owner and due date; open ones feed the next review."""

    __tablename__ = "management_review_output"
    __table_args__ = (UniqueConstraint("review_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("management_review.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id"))
    status: Mapped[str] = mapped_column(String(12), default=OUTPUT_OPEN, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text, default="")
    capa_id: Mapped[int | None] = mapped_column(ForeignKey("capa.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    review: Mapped[ManagementReview] = relationship(back_populates="outputs")
    owner_unit: Mapped[Unit | None] = relationship(lazy="joined")
    owner_user: Mapped[User | None] = relationship(lazy="joined")
    procedure: Mapped[Procedure | None] = relationship(lazy="joined")
    capa: Mapped[Capa | None] = relationship(
        lazy="joined", backref=backref("management_review_output", uselist=False, lazy="selectin"))

    @property
    def is_open(self) -> bool:
        return self.status == OUTPUT_OPEN

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today

    @property
    def unit_code(self) -> str | None:
        return self.owner_unit.code if self.owner_unit else None

    @property
    def owner_label(self) -> str:
        parts = [p for p in ((self.owner_user.full_name if self.owner_user else None),
                             (self.owner_unit.code if self.owner_unit else None)) if p]
        return " – ".join(parts)
