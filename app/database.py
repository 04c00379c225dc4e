"""SQLite for several processes: WAL, a busy timeout, and writers that take the write lock up front.

Several gunicorn workers (and CLI processes) write one SQLite file. With the defaults a reader that
later writes upgrades its lock halfway and fails at once with "database is locked" (FIELD-NOTES: 86 such
errors in 200 saves). So, for sqlite URLs only: the journal is WAL (readers never block the writer), every
connection waits up to QMS_SQLITE_BUSY_SECONDS for the lock, and the transaction of a request that may
write (any method but GET/HEAD/OPTIONS) begins with BEGIN IMMEDIATE, so it queues for the write lock
before it reads anything and cannot deadlock against another writer. Elsewhere (page views, CLI
commands, jobs) the driver keeps its habit of beginning the transaction at the first write, so reads
never hold a snapshot that a later write would have to upgrade.

Request writers first take a ticket in a first-come, first-served queue next to the database
(app/writequeue.py; `<db>-writers/`): SQLite's own wait is a poll whose sleeps grow to 100 ms, under which
a writer that has waited a while kept missing the gaps between the others. The ticket is held until the
connection goes back to the pool (after the commit or rollback). A writer whose turn does not come within
the busy timeout goes on to BEGIN IMMEDIATE anyway, so SQLite's own wait and its "busy" answer still
apply; CLI commands and jobs do not queue.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from typing import Iterator

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.writequeue import WriterQueue

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_sqlite(url: str) -> bool:
    return str(url).startswith("sqlite")


def engine_options(cfg: dict) -> dict:
    """The engine options for the configured URL: a busy timeout for SQLite."""
    options = dict(cfg.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if is_sqlite(cfg.get("SQLALCHEMY_DATABASE_URI", "")):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", float(cfg.get("QMS_SQLITE_BUSY_SECONDS", 30)))
        options["connect_args"] = connect_args
    return options


def _wants_write_lock() -> bool:
    """A request that may write (a form, an API call): not a page view (GET/HEAD/OPTIONS)."""
    return has_request_context() and request.method not in SAFE_METHODS and not g.get("qms_reading_first")


@contextmanager
def reading_first() -> Iterator[None]:
    """Run a slow check that only reads (a password hash) before the request takes the write lock.

    Inside, a transaction begins as a plain read; at the end it is rolled back, so whatever the block
    loaded is read again, under the write lock, by what follows: the caller must re-check there what it
    decided from the read. If the session already holds changes, nothing is ended and the block runs as
    before (in the write lock, if the request has it).
    """
    from app.extensions import db

    session = db.session
    if not has_request_context() or session.new or session.dirty or session.deleted or session.info.get(_WROTE):
        yield
        return
    session.rollback()  # nothing to lose: no change is pending
    g.qms_reading_first = True
    try:
        yield
    finally:
        g.qms_reading_first = False
        session.rollback()


_QUEUE = "qms_writer_queue"


def _queue_path(engine: Engine) -> str | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database) + "-writers"


def _leave_queue(record) -> None:
    ticket = record.info.pop(_QUEUE, None)
    if ticket is not None:
        ticket.leave()


def configure_engine(engine: Engine, busy_seconds: float = 30.0) -> None:
    """Install the connect/begin listeners on a SQLite engine (no-op for other databases)."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_qms_sqlite_configured", False):
        return
    engine._qms_sqlite_configured = True  # type: ignore[attr-defined]
    busy_ms = int(busy_seconds * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cur = dbapi_connection.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {busy_ms}")
            try:
                cur.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # another connection holds the lock while switching; it is WAL already then
        finally:
            cur.close()

    path = _queue_path(engine)
    queue = WriterQueue(path) if path else None

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if _wants_write_lock() and not conn.connection.dbapi_connection.in_transaction:
            record = conn.connection._connection_record
            if queue and record is not None and _QUEUE not in record.info:
                ticket = queue.join(busy_seconds)
                if ticket is not None:
                    record.info[_QUEUE] = ticket
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        _leave_queue(record)

    @event.listens_for(engine, "close")
    def _on_close(_dbapi_connection, record):
        _leave_queue(record)


_WROTE = "qms_wrote"


@event.listens_for(Session, "after_flush")
def _flushed(session, _context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _ended(session) -> None:
    session.info.pop(_WROTE, None)


def init_app(app: Flask) -> None:
    from app.extensions import db

    if not is_sqlite(app.config.get("SQLALCHEMY_DATABASE_URI", "")):
        return
    with app.app_context():
        configure_engine(db.engine, float(app.config.get("QMS_SQLITE_BUSY_SECONDS", 30)))
