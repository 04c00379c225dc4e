"""Which commit last touched each procedure file, kept per thread and advanced as main moves."""
from __future__ import annotations

from pathlib import Path

import git

# Past this many new commits one `git log -1 -- file` per lookup is cheaper than replaying them.
MAX_STEP = 500


def read_tip(gitdir: Path, branch: str, g: git.Git) -> str:
    """Current commit of the branch, read fresh from disk (never from a long-lived git process)."""
    try:
        # git replaces ref files by rename, so this read sees either the old or the new id.
        value = (gitdir / "refs" / "heads" / branch).read_text().strip()
        if len(value) in (40, 64):
            return value
    except FileNotFoundError:
        # Packed by git's maintenance (pack-refs): the loose file is gone until the branch moves again.
        # Without this, every read of the store started `git rev-parse` (2 ms) from then on.
        value = _packed_refs(gitdir).get(f"refs/heads/{branch}")
        if value:
            return value
    return g.rev_parse("--verify", f"refs/heads/{branch}").strip()


_packed: dict[Path, tuple[tuple, dict[str, str]]] = {}


def _packed_refs(gitdir: Path) -> dict[str, str]:
    """refs -> ids of .git/packed-refs, parsed again only when the file is replaced (git writes it whole
    and renames it into place: a new inode, size or time)."""
    path = gitdir / "packed-refs"
    try:
        st = path.stat()
        signature = (st.st_ino, st.st_size, st.st_mtime_ns)
        known = _packed.get(path)
        if known is not None and known[0] == signature:
            return known[1]
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    refs = {}
    for line in text.splitlines():
        sha, _, name = line.partition(" ")
        if len(sha) in (40, 64) and name.startswith("refs/heads/"):  # tags are not asked for here
            refs[name] = sha
    _packed[path] = (signature, refs)
    return refs


class HeadIndex:
    """Last-touching commit per path, exact as of `tip`.

    `git log -1 -- <file>` walks back until it finds the file changed, tens of ms in a
    large store; remembering the answer and replaying only the commits added since
    (one `git log tip..new --name-only`) makes the usual lookup a dictionary hit.
    """

    def __init__(self) -> None:
        self.tip: str | None = None
        self.heads: dict[str, str] = {}
        self.primed: str | None = None  # the tip at which every file's entry was learnt (prime())

    def lookup(self, g: git.Git, tip: str, rel: str, hint: str | None = None) -> str | None:
        """Last commit touching `rel` as of `tip`; `hint` is a commit believed to be it.

        With a hint (the base revision of a save) a miss only walks the commits made
        since the hint, instead of back through history to the last change of the file.
        """
        if tip != self.tip:
            self._advance(g, tip)
        if rel not in self.heads:
            found = self._from_hint(g, tip, rel, hint) if hint else None
            self.heads[rel] = found or g.log("-1", "--format=%H", tip, "--", rel).strip()
        return self.heads[rel] or None

    @staticmethod
    def _from_hint(g: git.Git, tip: str, rel: str, hint: str) -> str | None:
        status, _out, _err = g.merge_base("--is-ancestor", hint, tip, with_extended_output=True,
                                          with_exceptions=False)
        if status != 0:
            return None  # hint not in main's history: only a full walk can tell
        newer = g.log("-1", "--format=%H", f"{hint}..{tip}", "--", rel).strip()
        return newer or g.log("-1", "--format=%H", hint, "--", rel).strip()

    def prime(self, g: git.Git, tip: str) -> None:
        """Learn the last-touching commit of every file at once (one walk of the history, about 1 s for
        18,000 commits), before reading most files, instead of one `git log -1 -- file` (10-15 ms) each."""
        if self.primed == tip:
            return
        out = g.log("-z", "--no-renames", "--name-only", "--format=%x1e%H", tip, strip_newline_in_stdout=False)
        heads: dict[str, str] = {}
        for chunk in out.split("\x1e")[1:]:
            sha, _, rest = chunk.partition("\0")
            for path in rest.lstrip("\n").split("\0"):
                if path and path not in heads:  # newest first: the first commit seen is the last change
                    heads[path] = sha.strip()
        self.heads, self.tip = heads, tip
        self.primed = tip

    def committed(self, parent: str, new: str, rel: str) -> None:
        """Record our own commit without asking git, if we were current before it."""
        if self.tip == parent:
            self.heads[rel] = new
            self.tip = new

    def _advance(self, g: git.Git, tip: str) -> None:
        if self.tip is not None and self._replay(g, tip):
            self.tip = tip
            return
        self.heads, self.tip = {}, tip

    def _replay(self, g: git.Git, tip: str) -> bool:
        out = g.log(f"-{MAX_STEP + 1}", "-z", "--no-renames", "--name-only", "--format=%x1e%H %P",
                    f"{self.tip}..{tip}", "--", strip_newline_in_stdout=False)
        records = []
        for chunk in out.split("\x1e")[1:]:
            head, _, rest = chunk.partition("\0")
            ids = head.split()
            if len(ids) != 2:
                return False  # a merge or a root commit: the store never makes those, start afresh
            paths = [p for p in rest.lstrip("\n").split("\0") if p]
            records.append((ids[0], ids[1], paths))
        # Only a straight line of commits on top of what we knew can be replayed; anything
        # else (history rewritten, branch reset) invalidates what we remembered.
        if not records or len(records) > MAX_STEP or records[-1][1] != self.tip:
            return False
        if any(records[i][1] != records[i + 1][0] for i in range(len(records) - 1)):
            return False
        for sha, _parent, paths in reversed(records):
            for path in paths:
                self.heads[path] = sha
        return True
