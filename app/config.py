"""Configuration: safe defaults, overridden by QMS_* environment variables."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-secret-change-me"


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe for the chosen mode."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(overrides: dict | None = None) -> dict:
    """Build the config dict from defaults, environment and explicit overrides (tests)."""
    overrides = dict(overrides or {})
    env = os.environ
    data_dir = Path(overrides.pop("QMS_DATA_DIR", None) or env.get("QMS_DATA_DIR") or "instance").resolve()
    production = _bool(env.get("QMS_PRODUCTION"), False) or env.get("QMS_ENV", "").lower() == "production"
    cfg = {
        "QMS_DATA_DIR": str(data_dir),
        "QMS_STORE_DIR": str(data_dir / "store"),
        "QMS_INDEX_DIR": str(data_dir / "index"),
        "QMS_PRODUCTION": production,
        "SECRET_KEY": env.get("QMS_SECRET_KEY") or DEFAULT_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": env.get("QMS_DATABASE_URL") or f"sqlite:///{data_dir / 'qms.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "QMS_TIMEZONE": "Asia/Ho_Chi_Minh",
        "QMS_LANGUAGES": ("vi", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        # the pages that take a file; a file sent anywhere else is refused as malformed (app/web.py)
        "QMS_UPLOAD_ENDPOINTS": ("objectives.import_plan", "objectives.import_values", "legal.import_file",
                                 "office.import_upload", "office.upload_form"),
        "QMS_LOGIN_MAX_FAILURES": int(env.get("QMS_LOGIN_MAX_FAILURES", "5")),
        "QMS_LOGIN_LOCK_MINUTES": int(env.get("QMS_LOGIN_LOCK_MINUTES", "15")),
        "QMS_PAGE_SIZE": 25,
        # rendered pages shared by readers with the same roles, unit and language (app/pagecache.py); 0 = off
        "QMS_PAGE_CACHE_MB": float(env.get("QMS_PAGE_CACHE_MB", "32")),
        # seconds a save waits for a git lock a live process holds, before asking the user to retry
        "QMS_STORE_LOCK_WAIT": float(env.get("QMS_STORE_LOCK_WAIT", "5")),
        "QMS_SQLITE_BUSY_SECONDS": float(env.get("QMS_SQLITE_BUSY_SECONDS", "30")),
        "QMS_AGENCY_NAME": env.get("QMS_AGENCY_NAME", "Sở Khoa học và Công nghệ"),
        "QMS_BASE_URL": env.get("QMS_BASE_URL", "http://127.0.0.1:5000"),
        "QMS_SMTP_HOST": env.get("QMS_SMTP_HOST", ""),
        "QMS_SMTP_PORT": int(env.get("QMS_SMTP_PORT", "25")),
        "QMS_SMTP_USER": env.get("QMS_SMTP_USER", ""),
        "QMS_SMTP_PASSWORD": env.get("QMS_SMTP_PASSWORD", ""),
        "QMS_SMTP_TLS": _bool(env.get("QMS_SMTP_TLS"), False),
        "QMS_MAIL_FROM": env.get("QMS_MAIL_FROM", "qms@localhost"),
        # the API: requests per token (Flask-Limiter syntax), where the counters live, the largest body
        "QMS_API_RATE_LIMIT": env.get("QMS_API_RATE_LIMIT", "300 per minute"),
        "QMS_API_RATE_STORAGE": env.get("QMS_API_RATE_STORAGE", "memory://"),
        "QMS_API_MAX_BODY": int(env.get("QMS_API_MAX_BODY", str(64 * 1024))),
        # a change-triggered review is due the day before the change takes effect, or this many days after it
        # was recorded when that day has passed or is unknown
        "QMS_LEGAL_REVIEW_DAYS": int(env.get("QMS_LEGAL_REVIEW_DAYS", "30")),
    }
    cfg.update(overrides)
    if cfg.get("TESTING"):
        cfg["SESSION_COOKIE_SECURE"] = False
    check_production_secret(cfg)
    return cfg


def check_production_secret(cfg: dict) -> None:
    """Refuse to run in production with a missing, default or short secret key."""
    if not cfg.get("QMS_PRODUCTION"):
        return
    key = cfg.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < 32:
        raise ConfigError(
            "Refusing to start in production: set QMS_SECRET_KEY to a random value of at least 32 characters "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))'). "
            "Từ chối khởi động ở chế độ production: hãy đặt biến môi trường QMS_SECRET_KEY."
        )
