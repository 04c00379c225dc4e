"""Quality objectives: the plan of a year, its objectives, indicators and tasks, periods, unit reports, values."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Unit, User
from app.extensions import db
from app.objectives import rules
from app.timeutil import utcnow

# plan status: drafted by the secretary, approved by leadership, then in force; closed after the year
DRAFT, APPROVED, IN_FORCE, CLOSED = "draft", "approved", "in_force", "closed"
PLAN_STATUSES = (DRAFT, APPROVED, IN_FORCE, CLOSED)
# where an indicator's value comes from
SOURCE_UNIT, SOURCE_COMPUTED, SOURCE_IMPORTED = "unit", "computed", "imported"
SOURCES = (SOURCE_UNIT, SOURCE_COMPUTED, SOURCE_IMPORTED)
# what a computed indicator computes (one, for now: the yearly review of Objective 4)
COMPUTE_REVIEW = "review_share"
# indicator kinds: a number (share, count) or a rating on an ordered scale
KIND_NUMBER, KIND_RATING = "number", "rating"
# a task's units
LEAD, COORDINATING = "lead", "coordinating"
# period status
PERIOD_OPEN, PERIOD_CLOSED = "open", "closed"
# a unit report: drafted by a member, sent by the head, accepted or returned by the secretary
R_DRAFT, R_SENT, R_ACCEPTED, R_RETURNED = "draft", "sent", "accepted", "returned"
REPORT_STATUSES = (R_DRAFT, R_SENT, R_ACCEPTED, R_RETURNED)
# a task entry's status
DONE, IN_PROGRESS, NOT_DONE = "done", "in_progress", "not_done"
ENTRY_STATUSES = (DONE, IN_PROGRESS, NOT_DONE)
# a CAPA proposal
P_OPEN, P_RAISED, P_DISMISSED = "open", "raised", "dismissed"
NOT_MET_KIND, MISSING_KIND = "not_met", "missing_report"


class ObjectivePlan(db.Model):
    __tablename__ = "objective_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default=DRAFT, index=True)
    window_start_day: Mapped[int] = mapped_column(Integer, default=15)
    unit_due_day: Mapped[int] = mapped_column(Integer, default=14)
    office_due_day: Mapped[int] = mapped_column(Integer, default=17)
    year_due_on: Mapped[date] = mapped_column(Date)
    year_office_due_on: Mapped[date] = mapped_column(Date)
    holidays: Mapped[str] = mapped_column(Text, default="")
    monitoring: Mapped[str] = mapped_column(Text, default="")
    signed_by: Mapped[str] = mapped_column(String(200), default="")
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("objective_plan.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    objectives: Mapped[list["Objective"]] = relationship(back_populates="plan", order_by="Objective.seq",
                                                         cascade="all, delete-orphan")

    def settings(self) -> rules.PlanSettings:
        days, _bad = rules.parse_holidays(self.holidays)
        return rules.PlanSettings(self.window_start_day, self.unit_due_day, self.office_due_day,
                                  (self.year_due_on.month, self.year_due_on.day),
                                  (self.year_office_due_on.month, self.year_office_due_on.day), frozenset(days))

    @property
    def editable(self) -> bool:
        return self.status == DRAFT


class Objective(db.Model):
    __tablename__ = "objective"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("objective_plan.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(10))
    statement: Mapped[str] = mapped_column(Text)

    plan: Mapped[ObjectivePlan] = relationship(back_populates="objectives")
    indicators: Mapped[list["Indicator"]] = relationship(back_populates="objective", order_by="Indicator.seq",
                                                         cascade="all, delete-orphan")
    tasks: Mapped[list["ObjectiveTask"]] = relationship(back_populates="objective", order_by="ObjectiveTask.seq",
                                                        cascade="all, delete-orphan")


class Indicator(db.Model):
    __tablename__ = "objective_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    measure: Mapped[str] = mapped_column(String(40), default="%")
    kind: Mapped[str] = mapped_column(String(10), default=KIND_NUMBER)
    # a rating's ordered scale, worst first, separated by "|" (e.g. "Kém|Trung bình|Khá|Tốt|Xuất sắc")
    scale: Mapped[str] = mapped_column(String(300), default="")
    target: Mapped[float] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(2), default=rules.AT_LEAST)
    margin: Mapped[float] = mapped_column(Float, default=0.0)
    frequency: Mapped[str] = mapped_column(String(10), default=rules.MONTH)
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_UNIT)
    compute: Mapped[str] = mapped_column(String(20), default="")
    aggregate: Mapped[str] = mapped_column(String(5), default="mean")
    # who owes the value when units enter it: one unit, or (None) every reporting unit
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    objective: Mapped[Objective] = relationship(back_populates="indicators")
    owner_unit: Mapped[Unit | None] = relationship()

    @property
    def scale_labels(self) -> list[str]:
        return [s.strip() for s in self.scale.split("|") if s.strip()]

    def label(self, value: float | None) -> str:
        if value is None:
            return "–"
        if self.kind == KIND_RATING:
            labels = self.scale_labels
            index = int(round(value)) - 1
            return labels[index] if 0 <= index < len(labels) else str(value)
        text = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")  # Vietnamese decimal comma
        return f"{text} {self.measure}".strip() if self.measure != "%" else f"{text}%"

    @property
    def target_label(self) -> str:
        return f"{self.direction} {self.label(self.target)}"


class ObjectiveTask(db.Model):
    __tablename__ = "objective_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    # the plan's own words for who does it, who coordinates, and by when
    performer_text: Mapped[str] = mapped_column(Text, default="")
    coordination_text: Mapped[str] = mapped_column(Text, default="")
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[str] = mapped_column(String(15), default=rules.MONTHLY)
    rule_day: Mapped[int | None] = mapped_column(Integer)
    rule_date: Mapped[date | None] = mapped_column(Date)
    # every unit of the department reports on it ("Các phòng, đơn vị")
    all_units: Mapped[bool] = mapped_column(Boolean, default=False)

    objective: Mapped[Objective] = relationship(back_populates="tasks")
    units: Mapped[list["TaskUnit"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    def unit_ids(self, role: str) -> list[int]:
        return [u.unit_id for u in self.units if u.role == role]


class TaskUnit(db.Model):
    __tablename__ = "objective_task_unit"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("objective_task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(12), default=LEAD)


class TaskAssignment(db.Model):
    """A task "when assigned": one row per assignment, with its own deadline."""

    __tablename__ = "objective_task_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("objective_task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    # the deadline as given, and as it applies (moved off weekends and holidays)
    given_due_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    task: Mapped["ObjectiveTask"] = relationship()
    unit: Mapped[Unit] = relationship(lazy="joined")

    @property
    def unit_code(self) -> str:
        return self.unit.code


class Period(db.Model):
    __tablename__ = "objective_period"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("objective_plan.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    office_due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=PERIOD_OPEN)
    summary: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    plan: Mapped[ObjectivePlan] = relationship()
    closed_by: Mapped[User | None] = relationship()

    @property
    def is_closed(self) -> bool:
        return self.status == PERIOD_CLOSED


class UnitReport(db.Model):
    __tablename__ = "objective_report"
    __table_args__ = (UniqueConstraint("period_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("objective_period.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=R_DRAFT)
    note: Mapped[str] = mapped_column(Text, default="")
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_on: Mapped[date | None] = mapped_column(Date)
    days_late: Mapped[int] = mapped_column(Integer, default=0)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    return_comment: Mapped[str] = mapped_column(Text, default="")

    period: Mapped[Period] = relationship()
    unit: Mapped[Unit] = relationship(lazy="joined")
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])
    entries: Mapped[list["TaskEntry"]] = relationship(cascade="all, delete-orphan", order_by="TaskEntry.task_id")

    @property
    def unit_code(self) -> str:
        return self.unit.code


class TaskEntry(db.Model):
    __tablename__ = "objective_task_entry"
    __table_args__ = (UniqueConstraint("report_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("objective_report.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("objective_task.id", ondelete="CASCADE"), index=True)
    done_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=IN_PROGRESS)
    reason: Mapped[str] = mapped_column(Text, default="")
    # links: a procedure code (QT-VP-01), a CAPA number, or a web address, one a line
    evidence: Mapped[str] = mapped_column(Text, default="")


class IndicatorValue(db.Model):
    """A figure for a period: a unit's (unit_id set) or the department's (imported, or frozen when computed)."""

    __tablename__ = "objective_value"
    __table_args__ = (Index("ix_objective_value_period_indicator", "period_id", "indicator_id"),
                      UniqueConstraint("indicator_id", "period_id", "unit_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("objective_indicator.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("objective_period.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("objective_report.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_UNIT)
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CapaProposal(db.Model):
    """A corrective action the figures call for: raised (linked to its CAPA) or dismissed with a reason."""

    __tablename__ = "objective_capa_proposal"
    __table_args__ = (UniqueConstraint("period_id", "kind", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("objective_period.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    # what it is about: "i<indicator id>" or "u<unit id>"
    ref: Mapped[str] = mapped_column(String(20))
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[str] = mapped_column(String(10), default=P_OPEN)
    capa_id: Mapped[int | None] = mapped_column(ForeignKey("capa.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    period: Mapped[Period] = relationship()
