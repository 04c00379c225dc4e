"""The verified checkpoint: how far the hash chain (and the store's history) was last verified, kept outside
the database so that a new process starts from it instead of walking 200,000 events again.

`audit-checkpoint.json` in the data directory, next to the anchor, records:
  event_id, hash, count    the chain verified from its first event through this event (count events)
  full_at, full_id, full_count    when the whole chain was last walked from its first event, and how far
                           that walk went; events after full_id were verified since, on top of it
  checked_at               when the newest events were verified
  broken                   {id, reason, count, found_at}: a verification found this event broken; it stands
                           until a full verification finds the chain whole again
  store                    the store-history check's state: main's tip, the revision mirror and the audit
                           events it covered, all found on main

The file carries an HMAC-SHA256 under the audit key (`audit.key`), so it cannot be edited or made up
without that key: a checkpoint whose MAC does not verify is ignored and the whole chain is verified again
(and the page says so). Written atomically under the same lock as the anchor.
"""
from __future__ import annotations

import hmac
import json
import os
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable

from app.audit import keys
from app.timeutil import as_utc

CHECKPOINT_FILE = "audit-checkpoint.json"
VERSION = 1
_DOMAIN = b"qms-audit-checkpoint-v1\x1f"   # MACs over this file can never be mistaken for an event's hash

MISSING, VALID, INVALID = "missing", "valid", "invalid"


@dataclass(frozen=True)
class Checkpoint:
    event_id: int
    hash: str
    count: int
    full_at: str            # ISO 8601, UTC
    full_id: int
    full_count: int
    checked_at: str         # ISO 8601, UTC
    broken: dict | None = None
    store: dict | None = field(default=None)

    @property
    def full_time(self) -> datetime:
        return as_utc(datetime.fromisoformat(self.full_at))

    @property
    def checked_time(self) -> datetime:
        return as_utc(datetime.fromisoformat(self.checked_at))

    def with_(self, **changes) -> Checkpoint:
        return replace(self, **changes)


@dataclass(frozen=True)
class Read:
    state: str                       # MISSING, VALID or INVALID (unreadable, or its MAC does not verify)
    checkpoint: Checkpoint | None = None
    signature: tuple = ()            # the file's (inode, size, mtime): unchanged file, same checkpoint


def _material(data: dict) -> bytes:
    body = {k: v for k, v in data.items() if k != "mac"}
    return _DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _signature(path: Path) -> tuple:
    try:
        st = path.stat()
    except FileNotFoundError:
        return ()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def signature(data_dir: str | os.PathLike) -> tuple:
    return _signature(Path(data_dir) / CHECKPOINT_FILE)


def read(data_dir: str | os.PathLike, key: keys.AuditKey) -> Read:
    path = Path(data_dir) / CHECKPOINT_FILE
    sig = _signature(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Read(MISSING)
    except OSError:
        return Read(INVALID, signature=sig)
    try:
        data = json.loads(raw)
        mac = data["mac"]
        if not isinstance(mac, str) or not hmac.compare_digest(mac, key.sign(_material(data))):
            return Read(INVALID, signature=sig)
        if data.get("v") != VERSION:
            return Read(INVALID, signature=sig)
        cp = Checkpoint(int(data["event_id"]), str(data["hash"]), int(data["count"]), str(data["full_at"]),
                        int(data["full_id"]), int(data["full_count"]), str(data["checked_at"]),
                        data.get("broken") or None, data.get("store") or None)
        cp.full_time, cp.checked_time  # noqa: B018  (dates that do not parse make the file invalid)
    except (ValueError, KeyError, TypeError, AttributeError):
        return Read(INVALID, signature=sig)
    return Read(VALID, cp, sig)


def _write(data_dir: Path, key: keys.AuditKey, cp: Checkpoint) -> None:
    data = dict(asdict(cp), v=VERSION)
    data["mac"] = key.sign(_material(data))
    keys._write_json(data_dir / CHECKPOINT_FILE, data, 0o600)


def update(data_dir: str | os.PathLike, key: keys.AuditKey,
           change: Callable[[Read], Checkpoint | None]) -> Checkpoint | None:
    """Under the audit files' lock: read the checkpoint, let `change` decide what to write (None: nothing).

    Never raises for a read-only or full data directory: the checkpoint only saves work, and a process that
    cannot write it verifies from the last one it could read.
    """
    data_dir = Path(data_dir)
    try:
        with keys._locked(data_dir):
            new = change(read(data_dir, key))
            if new is not None:
                _write(data_dir, key, new)
            return new
    except OSError:
        return None


def remove(data_dir: str | os.PathLike) -> None:
    try:
        (Path(data_dir) / CHECKPOINT_FILE).unlink()
    except FileNotFoundError:
        pass
