"""The audit programme of a year, its audits, their team, pinned scope, checklist and findings."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.auth.models import Unit, User
from app.capa.models import Capa
from app.extensions import db
from app.procedures.models import Procedure
from app.timeutil import utcnow

# programme status
DRAFT, APPROVED = "draft", "approved"
# audit status, in order
PLANNED, NOTIFIED, IN_PROGRESS, REPORTED, CLOSED = "planned", "notified", "in_progress", "reported", "closed"
AUDIT_STATUSES = (PLANNED, NOTIFIED, IN_PROGRESS, REPORTED, CLOSED)
# finding kinds
NC, OBSERVATION, OFI = "nc", "observation", "ofi"
FINDING_KINDS = (NC, OBSERVATION, OFI)
# checklist answers
CONFORM, NONCONFORM, NOT_APPLICABLE = "conform", "nonconform", "na"
CHECK_RESULTS = (CONFORM, NONCONFORM, NOT_APPLICABLE)


class AuditProgramme(db.Model):
    __tablename__ = "audit_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    audits: Mapped[list["Audit"]] = relationship(back_populates="programme", order_by="Audit.seq")

    @property
    def is_approved(self) -> bool:
        return self.status == APPROVED


class Audit(db.Model):
    __tablename__ = "audit"
    __table_args__ = (UniqueConstraint("programme_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("audit_programme.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    lead_auditor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    objective: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=PLANNED, index=True)
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    conclusion: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    close_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}

    programme: Mapped[AuditProgramme] = relationship(back_populates="audits")
    unit: Mapped[Unit] = relationship(lazy="joined")
    lead_auditor: Mapped[User] = relationship(foreign_keys=[lead_auditor_id], lazy="joined")
    team: Mapped[list["AuditTeamMember"]] = relationship(back_populates="audit", cascade="all, delete-orphan",
                                                         order_by="AuditTeamMember.id")
    scope: Mapped[list["AuditScope"]] = relationship(back_populates="audit", cascade="all, delete-orphan",
                                                     order_by="AuditScope.code")
    checklist: Mapped[list["ChecklistItem"]] = relationship(back_populates="audit", cascade="all, delete-orphan",
                                                            order_by="ChecklistItem.seq")
    findings: Mapped[list["Finding"]] = relationship(back_populates="audit", cascade="all, delete-orphan",
                                                     order_by="Finding.seq")

    @property
    def year(self) -> int:
        return self.programme.year

    @property
    def unit_code(self) -> str:
        return self.unit.code

    @property
    def auditor_ids(self) -> set[int]:
        return {self.lead_auditor_id} | {m.user_id for m in self.team}

    @property
    def findings_frozen(self) -> bool:
        return self.status in (REPORTED, CLOSED)

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)


class AuditTeamMember(db.Model):
    __tablename__ = "audit_team_member"
    __table_args__ = (UniqueConstraint("audit_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)

    audit: Mapped[Audit] = relationship(back_populates="team")
    user: Mapped[User] = relationship(lazy="joined")


class AuditScope(db.Model):
    """A procedure the audit checks, pinned to the issued revision in force when it was put in scope."""

    __tablename__ = "audit_scope"
    __table_args__ = (UniqueConstraint("audit_id", "procedure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    revision: Mapped[str] = mapped_column(String(40))
    issue_number: Mapped[int] = mapped_column(Integer)

    audit: Mapped[Audit] = relationship(back_populates="scope")
    procedure: Mapped[Procedure] = relationship(lazy="joined")


class ChecklistItem(db.Model):
    __tablename__ = "audit_checklist_item"
    __table_args__ = (UniqueConstraint("audit_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(80), default="")  # ISO clause or procedure step
    question: Mapped[str] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[Audit] = relationship(back_populates="checklist")


class Finding(db.Model):
    __tablename__ = "audit_finding"
    __table_args__ = (UniqueConstraint("audit_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    clause: Mapped[str] = mapped_column(String(80), default="")
    procedure_id: Mapped[int | None] = mapped_column(ForeignKey("procedure.id"))
    description: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    correction: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    audit: Mapped[Audit] = relationship(back_populates="findings")
    procedure: Mapped[Procedure | None] = relationship(lazy="joined")
    recorded_by: Mapped[User | None] = relationship(lazy="joined")
    # the CAPA record holds the link (capa.audit_finding_id); both sides navigate it
    capa: Mapped[Capa | None] = relationship(
        primaryjoin="Capa.audit_finding_id == Finding.id", foreign_keys="Capa.audit_finding_id", uselist=False,
        backref=backref("audit_finding", uselist=False, lazy="selectin"), lazy="selectin")

    @property
    def label(self) -> str:
        return f"{self.audit.number}/{self.seq}"
