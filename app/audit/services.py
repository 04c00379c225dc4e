"""Recording audit events in the caller's transaction, and verifying the hash chain."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, text

from app.audit.models import GENESIS_HASH, AuditEvent, canonical_payload, compute_hash
from app.extensions import db
from app.timeutil import utcnow

_CHAIN_LOCK_KEY = 7_510_405  # arbitrary constant for pg_advisory_xact_lock


def _lock_chain() -> None:
    bind = db.session.get_bind()
    if bind.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK_KEY})


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
    ev.hash = compute_hash(ev)
    db.session.add(ev)
    db.session.flush()
    return ev


@dataclass
class ChainReport:
    ok: bool
    count: int
    first_broken_id: int | None = None
    reason: str = ""
    last_hash: str = GENESIS_HASH


def verify_chain(batch: int = 2000) -> ChainReport:
    """Walk the log in order; name the first event whose content or link does not match."""
    expected_prev = GENESIS_HASH
    count = 0
    # plain rows, streamed: 200,000 events must not fill the session's identity map
    stmt = select(*AuditEvent.__table__.columns).order_by(AuditEvent.id).execution_options(yield_per=batch)
    for ev in db.session.execute(stmt):
        count += 1
        if ev.prev_hash != expected_prev:
            return ChainReport(False, count, ev.id, "link", expected_prev)
        if compute_hash(ev) != ev.hash:
            return ChainReport(False, count, ev.id, "content", expected_prev)
        expected_prev = ev.hash
    return ChainReport(True, count, None, "", expected_prev)
