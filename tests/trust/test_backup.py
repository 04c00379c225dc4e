"""`qms backup` of a running system and `qms restore` onto a fresh data directory: identical store, same rows."""
from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from tests.audit.conftest import Workflow
from tests.conftest import PG_URL, login, make_config
from tests.trust.helpers import edit_form


@pytest.fixture
def fresh_app(tmp_path):
    """A second installation: its own data directory and an empty database (its own schema on PostgreSQL)."""
    schema = None
    if PG_URL:
        schema = f"qms_r_{uuid.uuid4().hex[:10]}"
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    cfg = make_config(tmp_path / "restored", schema)
    if not PG_URL:
        cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    yield create_app(cfg)
    if schema:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _restore(fresh_app, dest):
    with fresh_app.app_context():
        result = fresh_app.test_cli_runner().invoke(args=["qms", "restore", str(dest)])
        verify = fresh_app.test_cli_runner().invoke(args=["qms", "audit-verify"])
        db.session.remove()
        db.engine.dispose()
    return result, verify


def test_a_restored_backup_has_the_same_store_rows_and_passes_audit_verify(app, runner, make, tmp_path, fresh_app):
    wf = Workflow(make)
    proc = wf.create()
    wf.save(proc, "Bước 2")
    wf.issue(proc)
    dest = tmp_path / "backup"
    result = runner.invoke(args=["qms", "backup", str(dest)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in dest.iterdir()} >= {"manifest.json", "store.bundle", "audit.key", "audit-anchor.json"}
    assert not (dest / "index").exists()
    restored, verify = _restore(fresh_app, dest)
    assert restored.exit_code == 0, restored.output
    assert "Store identical" in restored.output and "Database identical" in restored.output
    assert "audit-verify OK on the restored copy" in restored.output
    assert verify.exit_code == 0, verify.output


def test_restore_refuses_a_tampered_backup_and_a_used_data_directory(app, runner, make, tmp_path, fresh_app):
    wf = Workflow(make)
    wf.create()
    dest = tmp_path / "backup"
    assert runner.invoke(args=["qms", "backup", str(dest)]).exit_code == 0
    bundle = dest / "store.bundle"
    bundle.write_bytes(bundle.read_bytes() + b"x")
    restored, _verify = _restore(fresh_app, dest)
    assert restored.exit_code != 0 and "does not match its hash" in restored.output
    into_itself = runner.invoke(args=["qms", "restore", str(dest)])
    assert into_itself.exit_code != 0


def test_a_backup_taken_while_saves_run_restores_identically(app, runner, make, tmp_path, fresh_app):
    wf = Workflow(make)
    codes = [wf.create(f"QT-QLKH-{n:02d}").code for n in range(11, 14)]
    clients = []
    for _ in codes:
        client = app.test_client()
        assert login(client, wf.member).status_code == 302
        clients.append(client)
    db.session.close()
    stop, started = threading.Event(), threading.Event()
    saved = []

    def keep_saving(client, code):
        n = 0
        while not stop.is_set() and n < 40:
            form = edit_form(client, code)
            form["body"] = f"Nội dung lần {n}\n"
            if client.post(f"/procedures/{code}/edit", data=form).status_code == 302:
                saved.append(code)
                if len(saved) >= 3:
                    started.set()
            n += 1
        started.set()

    threads = [threading.Thread(target=keep_saving, args=(c, code)) for c, code in zip(clients, codes)]
    for t in threads:
        t.start()
    assert started.wait(60)
    dest = tmp_path / "backup"
    result = runner.invoke(args=["qms", "backup", str(dest)])
    stop.set()
    for t in threads:
        t.join(60)
    assert result.exit_code == 0, result.output
    restored, verify = _restore(fresh_app, dest)
    assert restored.exit_code == 0, restored.output
    assert verify.exit_code == 0, verify.output
