"""What the audit chain keeps outside the database: the key its hashes are made with, and its anchor.

- `audit.key` (in the data directory, never in the database): a random secret. Every event after
  `keyed_after` is hashed with HMAC-SHA256 under it, so someone who can edit the database but not read
  this file cannot recompute a valid chain after changing a row. Events up to `keyed_after` were written
  before the key existed (plain SHA-256) and are verified as such.
- `audit-anchor.json`: the id and hash of the newest committed event, written after every commit that
  added events. The database cannot silently lose its tail or be recomputed below it.

Both files are plain JSON, written atomically (temporary file + rename) under an flock.
"""
from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

KEY_FILE = "audit.key"
ANCHOR_FILE = "audit-anchor.json"
LOCK_FILE = ".audit-files.lock"


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    keyed_after: int  # events with an id up to this one were hashed before the key existed

    def sign(self, material: bytes) -> str:
        return hmac.new(self.secret, material, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    event_id: int
    hash: str


@contextmanager
def _locked(data_dir: Path):
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _write_json(path: Path, data: dict, mode: int = 0o600) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_key(data_dir: str | os.PathLike) -> AuditKey | None:
    path = Path(data_dir) / KEY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return AuditKey(bytes.fromhex(data["key"]), int(data["keyed_after"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not a valid audit key file: {exc}") from exc


def ensure_key(data_dir: str | os.PathLike, keyed_after) -> AuditKey:
    """The key, made now if there is none; `keyed_after()` gives the last event id written without it."""
    data_dir = Path(data_dir)
    key = read_key(data_dir)
    if key is not None:
        return key
    data_dir.mkdir(parents=True, exist_ok=True)
    with _locked(data_dir):
        key = read_key(data_dir)
        if key is None:
            key = AuditKey(secrets.token_bytes(32), int(keyed_after() or 0))
            _write_json(data_dir / KEY_FILE, {"key": key.secret.hex(), "keyed_after": key.keyed_after})
    return key


def read_anchor(data_dir: str | os.PathLike) -> Anchor | None:
    path = Path(data_dir) / ANCHOR_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Anchor(int(data["event_id"]), str(data["hash"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return Anchor(-1, "")  # unreadable: verification names it


def advance_anchor(data_dir: str | os.PathLike, event_id: int, event_hash: str) -> None:
    """Move the anchor forward to a committed event; never backwards (workers commit in any order)."""
    data_dir = Path(data_dir)
    with _locked(data_dir):
        current = read_anchor(data_dir)
        if current is not None and current.event_id >= event_id:
            return
        _write_json(data_dir / ANCHOR_FILE, {"event_id": event_id, "hash": event_hash}, 0o644)
