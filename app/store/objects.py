"""Reading git objects through the thread's persistent cat-file: revisions, blobs, last-touching commits."""
from __future__ import annotations

import re
import threading
from collections import OrderedDict

from app.store.errors import ProcedureNotFound
from app.store.heads import read_tip
from app.store.repo import BRANCH, RepoPool

# Revision names we pass to git: hex ids, branch and tag names, ~/^ suffixes. No leading
# '-' (option injection), no ':' (path syntax), no whitespace (cat-file reads lines).
REVISION_RE = re.compile(r"^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9._/~^-]{0,199}$")
# Names that always mean the same object while it exists: a file at a full commit id (for header and data),
# a full object id alone (for data). Whether an object exists at all is always asked afresh (commit_exists,
# resolve), so a history rewritten and pruned under a running process is still noticed.
_FIXED_PATH = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64}):[^\n]+$")
_FIXED_ID = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
CACHE_BYTES = 4_000_000
CACHE_ENTRIES = 20_000
_MISSING = object()


class _Remembered:
    """What cat-file answered for names that can never change meaning; an LRU bounded by bytes and entries."""

    def __init__(self, max_bytes: int = CACHE_BYTES, max_entries: int = CACHE_ENTRIES):
        self.max_bytes, self.max_entries = max_bytes, max_entries
        self._entries: OrderedDict[tuple[str, str], tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._guard = threading.Lock()

    def get(self, key: tuple[str, str]) -> object:
        with self._guard:
            found = self._entries.get(key)
            if found is None:
                return _MISSING
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: tuple[str, str], value: object, size: int) -> None:
        size += 200  # the key and the tuple around it
        if size > self.max_bytes // 8:
            return
        with self._guard:
            if key in self._entries:
                return
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes or len(self._entries) > self.max_entries:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    @property
    def size(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)


def _str(value: str | bytes) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else value


class GitObjects:
    """Object lookups costing well under a millisecond each: no process is started per call."""

    def __init__(self, pool: RepoPool):
        self._pool = pool
        self._gitdir = pool.root / ".git"
        # Each lookup is a round trip to a git process (1-2 ms on a busy machine) and one save makes dozens
        # of them for the same few objects: answers about fixed names are kept (objects never change).
        self.remembered = _Remembered()

    def tip(self) -> str:
        """The commit main points at right now."""
        return read_tip(self._gitdir, BRANCH, self._pool.get().git)

    def header(self, name: str) -> tuple[str, str, int] | None:
        """(id, type, size) of an object name such as 'sha:path', or None if there is none."""
        fixed = bool(_FIXED_PATH.match(name))
        if fixed:
            found = self.remembered.get(("header", name))
            if found is not _MISSING:
                return found  # type: ignore[return-value]
        try:
            sha, kind, size = self._pool.get().git.get_object_header(name)
            answer = (_str(sha), _str(kind), size)
        except ValueError:
            answer = None
        if fixed and answer is not None:
            self.remembered.put(("header", name), answer, len(name))
        return answer

    def data(self, name: str) -> tuple[str, str, bytes] | None:
        fixed = bool(_FIXED_PATH.match(name) or _FIXED_ID.match(name))
        if fixed:
            found = self.remembered.get(("data", name))
            if found is not _MISSING:
                return found  # type: ignore[return-value]
        try:
            sha, kind, _size, data = self._pool.get().git.get_object_data(name)
            answer = (_str(sha), _str(kind), data)
        except ValueError:
            answer = None
        except BaseException:
            # An interrupted read leaves cat-file mid-object; the next reply would be garbage.
            self._pool.discard_current()
            raise
        if fixed and answer is not None:
            self.remembered.put(("data", name), answer, len(name) + len(answer[2]))
        return answer

    def blob(self, commit: str, rel: str) -> tuple[str, bytes] | None:
        """(blob id, bytes) of a file at a commit, or None if the file is not there."""
        obj = self.data(f"{commit}:{rel}")
        if obj is None or obj[1] != "blob":
            return None
        return obj[0], obj[2]

    def commit_or_none(self, revision: object) -> str | None:
        if not isinstance(revision, str) or not REVISION_RE.fullmatch(revision):
            return None
        if revision == BRANCH:
            return self.tip()
        header = self.header(f"{revision}^{{commit}}")
        return header[0] if header and header[1] == "commit" else None

    def resolve(self, revision: str) -> str:
        """Full commit id for a revision name, or ProcedureNotFound."""
        commit = self.commit_or_none(revision)
        if commit is None:
            raise ProcedureNotFound(f"Unknown revision {revision!r}", revision=str(revision))
        return commit

    def last_touch(self, commit: str, rel: str, blob_sha: str) -> str:
        """Last commit at or before `commit` that changed `rel`.

        Usually the commit itself (issued revisions are commits that changed the file),
        which comparing with the parent's blob confirms without starting git log.
        """
        obj = self.data(commit)
        header = obj[2].decode("utf-8", "replace").split("\n\n", 1)[0] if obj else ""
        parents = [line[7:] for line in header.split("\n") if line.startswith("parent ")]
        if not parents:
            return commit
        if len(parents) == 1:
            name = f"{parents[0]}:{rel}"
            # the parent exists (the commit names it) and its tree never changes: that the file was not in it
            # is as lasting as what it was (an issue imported as the file's first commit asked this each time)
            if self.remembered.get(("absent", name)) is not _MISSING:
                return commit
            before = self.header(name)
            if before is None:
                self.remembered.put(("absent", name), True, len(name))
            if before is None or before[0] != blob_sha:
                return commit
        return self._pool.get().git.log("-1", "--format=%H", commit, "--", rel).strip() or commit
