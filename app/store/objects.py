"""Reading git objects through the thread's persistent cat-file: revisions, blobs, last-touching commits."""
from __future__ import annotations

import re

from app.store.errors import ProcedureNotFound
from app.store.heads import read_tip
from app.store.repo import BRANCH, RepoPool

# Revision names we pass to git: hex ids, branch and tag names, ~/^ suffixes. No leading
# '-' (option injection), no ':' (path syntax), no whitespace (cat-file reads lines).
REVISION_RE = re.compile(r"^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9._/~^-]{0,199}$")


def _str(value: str | bytes) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else value


class GitObjects:
    """Object lookups costing well under a millisecond each: no process is started per call."""

    def __init__(self, pool: RepoPool):
        self._pool = pool
        self._gitdir = pool.root / ".git"

    def tip(self) -> str:
        """The commit main points at right now."""
        return read_tip(self._gitdir, BRANCH, self._pool.get().git)

    def header(self, name: str) -> tuple[str, str, int] | None:
        """(id, type, size) of an object name such as 'sha:path', or None if there is none."""
        try:
            sha, kind, size = self._pool.get().git.get_object_header(name)
        except ValueError:
            return None
        return _str(sha), _str(kind), size

    def data(self, name: str) -> tuple[str, str, bytes] | None:
        try:
            sha, kind, _size, data = self._pool.get().git.get_object_data(name)
        except ValueError:
            return None
        except BaseException:
            # An interrupted read leaves cat-file mid-object; the next reply would be garbage.
            self._pool.discard_current()
            raise
        return _str(sha), _str(kind), data

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
            before = self.header(f"{parents[0]}:{rel}")
            if before is None or before[0] != blob_sha:
                return commit
        return self._pool.get().git.log("-1", "--format=%H", commit, "--", rel).strip() or commit
