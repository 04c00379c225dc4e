"""SQLite's one write lock, taken in turn and once per form: request writers queue first come, first served
next to the database (where SQLite's own wait sleeps up to 100 ms between tries), and a save or a sign-in is
one write transaction, not a second one queued again after the commit."""
from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import event

from app import database
from app.procedures import deferred
from app.writequeue import WriterQueue
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
    path = database._queue_path(db.engine)
    return not os.path.isdir(path) or os.listdir(path) == []


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


def _wait_for(condition) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the queue did not move"
        time.sleep(0.001)


def test_writers_take_their_turns_in_the_order_they_came(tmp_path):
    queue = WriterQueue(tmp_path / "db.sqlite3-writers")
    first = queue.join(1.0)
    assert first is not None
    assert queue.join(0.05) is None  # its turn does not come: gives up, SQLite's own wait applies
    order, held = [], {}

    def writer(name):
        ticket = queue.join(30.0)
        order.append(name)
        held[name] = ticket

    second = threading.Thread(target=writer, args=("second",))
    second.start()
    _wait_for(lambda: len(os.listdir(queue.dir)) == 2)
    third = threading.Thread(target=writer, args=("third",))
    third.start()
    _wait_for(lambda: len(os.listdir(queue.dir)) == 3)
    first.leave()
    _wait_for(lambda: order)
    assert order == ["second"]  # the third waits for the second, which came before it
    held["second"].leave()
    second.join(30)
    third.join(30)
    assert order == ["second", "third"]
    held["third"].leave()
    assert os.listdir(queue.dir) == []


def test_a_ticket_left_by_a_process_that_died_blocks_nobody(tmp_path):
    queue = WriterQueue(tmp_path / "db.sqlite3-writers")
    queue.dir.mkdir()
    (queue.dir / f"{0:020d}-99999-1").write_text("")  # older than any new ticket, and locked by nobody
    ticket = queue.join(1.0)
    assert ticket is not None
    assert os.listdir(queue.dir) == [ticket.path.name]
    ticket.leave()


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
