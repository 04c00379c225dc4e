"""Recording audit events in the caller's transaction, and verifying the hash chain."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from app.audit import keys
from app.audit.models import GENESIS_HASH, AuditEvent, canonical_payload, compute_hash, hash_material
from app.extensions import db
from app.timeutil import utcnow

_TAIL = "qms_audit_tail"

_CHAIN_LOCK_KEY = 7_510_405  # arbitrary constant for pg_advisory_xact_lock


def _lock_chain() -> None:
    bind = db.session.get_bind()
    if bind.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK_KEY})


def data_dir() -> str:
    return current_app.config["QMS_DATA_DIR"]


def audit_key() -> keys.AuditKey:
    """The key new events are hashed with (made on first use; `keyed_after` is the last unkeyed event)."""
    cache = current_app.extensions.setdefault("qms_audit_key", {})
    where = data_dir()
    key = cache.get(where)
    if key is None:
        key = cache[where] = keys.ensure_key(
            where, lambda: db.session.scalar(select(func.max(AuditEvent.id))) or 0)
    return key


def expected_hash(ev, key: keys.AuditKey | None) -> str:
    """The hash an event must carry: keyed after the key's start, plain SHA-256 before it."""
    if key is None or (ev.id is not None and ev.id <= key.keyed_after):
        return compute_hash(ev)
    return key.sign(hash_material(ev))


def record(actor, action: str, object_type: str, object_id="", summary: str = "", payload: dict | None = None,
           unit_code: str | None = None) -> AuditEvent:
    """Append one event to the chain; flushed, never committed (the caller's transaction owns it).

    An actor acting through an API token carries it as `api_token` (set by the API for that request):
    the event then names the token, so that every write made with a token can be traced to it.
    """
    token = getattr(actor, "api_token", None)
    if token is not None:
        payload = dict(payload or {}, via_api_token={"id": token.id, "name": token.name, "prefix": token.prefix})
    _lock_chain()
    prev = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    ev = AuditEvent(
        occurred_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_name=(getattr(actor, "full_name", None) or getattr(actor, "username", None) or "")[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id or "")[:80],
        unit_code=unit_code,
        summary=(summary or "")[:500],
        payload=canonical_payload(payload),
        prev_hash=prev or GENESIS_HASH,
    )
    key = audit_key()
    ev.hash = key.sign(hash_material(ev))
    db.session.add(ev)
    db.session.flush()
    db.session.info[_TAIL] = (data_dir(), ev.id, ev.hash)
    return ev


@event.listens_for(Session, "after_commit")
def _anchor_after_commit(session) -> None:
    """The newest committed event becomes the anchor outside the database (a crash here only delays it)."""
    tail = session.info.pop(_TAIL, None)
    if tail is not None:
        try:
            keys.advance_anchor(*tail)
        except OSError:
            pass  # a read-only data dir: the next commit tries again; verification reports a lagging anchor


@event.listens_for(Session, "after_rollback")
def _forget_tail(session) -> None:
    session.info.pop(_TAIL, None)


@dataclass
class ChainReport:
    ok: bool
    count: int
    first_broken_id: int | None = None
    reason: str = ""
    last_hash: str = GENESIS_HASH  # of the last event that verified (the genesis hash when none did)
    last_id: int = 0               # that event's id


def current_key() -> keys.AuditKey | None:
    """The key to verify with, without making one (a missing key file is itself a finding)."""
    return keys.read_key(data_dir())


def check_event(ev, key: keys.AuditKey | None, expected_prev: str) -> str:
    """'' if the event verifies; else 'link', 'content' (edited) or 'forged' (rehashed without the key)."""
    if ev.prev_hash != expected_prev:
        return "link"
    want = expected_hash(ev, key)
    if want == ev.hash:
        return ""
    if key is not None and compute_hash(ev) == ev.hash:
        return "forged"
    return "content"


def verify_chain(batch: int = 2000) -> ChainReport:
    """Walk the log in order; name the first event whose content or link does not match."""
    return verify_after(0, GENESIS_HASH, 0, current_key(), batch)


def verify_after(after_id: int, expected_prev: str, count: int, key: keys.AuditKey | None,
                 batch: int = 2000) -> ChainReport:
    """The same walk over the events after `after_id` only, on top of a verified prefix of `count` events
    ending with the hash `expected_prev` (after_id 0: the whole chain)."""
    last_id = after_id
    # plain rows, streamed: 200,000 events must not fill the session's identity map
    stmt = (select(*AuditEvent.__table__.columns).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
            .execution_options(yield_per=batch))
    for ev in db.session.execute(stmt):
        count += 1
        reason = check_event(ev, key, expected_prev)
        if reason:
            return ChainReport(False, count, ev.id, reason, expected_prev, last_id)
        expected_prev, last_id = ev.hash, ev.id
    return ChainReport(True, count, None, "", expected_prev, last_id)
