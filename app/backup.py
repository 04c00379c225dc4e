"""`qms backup DEST` and `qms restore SRC`: a consistent copy of a running system, and bringing it back.

What a backup holds (DEST, a new directory):
  store.bundle        the procedure store as a git bundle: main and every issue/withdrawal tag
  qms.sqlite3         SQLite: a snapshot through SQLite's online backup API
  database.jsonl      other databases (PostgreSQL): a logical dump, every table's rows in one
                      repeatable-read transaction (portable; restore replays it through SQLAlchemy)
  audit.key, audit-anchor.json   the audit chain's key and anchor (kept outside the database)
  manifest.json       sha256 of every file, the store's refs, each table's row count and row digest
The search index is a cache and is left out (`qms reindex` rebuilds it after a restore).

Consistency while people keep saving: the store lock is held from the bundle to the database snapshot,
so no commit lands in between; commits made just before (whose audit events are still on their way)
are waited for a few seconds. The anchor is copied before the snapshot, so it never names an event the
snapshot lacks.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import MetaData, create_engine, select, text

from app.audit import keys
from app.extensions import db
from app.store.repo import BRANCH, LAYOUT_KEY, plain_env

FORMAT = 1
WAIT_FOR_EVENTS_SECONDS = 5.0


class BackupError(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _git(root: Path, *args: str, cwd: Path | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd or root, env=plain_env(root), capture_output=True, text=True)
    if proc.returncode != 0:
        raise BackupError(f"git {args[0]} failed: {proc.stderr.strip()}")
    return proc.stdout


def store_refs(root: Path) -> dict[str, str]:
    """Every ref of the store and the object it names: equal refs mean byte-identical history and tags."""
    out = _git(root, "for-each-ref", "--format=%(refname) %(objectname)")
    return dict(line.split(" ", 1) for line in out.splitlines() if line and not line.startswith("refs/remotes/"))


def _value(v):
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.hex()
    return v


def table_digests(conn, metadata) -> dict[str, dict]:
    """Per table: the row count and a sha256 over its rows in primary-key order (the same on both sides)."""
    out = {}
    for table in metadata.sorted_tables:
        h, n = hashlib.sha256(), 0
        order = list(table.primary_key.columns) or list(table.columns)
        for row in conn.execute(select(table).order_by(*order)):
            h.update(json.dumps([_value(v) for v in row], default=str, ensure_ascii=False).encode("utf-8"))
            n += 1
        out[table.name] = {"rows": n, "sha256": h.hexdigest()}
    return out


# -- taking a backup ---------------------------------------------------------------------------------
def _wait_for_events(st, tip: str) -> list[str]:
    """Commits up to `tip` made in the last minute whose audit event is not committed yet; waits a little."""
    from app.audit.verify import logged_store, store_commits

    recent = [c.sha for c in store_commits(st)
              if (datetime.now(c.authored_at.tzinfo) - c.authored_at).total_seconds() < 60]
    deadline = time.monotonic() + WAIT_FOR_EVENTS_SECONDS
    while True:
        db.session.rollback()  # a fresh snapshot of what other processes committed
        named = logged_store().revisions
        missing = [sha for sha in recent if sha not in named]
        if not missing or time.monotonic() >= deadline:
            return missing
        time.sleep(0.05)


def _snapshot_sqlite(dest: Path) -> None:
    path = db.engine.url.database
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()


def _dump_logical(dest: Path) -> None:
    """Every table's rows, parents first, in one repeatable-read transaction: a consistent logical dump."""
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with dest.open("w", encoding="utf-8") as fh:
            for table in db.metadata.sorted_tables:
                fh.write(json.dumps({"table": table.name, "columns": [c.name for c in table.columns]}) + "\n")
                order = list(table.primary_key.columns) or list(table.columns)
                for row in conn.execute(select(table).order_by(*order)):
                    fh.write(json.dumps([_value(v) for v in row], default=str, ensure_ascii=False) + "\n")
        conn.rollback()


def take_backup(dest: Path, data_dir: Path, st, echo=print) -> dict:
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} exists and is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    sqlite = db.engine.dialect.name == "sqlite"
    files: list[str] = []
    # the anchor first: it may only name events the snapshot below holds
    for name in (keys.KEY_FILE, keys.ANCHOR_FILE):
        if (data_dir / name).exists():
            shutil.copy2(data_dir / name, dest / name)
            files.append(name)
    with st._lock.hold():  # no commit between the bundle and the database snapshot
        tip = _git(st.root, "rev-parse", f"refs/heads/{BRANCH}").strip()
        _git(st.root, "bundle", "create", str(dest / "store.bundle"), "--all")
        files.append("store.bundle")
        in_flight = _wait_for_events(st, tip)
        refs = store_refs(st.root)
        layout = _git(st.root, "config", "--get", LAYOUT_KEY).strip() or "flat"
        if sqlite:
            _snapshot_sqlite(dest / "qms.sqlite3")
            files.append("qms.sqlite3")
        else:
            _dump_logical(dest / "database.jsonl")
            files.append("database.jsonl")
    if sqlite:
        engine = create_engine(f"sqlite:///{dest / 'qms.sqlite3'}")
        with engine.connect() as conn:
            digests = table_digests(conn, db.metadata)
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
                if "alembic_version" in _tables(conn) else None
        engine.dispose()
    else:
        digests, version = _digests_of_dump(dest / "database.jsonl")
    manifest = {
        "format": FORMAT, "created_at": datetime.now().astimezone().isoformat(), "database": db.engine.dialect.name,
        "alembic_version": version, "store": {"tip": tip, "refs": refs, "layout": layout},
        "in_flight_commits": in_flight, "tables": digests,
        "files": {name: {"sha256": _sha256(dest / name), "bytes": (dest / name).stat().st_size} for name in files},
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


def _tables(conn) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def _digests_of_dump(path: Path) -> tuple[dict, str | None]:
    """The same digests as table_digests(), computed from a logical dump (rows are stored in key order)."""
    out: dict[str, dict] = {}
    current = None
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if isinstance(item, dict):
                current = out.setdefault(item["table"], {"rows": 0, "h": hashlib.sha256()})
                continue
            current["h"].update(json.dumps(item, default=str, ensure_ascii=False).encode("utf-8"))
            current["rows"] += 1
    return {k: {"rows": v["rows"], "sha256": v["h"].hexdigest()} for k, v in out.items()}, None
