"""AuditEvent: one row per change, chained by hash; the ORM refuses to update or delete it."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db
from app.timeutil import as_utc, utcnow

GENESIS_HASH = "0" * 64


class AuditImmutableError(RuntimeError):
    """An attempt to change or delete a recorded audit event."""


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id"),
        Index("ix_audit_event_unit_time", "unit_code", "occurred_at"),
        # the timeline's action and person filters, newest first
        Index("ix_audit_event_action_time", "action", "occurred_at"),
        Index("ix_audit_event_actor_time", "actor_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str] = mapped_column(String(80), default="")
    unit_code: Mapped[str | None] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(String(500), default="")
    payload: Mapped[str] = mapped_column(Text, default="{}")
    # unique prev_hash: two writers racing for the same tail cannot fork the chain
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    @property
    def data(self) -> dict:
        try:
            return json.loads(self.payload or "{}")
        except ValueError:
            return {}

    def compute_hash(self) -> str:
        return compute_hash(self)


def canonical_payload(payload: dict | None) -> str:
    return json.dumps(payload or {}, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def hash_material(ev) -> bytes:
    """The fields an event's hash covers, in a fixed order, as bytes."""
    return "\x1f".join(
        [
            as_utc(ev.occurred_at).isoformat(timespec="microseconds"),
            str(ev.actor_id or ""),
            ev.actor_name or "",
            ev.action,
            ev.object_type,
            ev.object_id or "",
            ev.unit_code or "",
            ev.summary or "",
            ev.payload or "",
            ev.prev_hash,
        ]
    ).encode("utf-8")


def compute_hash(ev) -> str:
    """The plain SHA-256 of an event: the scheme of events written before the audit key existed."""
    return hashlib.sha256(hash_material(ev)).hexdigest()


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):
    raise AuditImmutableError("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AuditImmutableError("audit events are append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state):
    if (state.is_update or state.is_delete) and state.statement.table is not None:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) == AuditEvent.__tablename__:
            raise AuditImmutableError("audit events are append-only")
