"""The database mirror of the store: what lists and filters need, rebuilt from git by `qms fsck`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Unit, User
from app.extensions import db
from app.timeutil import utcnow

# status: the state of the procedure in force
DRAFT, ISSUED, WITHDRAWN = "draft", "issued", "withdrawn"
# draft_state: the state of the revision being prepared (None when there is none)
EDITING, SUBMITTED = "editing", "submitted"


class Procedure(db.Model):
    __tablename__ = "procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True)
    draft_state: Mapped[str | None] = mapped_column(String(12))
    current_revision: Mapped[str] = mapped_column(String(40))
    current_blob: Mapped[str] = mapped_column(String(40), default="")
    issued_revision: Mapped[str | None] = mapped_column(String(40))
    issued_blob: Mapped[str | None] = mapped_column(String(40))
    issue_number: Mapped[int] = mapped_column(Integer, default=0)
    issued_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    # the issue before the latest while the latest waits for its effective date (it stays in force until then)
    prior_revision: Mapped[str | None] = mapped_column(String(40))
    prior_blob: Mapped[str | None] = mapped_column(String(40))
    prior_issue_number: Mapped[int | None] = mapped_column(Integer)
    prior_issued_on: Mapped[date | None] = mapped_column(Date)
    prior_effective_on: Mapped[date | None] = mapped_column(Date)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")
    submitted_by: Mapped[User | None] = relationship()

    @property
    def unit_code(self) -> str:
        return self.unit.code

    @property
    def has_draft(self) -> bool:
        return self.draft_state is not None

    @property
    def in_force(self) -> bool:
        return self.status == ISSUED

    def is_pending(self, today: date) -> bool:
        """The latest issue is approved but its effective date has not come yet."""
        return self.status == ISSUED and self.effective_on is not None and self.effective_on > today

    def in_force_issue(self, today: date) -> "IssueView | None":
        """The issue whose text is in force on `today` (None: issued but not yet effective, or never issued)."""
        if self.issued_revision is None:
            return None
        if not self.is_pending(today):
            return IssueView(self.issued_revision, self.issued_blob, self.issue_number, self.issued_on,
                             self.effective_on)
        if self.prior_revision is None:
            return None
        return IssueView(self.prior_revision, self.prior_blob, self.prior_issue_number or 0, self.prior_issued_on,
                         self.prior_effective_on)

    def pending_issue(self, today: date) -> "IssueView | None":
        if not self.is_pending(today):
            return None
        return IssueView(self.issued_revision, self.issued_blob, self.issue_number, self.issued_on,
                         self.effective_on)

    def __repr__(self) -> str:
        return f"<Procedure {self.code} {self.status}>"


@dataclass(frozen=True)
class IssueView:
    revision: str
    blob: str | None
    number: int
    issued_on: date | None
    effective_on: date | None


class ProcedureRevision(db.Model):
    """One commit of the store touching a procedure; issue data when the commit was issued."""

    __tablename__ = "procedure_revision"
    __table_args__ = (UniqueConstraint("procedure_id", "sha"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    sha: Mapped[str] = mapped_column(String(40), index=True)
    authored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author_name: Mapped[str] = mapped_column(String(200))
    author_email: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text, default="")
    issue_number: Mapped[int | None] = mapped_column(Integer)
    issued_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    approver_name: Mapped[str | None] = mapped_column(String(200))
    issue_message: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    procedure: Mapped[Procedure] = relationship()

    @property
    def summary(self) -> str:
        return (self.message or "").split("\n", 1)[0]
