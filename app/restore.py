"""`qms restore SRC`: a backup made by `qms backup` brought back onto a fresh data directory, then verified.

Verification after the restore: every file's sha256 matches the manifest before anything is touched;
afterwards the store's refs (main and every tag, each naming its object by hash) equal the manifest's,
so the history and tags are byte-identical, `git fsck` is clean, and each table's row count and row
digest equal the manifest's.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Date, DateTime, insert, inspect, text

from app.audit import keys
from app.backup import FORMAT, BackupError, _sha256, store_refs, table_digests
from app.extensions import db
from app.store.repo import _LOCAL_CONFIG, BRANCH, LAYOUT_KEY, plain_env


def _run(root: Path | None, *args: str, cwd: Path | None = None) -> str:
    """git in the store `root`; with root None, git outside any repository (clone)."""
    if root is None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    else:
        env = plain_env(root)
    proc = subprocess.run(["git", *args], cwd=cwd or root, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BackupError(f"git {args[0]} failed: {proc.stderr.strip()}")
    return proc.stdout


def read_manifest(src: Path) -> dict:
    try:
        manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src} holds no readable manifest.json: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, meta in manifest["files"].items():
        path = src / name
        if not path.is_file() or _sha256(path) != meta["sha256"]:
            raise BackupError(f"{name} is missing or does not match its hash in the manifest")
    return manifest


def _check_fresh(data_dir: Path, store_dir: Path) -> None:
    if store_dir.exists() and any(store_dir.iterdir()):
        raise BackupError(f"{store_dir} already exists: restore only onto a fresh data directory")
    for name in (keys.KEY_FILE, keys.ANCHOR_FILE):
        if (data_dir / name).exists():
            raise BackupError(f"{data_dir / name} already exists: restore only onto a fresh data directory")
    tables = set(inspect(db.engine).get_table_names())
    if "user" in tables and db.session.execute(text('SELECT COUNT(*) FROM "user"')).scalar():
        raise BackupError("the database already holds accounts: restore only into an empty database")
    db.session.rollback()


def _restore_store(bundle: Path, store_dir: Path, layout: str) -> None:
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    _run(None, "clone", "-q", "-b", BRANCH, str(bundle), str(store_dir), cwd=store_dir.parent)
    _run(store_dir, "fetch", "-q", str(bundle), "refs/tags/*:refs/tags/*")
    _run(store_dir, "remote", "remove", "origin")
    for key, value in {**_LOCAL_CONFIG, LAYOUT_KEY: layout}.items():
        _run(store_dir, "config", key, value)


def _restore_sqlite(src_file: Path) -> None:
    target = Path(db.engine.url.database)
    db.session.remove()
    db.engine.dispose()
    if target.exists():
        con = sqlite3.connect(target)
        try:
            has_tables = con.execute("SELECT COUNT(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        finally:
            con.close()
        if has_tables:
            raise BackupError(f"{target} already has tables: restore only into an empty database")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{src_file}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(target)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()


def _typed(table, columns: list[str], row: list) -> dict:
    out = {}
    for name, value in zip(columns, row):
        col = table.columns[name]
        if value is not None and isinstance(col.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(col.type, Date):
            value = date.fromisoformat(value)
        out[name] = value
    return out


def _restore_logical(dump: Path) -> None:
    from flask_migrate import upgrade

    upgrade()
    tables = {t.name: t for t in db.metadata.sorted_tables}
    with db.engine.begin() as conn:
        table, columns, batch = None, [], []

        def flush():
            if batch:
                conn.execute(insert(table), batch)
                batch.clear()

        with dump.open(encoding="utf-8") as fh:
            for line in fh:
                item = json.loads(line)
                if isinstance(item, dict):
                    flush()
                    table, columns = tables[item["table"]], item["columns"]
                    conn.execute(table.delete())  # rows a migration may have seeded
                    continue
                batch.append(_typed(table, columns, item))
                if len(batch) >= 500:
                    flush()
            flush()
        if conn.dialect.name == "postgresql":
            for t in tables.values():
                if "id" in t.columns and t.columns["id"].autoincrement is not False and \
                        t.columns["id"].type.python_type is int:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), "
                                      f"COALESCE((SELECT MAX(id) FROM \"{t.name}\"), 0) + 1, false)"))


def restore_backup(src: Path, data_dir: Path, store_dir: Path, echo=print) -> dict:
    src = Path(src)
    manifest = read_manifest(src)
    echo(f"Backup of {manifest['created_at']} ({manifest['database']}): every file matches its hash.")
    _check_fresh(data_dir, store_dir)
    sqlite_backup = "qms.sqlite3" in manifest["files"]
    if sqlite_backup and db.engine.dialect.name != "sqlite":
        raise BackupError("this backup holds a SQLite database; restore it with a sqlite QMS_DATABASE_URL")
    _restore_store(src / "store.bundle", store_dir, manifest["store"]["layout"])
    if sqlite_backup:
        _restore_sqlite(src / "qms.sqlite3")
    else:
        _restore_logical(src / "database.jsonl")
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in (keys.KEY_FILE, keys.ANCHOR_FILE):
        if name in manifest["files"]:
            shutil.copy2(src / name, data_dir / name)
    return verify_restored(manifest, store_dir, echo)


def verify_restored(manifest: dict, store_dir: Path, echo=print) -> dict:
    """The restored store has the backup's refs (hence identical objects) and the database its rows."""
    problems = []
    refs = store_refs(store_dir)
    if refs != manifest["store"]["refs"]:
        problems.append(f"store refs differ: {sorted(set(refs.items()) ^ set(manifest['store']['refs'].items()))}")
    _run(store_dir, "fsck", "--no-dangling", "--no-progress")
    with db.engine.connect() as conn:
        digests = table_digests(conn, db.metadata)
    for name, want in manifest["tables"].items():
        if digests.get(name) != want:
            problems.append(f"table {name}: {digests.get(name)} instead of {want}")
    if problems:
        raise BackupError("the restored copy differs from the backup: " + "; ".join(problems))
    rows = sum(t["rows"] for t in manifest["tables"].values())
    echo(f"Store identical: {len(refs)} refs (main and {len(refs) - 1} tags), git fsck clean.")
    echo(f"Database identical: {len(digests)} tables, {rows} rows, each table's digest matches.")
    return {"refs": len(refs), "rows": rows}

