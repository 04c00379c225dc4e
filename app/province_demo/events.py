"""The audit events of the data set: collected by every phase, then chained and written in one go.

Each event carries exactly what the service that makes it would record (action, object, summary, payload
with its message key); `write` puts them in time order, links and signs them with the audit key as
app.audit.services.record does one by one, inserts them in batches and advances the anchor.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text

from app.audit import keys
from app.audit.messages import message
from app.audit.models import GENESIS_HASH, AuditEvent, canonical_payload, hash_material
from app.audit.services import _lock_chain, audit_key, data_dir
from app.extensions import db
from app.timeutil import as_utc

BATCH = 5000


@dataclass(slots=True)
class Event:
    occurred_at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: str
    unit_code: str | None
    summary: str
    payload: str
    prev_hash: str = ""
    hash: str = ""


class EventLog:
    def __init__(self):
        self.events: list[Event] = []

    def add(self, when: datetime, actor, action: str, object_type: str, object_id, summary: str,
            payload: dict | None = None, unit_code: str | None = None, msg: dict | None = None) -> None:
        """`actor` is a Person (id, full_name) or None (the system); `msg` the message parameters, if any."""
        if msg is not None:
            payload = dict(payload or {}, **message(action, **msg))
        self.events.append(Event(as_utc(when), getattr(actor, "id", None), (getattr(actor, "full_name", "") or "")[:200],
                                 action, object_type, str(object_id or "")[:80], unit_code, (summary or "")[:500],
                                 canonical_payload(payload)))

    def __len__(self) -> int:
        return len(self.events)


def add_logins(log: EventLog, people: list, target: int, start: datetime, end: datetime, seed: int = 7) -> int:
    """Sign-ins spread over working hours, enough for the log to reach `target` events; returns how many."""
    need = target - len(log)
    rng = random.Random(seed)
    span = int((end - start).total_seconds())
    for _ in range(max(0, need)):
        p = rng.choice(people)
        when = start + timedelta(seconds=rng.randrange(span))
        when = when.replace(hour=rng.randint(7, 16))  # working hours, Hanoi time (`start` is Hanoi time)
        log.add(when, p, "auth.login", "account", p.id, f"Đăng nhập: {p.username}",
                {"ip": f"10.{rng.randint(1, 60)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"},
                unit_code=p.unit_code)
    return max(0, need)


def write(log: EventLog, progress=None) -> tuple[int, str]:
    """Chain, sign and insert every event after the current tail; returns (last id, last hash)."""
    events = sorted(log.events, key=lambda e: e.occurred_at)
    _lock_chain()
    key = audit_key()
    tail = db.session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    next_id, prev = (tail[0] + 1, tail[1]) if tail else (1, GENESIS_HASH)
    table = AuditEvent.__table__
    rows = []
    for i, ev in enumerate(events):
        ev.prev_hash = prev
        ev.hash = prev = key.sign(hash_material(ev))
        rows.append({"id": next_id + i, "occurred_at": ev.occurred_at, "actor_id": ev.actor_id,
                     "actor_name": ev.actor_name, "action": ev.action, "object_type": ev.object_type,
                     "object_id": ev.object_id, "unit_code": ev.unit_code, "summary": ev.summary,
                     "payload": ev.payload, "prev_hash": ev.prev_hash, "hash": ev.hash})
        if len(rows) == BATCH:
            db.session.execute(insert(table), rows)
            if progress:
                progress(len(rows))
            rows = []
    if rows:
        db.session.execute(insert(table), rows)
        if progress:
            progress(len(rows))
    last_id = next_id + len(events) - 1
    fix_sequence("audit_event")
    return last_id, prev


def advance_anchor(last_id: int, last_hash: str) -> None:
    """After the commit: the newest event becomes the anchor outside the database."""
    keys.advance_anchor(data_dir(), last_id, last_hash)


def fix_sequence(table: str) -> None:
    """PostgreSQL: rows inserted with explicit ids leave the id sequence behind; move it to the maximum."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                            f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"))


def next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1
