"""Git lock files left by killed processes, locks a live process holds, and a disk that refuses writes."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import time

import pytest

from app.procedures import core
from app.store import StoreBusy
from app.store.gitlocks import clear_git_locks
from tests.trust.helpers import edit_form


def _age(path, seconds=600):
    old = time.time() - seconds
    os.utime(path, (old, old))


@pytest.mark.parametrize("name", ["HEAD.lock", "refs/heads/main.lock", "index.lock"])
def test_a_lock_file_left_by_a_killed_process_is_removed_and_the_save_goes_through(app, db, dc, people, draft, name):
    lock = core.store().root / ".git" / name
    lock.write_text("")
    _age(lock)
    sha = dc.save_draft(people.member, draft, body="Nội dung mới\n", base_revision=draft.current_revision)
    db.session.commit()
    assert not lock.exists()
    assert core.store().head("QT-QLKH-02") == sha


@pytest.fixture
def live_holder(app):
    """A live process keeping refs/heads/main.lock open, as a git command of an administrator would."""
    lock = core.store().root / ".git" / "refs" / "heads" / "main.lock"
    lock.write_text("")
    _age(lock)
    proc = subprocess.Popen([sys.executable, "-c", "import sys,time; f=open(sys.argv[1]); print('ok', flush=True); "
                             "time.sleep(60)", str(lock)], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"ok"
    yield lock
    proc.kill()
    proc.wait()
    lock.unlink(missing_ok=True)


def test_a_lock_a_live_process_holds_is_left_alone_and_reported_busy(app, live_holder):
    with pytest.raises(StoreBusy):
        clear_git_locks(live_holder.parent.parent.parent, wait_seconds=0.2)
    assert live_holder.exists()


def test_saving_while_a_live_process_holds_the_branch_asks_to_retry_and_keeps_the_text(
        app, client, login_as, people, draft, live_holder):
    app.config["QMS_STORE_LOCK_WAIT"] = 0.2
    core.store().lock_wait = 0.2
    login_as(people.member)
    form = edit_form(client, "QT-QLKH-02")
    form["body"] = "Văn bản tôi vừa gõ, không được mất"
    before = core.store().head("QT-QLKH-02")
    resp = client.post("/procedures/QT-QLKH-02/edit", data=form)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 503
    assert "Kho quy trình đang bận" in page and "thử lại" in page
    assert "Văn bản tôi vừa gõ, không được mất" in page
    assert core.store().head("QT-QLKH-02") == before


def test_a_read_only_disk_gives_a_clear_message_and_loses_nothing(app, client, login_as, people, draft, monkeypatch):
    login_as(people.member)
    form = edit_form(client, "QT-QLKH-02")
    form["body"] = "Nội dung soạn trên ổ đĩa chỉ đọc"
    before = core.store().head("QT-QLKH-02")

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("app.store.store.os.replace", read_only)
    resp = client.post("/procedures/QT-QLKH-02/edit", data=form)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 503
    assert "ổ đĩa chỉ đọc" in page and "Nội dung soạn trên ổ đĩa chỉ đọc" in page
    assert core.store().head("QT-QLKH-02") == before
    monkeypatch.undo()
    assert client.post("/procedures/QT-QLKH-02/edit", data=form).status_code == 302


def test_a_full_database_disk_on_commit_keeps_the_text(app, client, login_as, people, draft, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from app.extensions import db

    login_as(people.member)
    form = edit_form(client, "QT-QLKH-02")
    form["body"] = "Văn bản khi cơ sở dữ liệu đầy"

    def full(*_a, **_k):
        raise OperationalError("COMMIT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(db.session, "commit", full)
    resp = client.post("/procedures/QT-QLKH-02/edit", data=form)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 503 and "Văn bản khi cơ sở dữ liệu đầy" in page
    assert "đã đầy" in page
