"""Token rules: create (the secret shown once), revoke, and recognise a presented secret; each change audited."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.api.models import SCOPES, ApiToken
from app.audit.services import record
from app.extensions import db
from app.timeutil import as_utc, utcnow

SECRET_PREFIX = "qms_"
MAX_DAYS = 366
MAX_ACTIVE = 20
# a read-only use writes its time at most this often, so that reading does not mean writing each time
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    """A rule of token management was broken; `key` names it, `field` the form field."""

    def __init__(self, key: str, field: str | None = None):
        super().__init__(key)
        self.key, self.field = key, field


@dataclass
class NewToken:
    token: ApiToken
    secret: str   # shown to its owner once, right after creation


def hash_secret(secret: str) -> str:
    return hashlib.sha256((secret or "").encode("utf-8")).hexdigest()


def _snapshot(token: ApiToken) -> dict:
    return {"token_id": token.id, "name": token.name, "prefix": token.prefix, "scope": token.scope,
            "expires_at": as_utc(token.expires_at).isoformat()}


def tokens_of(user) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def create(actor, *, name: str, scope: str, days: int, now: datetime | None = None) -> NewToken:
    """A token for the actor themself: a token never acts for anyone but its owner."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise TokenError("name_required", "name")
    if scope not in SCOPES:
        raise TokenError("bad_scope", "scope")
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise TokenError("bad_expiry", "days")
    now = now or utcnow()
    active = [t for t in tokens_of(actor) if t.is_usable(now)]
    if len(active) >= MAX_ACTIVE:
        raise TokenError("too_many", "name")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name, prefix=secret[:len(SECRET_PREFIX) + 6],
                     token_hash=hash_secret(secret), scope=scope, created_at=now,
                     expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record(actor, "api_token.create", "api_token", token.id, f"Tạo mã truy cập API {token.label}",
           _snapshot(token), unit_code=actor.unit_code)
    return NewToken(token, secret)


def revoke(actor, token: ApiToken, now: datetime | None = None) -> None:
    if token.user_id != actor.id:
        raise TokenError("forbidden")
    if token.revoked_at is not None:
        raise TokenError("already_revoked")
    token.revoked_at = now or utcnow()
    db.session.flush()
    record(actor, "api_token.revoke", "api_token", token.id, f"Thu hồi mã truy cập API {token.label}",
           _snapshot(token), unit_code=actor.unit_code)


def recognise(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token behind a presented secret, its last use noted; None for anything else."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    now = now or utcnow()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - as_utc(token.last_used_at) >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.flush()
    return token
