"""On-disk layout of a search index: generations swapped atomically, locks, markers, rebuild journal."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from app.search.analysis import SCHEMA

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
NEEDS_REBUILD = "NEEDS_REBUILD"
REBUILDING = "REBUILDING"
LOCK = ".lock"
REBUILD_LOCK = ".rebuild.lock"
_GEN = r"g-\d{8}T\d{6}-[0-9a-f]{8}"
_GEN_RE = re.compile(rf"^{_GEN}$")
_JOURNAL_RE = re.compile(rf"^journal-({_GEN})\.jsonl$")


class IndexDirectory:
    """The files around the Whoosh generations; every method is safe to call from several processes.

    Layout::

        CURRENT              name of the live generation, replaced with os.replace (atomic)
        g-<time>-<hex>/      one Whoosh index per generation
        NEEDS_REBUILD        present while the live index is known to be incomplete (fresh or repaired)
        REBUILDING           name of the generation a rebuild is filling
        journal-<gen>.jsonl  updates and deletes made during that rebuild, replayed before the swap
        .lock                flock held by every write and by the swap, so no update is lost or half-seen
        .rebuild.lock        flock serialising rebuilds
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def ensure(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def locked(self, name: str = LOCK):
        """Exclusive flock; the kernel drops it if the process dies, so it never goes stale."""
        fd = os.open(self.path / name, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    # ---- the live generation -----------------------------------------------------------------

    def signature(self) -> tuple | None:
        """Changes whenever CURRENT is replaced or removed; a stat is cheap enough for every query."""
        try:
            st = os.stat(self.path / CURRENT)
        except OSError:
            return None
        return (st.st_dev, st.st_ino, st.st_mtime_ns)

    def current(self) -> str:
        name = (self.path / CURRENT).read_text(encoding="ascii").strip()
        if not _GEN_RE.match(name):
            raise ValueError(f"CURRENT names no generation: {name[:80]!r}")
        return name

    def current_or_none(self) -> str | None:
        try:
            return self.current()
        except (OSError, ValueError):
            return None

    def open_generation(self, gen: str):
        # Without mmap: Whoosh copies every memory-mapped sub-file it opens into a BytesIO, which on
        # 10,000 procedures made opening 110 ms and 250 MB per process; plain reads cost only on a
        # term list's first read, and the ranker caches those.
        return FileStorage(str(self.path / gen), supports_mmap=False).open_index()

    def create_generation(self) -> str:
        name = time.strftime("g-%Y%m%dT%H%M%S", time.gmtime()) + "-" + secrets.token_hex(4)
        (self.path / name).mkdir()
        windex.create_in(str(self.path / name), SCHEMA).close()
        return name

    def publish(self, gen: str) -> None:
        """Make *gen* live: write CURRENT beside, fsync, rename over (readers see old or new, never half)."""
        tmp = self.path / f".{CURRENT}.{secrets.token_hex(4)}"
        with open(tmp, "w", encoding="ascii") as f:
            f.write(gen + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path / CURRENT)
        dir_fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def prune(self, keep: set[str | None]) -> None:
        """Remove generations and journals not in *keep* (left by earlier swaps or crashed rebuilds)."""
        for entry in self.path.iterdir():
            journal = _JOURNAL_RE.match(entry.name)
            if _GEN_RE.match(entry.name) and entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
            elif journal and journal.group(1) not in keep:
                entry.unlink(missing_ok=True)

    def remove_generation(self, gen: str) -> None:
        if _GEN_RE.match(gen):
            shutil.rmtree(self.path / gen, ignore_errors=True)

    # ---- markers ---------------------------------------------------------------------------

    @property
    def needs_rebuild(self) -> bool:
        return (self.path / NEEDS_REBUILD).exists()

    def flag_needs_rebuild(self) -> None:
        (self.path / NEEDS_REBUILD).touch()

    def clear_needs_rebuild(self) -> None:
        (self.path / NEEDS_REBUILD).unlink(missing_ok=True)

    # ---- the rebuild journal -----------------------------------------------------------------

    def _journal(self, gen: str) -> Path:
        return self.path / f"journal-{gen}.jsonl"

    def start_journal(self, gen: str) -> None:
        self._journal(gen).write_text("", encoding="utf-8")
        (self.path / REBUILDING).write_text(gen + "\n", encoding="ascii")

    def stop_journal(self, gen: str) -> None:
        if self.rebuilding() == gen:
            (self.path / REBUILDING).unlink(missing_ok=True)
        self._journal(gen).unlink(missing_ok=True)

    def rebuilding(self) -> str | None:
        try:
            gen = (self.path / REBUILDING).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        return gen if _GEN_RE.match(gen) else None

    def journal(self, entry: dict) -> None:
        """Record a write for the rebuild in progress, if any (call under the write lock)."""
        gen = self.rebuilding()
        if gen is None:
            return
        with open(self._journal(gen), "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def journal_entries(self, gen: str) -> list[dict]:
        try:
            lines = self._journal(gen).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except ValueError:
                log.warning("ignoring unreadable journal line for %s", gen)
        return entries
