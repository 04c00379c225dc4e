"""Account rules: authentication with throttling, units and users, each change audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from app.audit.services import record
from app.database import reading_first
from app.auth.models import ROLES, LoginThrottle, Unit, User
from app.extensions import db
from app.timeutil import as_utc, utcnow

MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A rule of account management was broken; `field` names the form field when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class LoginResult:
    user: User | None
    locked_minutes: int = 0

    @property
    def ok(self) -> bool:
        return self.user is not None


def _user_named(name: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == name))


def _throttle_row(username: str) -> LoginThrottle:
    row = db.session.get(LoginThrottle, username)
    if row is None:
        row = LoginThrottle(username=username, failures=0)
        db.session.add(row)
    return row


def authenticate(username: str, password: str, *, max_failures: int = 5, lock_minutes: int = 15,
                 remote_addr: str = "") -> LoginResult:
    """Check a password; after `max_failures` wrong tries the name is locked for `lock_minutes`.

    Unknown names are throttled the same way, so the answer never tells whether an account exists.
    """
    name = (username or "").strip().lower()[:80]
    # The hash is meant to be slow (scrypt): check it before taking the database's write lock, which would
    # hold every save in the meantime; what it was checked against is re-read and compared under the lock.
    with reading_first():
        user = _user_named(name)
        checked = user.password_hash if user is not None and user.active and \
            user.check_password(password or "") else None
    now = utcnow()
    throttle = _throttle_row(name)
    if throttle.locked_until and as_utc(throttle.locked_until) > now:
        remaining = int((as_utc(throttle.locked_until) - now).total_seconds() // 60) + 1
        record(None, "auth.login_throttled", "account", name, f"Đăng nhập bị tạm khóa: {name}",
               {"username": name, "ip": remote_addr})
        return LoginResult(None, remaining)
    user = _user_named(name)
    if checked is not None and user is not None and user.active and user.password_hash == checked:
        throttle.failures = 0
        throttle.locked_until = None
        record(user, "auth.login", "account", user.id, f"Đăng nhập: {user.username}", {"ip": remote_addr},
               unit_code=user.unit_code)
        return LoginResult(user)
    throttle.failures = (throttle.failures or 0) + 1
    throttle.last_failure_at = now
    locked = 0
    if throttle.failures >= max_failures:
        throttle.locked_until = now + timedelta(minutes=lock_minutes)
        throttle.failures = 0
        locked = lock_minutes
    record(None, "auth.login_failed", "account", name, f"Đăng nhập sai: {name}",
           {"username": name, "ip": remote_addr, "locked": bool(locked)})
    return LoginResult(None, locked)


def _clean_roles(roles) -> list[str]:
    roles = list(dict.fromkeys(roles or []))
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise AccountError(f"Unknown role: {', '.join(bad)}", "roles")
    return roles


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short", "password")


def create_user(actor, *, username: str, full_name: str, password: str, email: str = "",
                unit: Unit | None = None, roles=(), active: bool = True) -> User:
    username = (username or "").strip().lower()
    if not username:
        raise AccountError("username_required", "username")
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise AccountError("username_taken", "username")
    _check_password(password)
    user = User(username=username, full_name=full_name.strip(), email=(email or "").strip(), unit=unit,
                active=active)
    user.set_password(password)
    user.set_roles(_clean_roles(roles))
    db.session.add(user)
    db.session.flush()
    record(actor, "account.create", "account", user.id, f"Tạo tài khoản {username}",
           {"after": _user_snapshot(user)}, unit_code=user.unit_code)
    return user


def _user_snapshot(user: User) -> dict:
    return {"username": user.username, "full_name": user.full_name, "email": user.email,
            "unit": user.unit_code, "active": user.active, "roles": sorted(user.roles)}


def update_user(actor, user: User, *, full_name: str, email: str, unit: Unit | None, roles, active: bool) -> User:
    before = _user_snapshot(user)
    if user.id == getattr(actor, "id", None) and (not active or "admin" not in roles):
        raise AccountError("cannot_lock_self", "active")
    user.full_name = full_name.strip()
    user.email = (email or "").strip()
    user.unit = unit
    user.set_roles(_clean_roles(roles))
    if user.active and not active:
        user.session_version += 1
    user.active = active
    db.session.flush()
    after = _user_snapshot(user)
    if before != after:
        record(actor, "account.update", "account", user.id, f"Sửa tài khoản {user.username}",
               {"before": before, "after": after}, unit_code=user.unit_code)
    return user


def reset_password(actor, user: User, new_password: str) -> None:
    _check_password(new_password)
    user.set_password(new_password)
    user.session_version += 1
    record(actor, "account.reset_password", "account", user.id, f"Đặt lại mật khẩu {user.username}",
           unit_code=user.unit_code)


def change_own_password(user: User, current: str, new_password: str) -> None:
    if not user.check_password(current or ""):
        raise AccountError("wrong_current_password", "current_password")
    _check_password(new_password)
    user.set_password(new_password)
    user.session_version += 1
    record(user, "account.change_password", "account", user.id, f"Đổi mật khẩu {user.username}",
           unit_code=user.unit_code)


def set_locale(user: User, locale: str) -> None:
    if locale in ("vi", "en") and user.locale != locale:
        user.locale = locale


def create_unit(actor, *, code: str, name: str, email: str = "", active: bool = True) -> Unit:
    code = (code or "").strip().upper()
    if not code or not code.isalnum() or not code.isascii() or len(code) > 10:
        raise AccountError("invalid_unit_code", "code")
    if db.session.scalar(select(Unit.id).where(Unit.code == code)):
        raise AccountError("unit_code_taken", "code")
    unit = Unit(code=code, name=name.strip(), email=(email or "").strip(), active=active)
    db.session.add(unit)
    db.session.flush()
    record(actor, "unit.create", "unit", unit.code, f"Tạo đơn vị {code}",
           {"after": {"code": code, "name": unit.name, "email": unit.email, "active": active}}, unit_code=code)
    return unit


def update_unit(actor, unit: Unit, *, name: str, email: str, active: bool) -> Unit:
    before = {"name": unit.name, "email": unit.email, "active": unit.active}
    unit.name, unit.email, unit.active = name.strip(), (email or "").strip(), active
    after = {"name": unit.name, "email": unit.email, "active": unit.active}
    if before != after:
        record(actor, "unit.update", "unit", unit.code, f"Sửa đơn vị {unit.code}",
               {"before": before, "after": after}, unit_code=unit.code)
    return unit


# -- server-side sessions ------------------------------------------------------------------------
SESSION_KEEP = timedelta(days=30)
SESSION_KEY = "qms_sid"  # the cookie session's key for the login session's token


def token_id(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(user: User) -> str:
    """A new login session for `user`; returns the token for the cookie (the database keeps its hash)."""
    import secrets

    from app.auth.models import LoginSession

    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(id=token_id(token), user_id=user.id, created_at=utcnow()))
    old = utcnow() - SESSION_KEEP
    db.session.execute(LoginSession.__table__.delete().where(LoginSession.created_at < old))
    db.session.flush()
    return token


def end_session(token: str | None) -> None:
    """Logout: the session's row is ended, so its cookie no longer signs anyone in."""
    from app.auth.models import LoginSession

    if not token or not isinstance(token, str):
        return
    row = db.session.get(LoginSession, token_id(token))
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        db.session.flush()
