"""SQLite's one write lock, taken fairly and once per form: request writers queue on a file lock next to the
database (handed on as soon as it is freed, where SQLite's own wait sleeps up to 100 ms between tries), and a
save or a sign-in is one write transaction, not a second one queued again after the commit."""
from __future__ import annotations

import fcntl
import os
import threading

import pytest
from sqlalchemy import event

from app import database
from app.procedures import deferred
from tests.conftest import login


@pytest.fixture
def sqlite_only(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the write lock of the whole database is SQLite's")


@pytest.fixture
def write_transactions(db):
    """The BEGIN IMMEDIATE statements (write transactions of a form's request) run while the test runs."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper() == "BEGIN IMMEDIATE":
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def _queue_is_free(db) -> bool:
    fd = os.open(database._queue_path(db.engine), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def test_a_saved_draft_takes_the_write_lock_once_and_frees_the_queue(client, db, people, draft, sqlite_only,
                                                                      write_transactions):
    login(client, people.member)
    url, form = f"/procedures/{draft.code}/edit", {"body": "Nội dung mới.\n", "base_revision": draft.current_revision,
                                                   "message": ""}
    db.session.commit()  # the test's own reading ends: the request begins its transaction itself
    write_transactions.clear()
    resp = client.post(url, data=form)
    assert resp.status_code == 302, resp.data[:500]
    assert len(write_transactions) == 1  # the answer's headers and flash message read nothing after the commit
    assert _queue_is_free(db)
    follow = client.get(resp.headers["Location"])
    assert "Đã lưu dự thảo QT-QLKH-02" in follow.data.decode()


def test_a_sign_in_is_one_write_transaction(client, db, people, sqlite_only, write_transactions):
    assert login(client, people.member).status_code == 302
    assert len(write_transactions) == 1
    assert _queue_is_free(db)
    assert "Đăng xuất" in client.get("/").data.decode()  # signed in: the session row was committed


def test_a_writer_waits_for_the_queue_and_takes_it_once_it_is_freed(tmp_path):
    path = str(tmp_path / "db.sqlite-writers.lock")
    holder = database._join_queue(path, 1.0)
    assert holder is not None
    assert database._join_queue(path, 0.05) is None  # held elsewhere: gives up, SQLite's own wait applies
    got = []
    waiter = threading.Thread(target=lambda: got.append(database._join_queue(path, 30.0)))
    waiter.start()
    os.close(holder)  # released: the waiter gets it
    waiter.join(30)
    assert got and got[0] is not None
    os.close(got[0])


class _Recorder:
    def __init__(self):
        self.changes = []

    def apply(self, changes):
        self.changes.extend(changes)


def test_the_indexing_thread_writes_after_the_request_or_at_once_when_asked(app):
    """Updates handed over during a request are written once it ends; wait() (before an exit) writes at once
    even while a request runs, so nothing waits on the other."""
    index = _Recorder()
    worker = deferred._Indexer()
    worker.request_started()
    worker.submit(deferred.Update(index, "QT-A-01", [], None))
    assert worker.wait(30)  # asked: written though the request has not ended
    assert index.changes == [("delete", "QT-A-01", None)]
    worker.submit(deferred.Update(index, "QT-B-01", [], None))
    worker.request_finished()
    assert worker.wait(30)
    assert index.changes[-1] == ("delete", "QT-B-01", None)
