"""The yearly report on the QMS (editable until finalised, then kept as issued) and conformity announcements."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.timeutil import utcnow

DRAFT, FINAL = "draft", "final"


class YearlyReport(db.Model):
    __tablename__ = "yearly_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    number: Mapped[str] = mapped_column(String(60), default="")
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    # the figures as they were when finalised (None while a draft: the page reads live data)
    data: Mapped[dict | None] = mapped_column(JSON)
    docx: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id])

    @property
    def is_final(self) -> bool:
        return self.status == FINAL


class Announcement(db.Model):
    """The head of the agency's decision announcing the QMS conformant to TCVN ISO 9001, with its scope."""

    __tablename__ = "conformity_announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    signed_on: Mapped[date] = mapped_column(Date, index=True)
    signer: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    # [{"code", "title", "issue_number"}] of the procedures in force it covers
    scope: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
