"""Shared fixtures: an app on a throw-away data dir and database, clients, and small factories."""
from __future__ import annotations

import os
import time
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from app import create_app
from app.extensions import db as _db

PG_URL = os.environ.get("QMS_TEST_DATABASE_URL", "")

# The tests' own "today" (date.today(), datetime.now()) is the department's calendar day, as the application's
# is (QMS_TIMEZONE): between 17:00 and 24:00 UTC the two would otherwise be a day apart.
os.environ["TZ"] = "Asia/Ho_Chi_Minh"
time.tzset()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """scrypt is meant to be slow; tests create hundreds of accounts, so they hash with few rounds."""
    from werkzeug import security

    from app.auth import models

    original = models.generate_password_hash
    models.generate_password_hash = lambda pw: security.generate_password_hash(pw, "pbkdf2:sha256:1000")
    yield
    models.generate_password_hash = original


@pytest.fixture(scope="session")
def pg_schema():
    """On PostgreSQL each test process works in a schema of its own, dropped at the end."""
    if not PG_URL:
        yield None
        return
    import sqlalchemy as sa

    schema = f"qms_t_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def make_config(tmp_path, pg_schema, **extra) -> dict:
    cfg = {"TESTING": True, "QMS_DATA_DIR": str(tmp_path / "data"), "WTF_CSRF_ENABLED": False,
           "QMS_SMTP_HOST": ""}
    if pg_schema:
        cfg["SQLALCHEMY_DATABASE_URI"] = PG_URL
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={pg_schema}"}}
    else:
        cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    cfg.update(extra)
    return cfg


def _isolate_requests(app) -> None:
    """Tests hold an app context open, and Flask reuses it for requests, so `g` (where Flask-Login
    and Flask-Babel keep the current user and locale) would leak from one request to the next."""

    @app.before_request
    def _fresh_g():
        from flask import g

        for key in list(vars(g)):
            delattr(g, key)


def reset_schema(pg_schema) -> None:
    if pg_schema:
        _db.drop_all()
    _db.create_all()


@pytest.fixture
def app(tmp_path, pg_schema):
    app = create_app(make_config(tmp_path, pg_schema))
    _isolate_requests(app)
    with app.app_context():
        reset_schema(pg_schema)
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path, pg_schema):
    """An app with CSRF protection on, as in production."""
    app = create_app(make_config(tmp_path, pg_schema, WTF_CSRF_ENABLED=True))
    _isolate_requests(app)
    with app.app_context():
        reset_schema(pg_schema)
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def empty_app(tmp_path):
    """An app on a brand-new, empty database (its own schema on PostgreSQL)."""
    schema = None
    if PG_URL:
        schema = f"qms_m_{uuid.uuid4().hex[:10]}"
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    app = create_app(make_config(tmp_path, schema))
    _isolate_requests(app)
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()
    if schema:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    return _db


class Factory:
    """Small helpers that create rows through the services, as the application would."""

    password = "correct-horse-1"

    def __init__(self, app):
        self.app = app
        self._n = 0

    def unit(self, code="QLKH", name=None):
        from sqlalchemy import select

        from app.auth import services
        from app.auth.models import Unit

        existing = _db.session.scalar(select(Unit).where(Unit.code == code))
        if existing:
            return existing
        unit = services.create_unit(None, code=code, name=name or f"Đơn vị {code}")
        _db.session.commit()
        return unit

    def user(self, *roles, unit=None, username=None, full_name=None):
        from app.auth import services

        self._n += 1
        if isinstance(unit, str):
            unit = self.unit(unit)
        user = services.create_user(
            None, username=username or f"user{self._n}", full_name=full_name or f"Người dùng {self._n}",
            password=self.password, email=f"user{self._n}@example.org", unit=unit, roles=roles)
        _db.session.commit()
        return user


@pytest.fixture
def make(app):
    return Factory(app)


def login(client, user_or_name, password=Factory.password):
    username = getattr(user_or_name, "username", user_or_name)
    return client.post("/login", data={"username": username, "password": password})


@pytest.fixture
def login_as(client):
    def _login(user, password=Factory.password):
        resp = login(client, user, password)
        assert resp.status_code == 302, resp.data[:500]
        return client

    return _login
