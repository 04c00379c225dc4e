"""Personal access tokens for the API: stored as a hash, with a scope, an expiry and the last time of use."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.timeutil import as_utc, utcnow

READ, WRITE = "read", "write"
SCOPES = (READ, WRITE)


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # the first characters of the secret, shown in lists so that people can tell their tokens apart
    prefix: Mapped[str] = mapped_column(String(16))
    # SHA-256 of the whole secret: the secret itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(10), default=READ)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def can_write(self) -> bool:
        return self.scope == WRITE

    def is_expired(self, now: datetime | None = None) -> bool:
        return as_utc(self.expires_at) <= (now or utcnow())

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and not self.is_expired(now) and bool(self.user and self.user.active)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix} {self.scope}>"
