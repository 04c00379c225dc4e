"""ProcedureStore: procedures as Markdown files in their own git repository, saved conflict-safely."""
from __future__ import annotations

import difflib
import os
import re
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

import git

from app.store.commits import iter_commits
from app.store.document import ProcedureDocument, code_from_path, parse, procedure_path, validate_code
from app.store.errors import InvalidProcedure, ProcedureNotFound, StoreConflict, StoreError
from app.store.gitlocks import classify_git_error, clear_git_locks, is_unavailable_os_error, unavailable
from app.store.objects import GitObjects
from app.store.records import Author, CommitInfo, RevisionInfo, StoredProcedure
from app.store.repo import BRANCH, LOCK_FILE, MAINTENANCE_LOCK_FILE, RepoPool, StoreLock, ensure_repository
from app.store import tags as tagfmt
from app.store.tags import IssueRecord, WithdrawalRecord

_SHA_RE = re.compile(r"^[0-9a-fA-F]{7,64}$")
_LOG_FIELDS = "%H%x00%an%x00%ae%x00%aI%x00%B"


def _ident_env(person: Author, when: datetime) -> dict[str, str]:
    when = when if when.tzinfo else when.astimezone()
    stamp = f"@{int(when.timestamp())} {when.strftime('%z')}"
    return {
        "GIT_AUTHOR_NAME": person.name, "GIT_AUTHOR_EMAIL": person.email, "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_NAME": person.name, "GIT_COMMITTER_EMAIL": person.email, "GIT_COMMITTER_DATE": stamp,
    }


def _git_failure(what: str, exc: git.GitCommandError) -> StoreError:
    """A failed git write as a typed error: busy (a live lock), unavailable (disk), or plain."""
    stderr = (exc.stderr or "").strip() if isinstance(exc.stderr, str) else str(exc.stderr or "")
    kind = classify_git_error(stderr) or StoreError
    return kind(f"{what}: {stderr}")


def _message(text: str, fallback: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    return text or fallback


class ProcedureStore:
    """Procedures in a git repository: every save a commit, every issue and withdrawal a tag.

    Safe to share between threads and to use from several processes at once: all writes
    hold an flock in .git, and each thread reads through its own lazily opened Repo.
    """

    def __init__(self, path: str | os.PathLike, max_bytes: int = 1_000_000,
                 clock: Callable[[], datetime] | None = None, maintain_every: int = 100,
                 layout: str | None = None, lock_wait: float = 5.0):
        self.root = Path(path).resolve()
        self.lock_wait = lock_wait  # seconds to wait for a git lock file a live process holds
        self.max_bytes = max_bytes
        self.maintain_every = maintain_every  # commits by this object between commit-graph layers; 0 = never
        self._since_maintain = 0
        self._background: list = []  # commit-graph writers still running
        self._clock = clock or (lambda: datetime.now().astimezone())
        # "flat" (<CODE>.md) or "series" (<series>/<CODE>.md), fixed when the store is made.
        self.layout = ensure_repository(self.root, layout)
        self._pool = RepoPool(self.root)
        self._objects = GitObjects(self._pool)
        self._lock = StoreLock(self.root / ".git" / LOCK_FILE)
        self._maintenance_lock = StoreLock(self.root / ".git" / MAINTENANCE_LOCK_FILE)

    # -- lifecycle -----------------------------------------------------------------
    def close(self) -> None:
        self._pool.close()
        for proc in self._background:
            proc.wait()
        self._background = []

    def __enter__(self) -> "ProcedureStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _git(self) -> git.Git:
        return self._pool.get().git

    def maintain(self) -> None:
        """Rewrite the commit-graph with changed-path Bloom filters, and pack the tags.

        Without the graph `git log -- <file>` reads every commit's tree (history 6x slower
        at 30,000 commits); with thousands of loose tags every tag lookup stats them all.
        Run after a bulk import and nightly; between runs the store adds small commit-graph
        layers by itself.
        """
        with self._maintenance_lock.hold():
            self._git.commit_graph("write", "--reachable", "--changed-paths")
            self._git.pack_refs("--all")
        self._since_maintain = 0

    def _note_commit(self) -> None:
        self._since_maintain += 1
        self._background = [p for p in self._background if p.poll() is None]
        if not self.maintain_every or self._since_maintain < self.maintain_every:
            return
        self._since_maintain = 0
        # A new commit-graph layer takes up to a second in a big store: write it in the
        # background so no save waits for it; skipped if another process is at it.
        try:
            proc = self._maintenance_lock.spawn_holding(
                ["git", "commit-graph", "write", "--reachable", "--changed-paths", "--split"], self.root)
        except OSError:
            return  # the commit is made; a missing layer only costs speed
        if proc is not None:
            self._background.append(proc)

    # -- paths and names -----------------------------------------------------------
    def path_for(self, code: str) -> Path:
        """Absolute path of a procedure's file; only validated codes ever become paths."""
        rel = procedure_path(code, self.layout)
        candidate = self.root / rel
        if candidate.is_symlink() or candidate.resolve().parent != (self.root / rel).parent:
            raise InvalidProcedure(f"The file for {code} would lie outside the store", code="path_escape")
        return candidate

    def _rel(self, code: str) -> str:
        return procedure_path(code, self.layout)

    # -- reading -------------------------------------------------------------------
    def _current(self, code: str, hint: str | None = None) -> tuple[str, str, bytes]:
        """(last commit touching the file on main, blob id, bytes), or ProcedureNotFound."""
        rel = self._rel(code)
        sha = self._pool.heads().lookup(self._git, self._objects.tip(), rel, hint)
        blob = self._objects.blob(sha, rel) if sha else None
        if blob is None:
            raise ProcedureNotFound(f"No procedure {code} in the store", procedure_code=code)
        return sha, blob[0], blob[1]

    def head(self, code: str) -> str:
        """The last commit on main that touched the procedure's file."""
        return self._current(code)[0]

    def exists(self, code: str) -> bool:
        return self._objects.blob(self._objects.tip(), self._rel(code)) is not None

    def read(self, code: str, revision: str | None = None) -> StoredProcedure:
        """The procedure at `revision` (default: main), with the commit that last changed it."""
        rel = self._rel(code)
        if revision is None or revision == BRANCH:
            touched, blob_sha, data = self._current(code)
        else:
            commit = self._objects.resolve(revision)
            blob = self._objects.blob(commit, rel)
            if blob is None:
                raise ProcedureNotFound(f"{code} does not exist at revision {revision}",
                                        procedure_code=code, revision=revision)
            blob_sha, data = blob
            touched = self._objects.last_touch(commit, rel, blob_sha)
        text = data.decode("utf-8")
        doc = parse(text)
        if doc.code != code:
            raise InvalidProcedure(f"{rel} declares the code {doc.code}", code="code_mismatch", field="code")
        return StoredProcedure(doc, touched, blob_sha, text)

    def text_at(self, code: str, revision: str) -> str | None:
        """Raw text of the file at a revision, None if it did not exist there."""
        blob = self._objects.blob(self._objects.resolve(revision), self._rel(code))
        return blob[1].decode("utf-8") if blob else None

    def codes(self) -> list[str]:
        """Codes of all procedures on main, sorted."""
        out = self._git.ls_tree("-r", "--name-only", "-z", BRANCH)
        # Only files where this store's layout puts them; a stray copy elsewhere is no procedure.
        return sorted(code for name in out.split("\0")
                      if (code := code_from_path(name)) and self._rel(code) == name)

    def history(self, code: str) -> list[RevisionInfo]:
        """Every commit that changed the procedure, newest first, with its tags."""
        rel = self._rel(code)
        out = self._git.log("-z", f"--format={_LOG_FIELDS}", BRANCH, "--", rel, strip_newline_in_stdout=False)
        by_commit: dict[str, list[str]] = {}
        for raw in self._raw_tags(code):
            by_commit.setdefault(raw.commit, []).append(raw.name)
        revisions = []
        for record in _split_log(out):
            sha, name, email, when, message = record
            revisions.append(RevisionInfo(sha, name, email, datetime.fromisoformat(when), message.rstrip("\n"),
                                          tuple(sorted(by_commit.get(sha, ())))))
        if not revisions:
            raise ProcedureNotFound(f"No procedure {code} in the store", procedure_code=code)
        return revisions

    def diff(self, code: str, from_rev: str, to_rev: str) -> tuple[str, str]:
        """(old text, new text); a side where the file did not exist yet is ''."""
        old, new = self.text_at(code, from_rev), self.text_at(code, to_rev)
        if old is None and new is None:
            raise ProcedureNotFound(f"{code} exists at neither revision", procedure_code=code)
        return old or "", new or ""

    def unified_diff(self, code: str, a: str, b: str, context: int = 3) -> str:
        old, new = self.diff(code, a, b)
        lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                     fromfile=f"{code}.md@{a[:10]}", tofile=f"{code}.md@{b[:10]}", n=context)
        return "".join(lines)

    # -- writing -------------------------------------------------------------------
    def _checked_text(self, doc: ProcedureDocument) -> str:
        text = doc.to_text()
        size = len(text.encode("utf-8"))
        if size > self.max_bytes:
            raise InvalidProcedure(
                f"{doc.code} is {size:,} bytes; the store accepts at most {self.max_bytes:,} bytes per procedure",
                code="too_large",
            )
        return text

    def create(self, doc: ProcedureDocument, author: Author, message: str) -> str:
        """Add a new procedure; InvalidProcedure(code='exists') if the code is taken."""
        text = self._checked_text(doc)
        rel = self._rel(doc.code)
        with self._lock.hold():
            if self._objects.blob(self._objects.tip(), rel) is not None:
                raise InvalidProcedure(f"A procedure {doc.code} already exists", code="exists", field="code")
            sha = self._commit(doc.code, text, None, author, _message(message, f"Create {doc.code}"))
        self._note_commit()
        return sha

    def save(self, doc: ProcedureDocument, base_revision: str, author: Author, message: str) -> str:
        """Commit a new revision if nobody else saved since `base_revision`; else StoreConflict."""
        text = self._checked_text(doc)
        code = doc.code
        with self._lock.hold():
            base = self._objects.commit_or_none(base_revision)
            current, _blob_sha, data = self._current(code, hint=base)
            current_text = data.decode("utf-8")
            if base != current:
                raise StoreConflict(code, str(base_revision), current, current_text)
            if current_text == text:
                return current
            sha = self._commit(code, text, current_text, author, _message(message, f"Update {code}"))
        self._note_commit()
        return sha

    def _commit(self, code: str, text: str, old_text: str | None, author: Author, message: str) -> str:
        """Write, add and commit one file. Caller holds the store lock."""
        path, rel = self.path_for(code), self._rel(code)
        clear_git_locks(self.root / ".git", self.lock_wait)
        env = _ident_env(author, self._clock())
        g = self._git
        parent = self._objects.tip()
        try:
            self._write(path, text)
        except OSError as exc:
            self._undo(path, rel, old_text)
            if is_unavailable_os_error(exc):
                raise unavailable(exc) from exc
            raise
        try:
            g.add("--", rel, env=env)
            # A pathspec commits this file only, even if a crashed writer left others staged.
            g.commit("-q", "--no-verify", "--cleanup=whitespace", f"--author={author.ident}",
                     "-m", message, "--", rel, env=env)
        except git.GitCommandError as exc:
            self._undo(path, rel, old_text)
            raise _git_failure(f"Could not commit {rel}", exc) from exc
        except BaseException:
            self._undo(path, rel, old_text)
            raise
        new = self._objects.tip()
        self._pool.heads().committed(parent, new, rel)
        return new

    def _write(self, path: Path, text: str) -> None:
        # Write-then-rename so a crash never leaves half a procedure in the working tree.
        tmp = self.root / ".git" / f"qms-write-{os.getpid()}-{threading.get_ident()}.tmp"
        tmp.write_bytes(text.encode("utf-8"))
        path.parent.mkdir(exist_ok=True)
        os.replace(tmp, path)

    def _undo(self, path: Path, rel: str, old_text: str | None) -> None:
        try:
            self._git.reset("-q", "HEAD", "--", rel)
        except git.GitCommandError:
            pass
        try:
            if old_text is None:
                path.unlink(missing_ok=True)
            else:
                self._write(path, old_text)
        except OSError:
            pass  # a read-only disk: the working tree keeps its old file, main is unchanged

    # -- issues and withdrawals ----------------------------------------------------
    def _raw_tags(self, code: str) -> list[tagfmt.RawTag]:
        out = self._git.for_each_ref(f"--format={tagfmt.FOR_EACH_REF_FORMAT}", f"refs/tags/{validate_code(code)}/",
                                     strip_newline_in_stdout=False)
        return tagfmt.parse_for_each_ref(out)

    def _tag(self, name: str, target: str, person: Author, message: str) -> None:
        """Caller holds the store lock."""
        clear_git_locks(self.root / ".git", self.lock_wait, names=("packed-refs.lock", f"refs/tags/{name}.lock"))
        try:
            self._git.tag("-a", "--cleanup=whitespace", "-m", message, name, target,
                          env=_ident_env(person, self._clock()))
        except git.GitCommandError as exc:
            raise _git_failure(f"Could not tag {name}", exc) from exc

    def issue(self, code: str, revision: str, issue_number: int, effective_on: date,
              approver: Author, message: str) -> IssueRecord:
        """Record that `revision` is issue N, effective from a date, as tag <CODE>/issue-<N>."""
        if isinstance(issue_number, bool) or not isinstance(issue_number, int) or not 1 <= issue_number <= 999999:
            raise InvalidProcedure(f"Issue number must be a whole number from 1, got {issue_number!r}",
                                   code="invalid_field", field="issue")
        if isinstance(effective_on, datetime) or not isinstance(effective_on, date):
            raise InvalidProcedure("The effective date must be a date", code="invalid_field", field="effective_on")
        with self._lock.hold():
            target = self.read(code, revision).revision
            if not self.is_ancestor(target, BRANCH):
                raise InvalidProcedure(f"Revision {target[:10]} is not on {BRANCH}", code="not_on_main")
            name = tagfmt.issue_tag_name(code, issue_number)
            if any(t.name == name for t in self._raw_tags(code)) or self._objects.header(f"refs/tags/{name}"):
                raise InvalidProcedure(f"{code} already has an issue {issue_number}", code="exists", field="issue")
            body = tagfmt.issue_message(code, issue_number, effective_on, approver, message)
            self._tag(name, target, approver, body)
            return next(i for i in self.issues(code) if i.tag == name)

    def withdraw(self, code: str, author: Author, reason: str, on: date) -> str:
        """Record that the procedure is withdrawn from `on`; returns the tag name."""
        if not (reason or "").strip():
            raise InvalidProcedure("A reason for the withdrawal is required", code="missing_field", field="reason")
        if isinstance(on, datetime) or not isinstance(on, date):
            raise InvalidProcedure("The withdrawal date must be a date", code="invalid_field", field="on")
        with self._lock.hold():
            target = self.head(code)
            taken = {t.name for t in self._raw_tags(code)}
            name = tagfmt.withdrawal_tag_name(code, on, taken)
            self._tag(name, target, author, tagfmt.withdrawal_message(code, on, author, reason))
            return name

    def issues(self, code: str) -> list[IssueRecord]:
        found = [r for r in map(tagfmt.to_issue, self._raw_tags(code)) if r]
        return sorted(found, key=lambda r: r.number)

    def withdrawals(self, code: str) -> list[WithdrawalRecord]:
        found = [r for r in map(tagfmt.to_withdrawal, self._raw_tags(code)) if r]
        return sorted(found, key=lambda r: (r.withdrawn_on, r.tagged_at.timestamp() if r.tagged_at else 0.0))

    def in_force_on(self, code: str, day: date) -> IssueRecord | None:
        """The issue in force on `day`, or None (not yet issued, or withdrawn)."""
        raws = self._raw_tags(code)
        issues = [r for r in map(tagfmt.to_issue, raws) if r]
        withdrawals = [r for r in map(tagfmt.to_withdrawal, raws) if r]
        return tagfmt.select_in_force(issues, withdrawals, day)

    # -- audit helpers -------------------------------------------------------------
    def all_tags(self) -> list[tagfmt.RawTag]:
        """Every annotated tag of the store (issues, withdrawals and anything else), with its object id."""
        out = self._git.for_each_ref(f"--format={tagfmt.FOR_EACH_REF_FORMAT}", "refs/tags/",
                                     strip_newline_in_stdout=False)
        return tagfmt.parse_for_each_ref(out)

    def tag_object(self, name: str) -> str:
        """The id of the annotated tag object `name` (what an audit event records about an issue)."""
        return self._git.rev_parse("--verify", "-q", f"refs/tags/{name}").strip()

    def commit_exists(self, sha: str) -> bool:
        if not isinstance(sha, str) or not _SHA_RE.fullmatch(sha):
            return False
        header = self._objects.header(sha)
        return header is not None and header[1] == "commit"

    def is_ancestor(self, sha: str, of: str = BRANCH) -> bool:
        """True if commit `sha` is in the history of `of` (False after a history rewrite)."""
        if not self.commit_exists(sha):
            return False
        try:
            target = self._objects.resolve(of)
        except ProcedureNotFound:
            return False
        status, _out, _err = self._git.merge_base("--is-ancestor", sha, target,
                                                  with_extended_output=True, with_exceptions=False)
        return status == 0

    def all_commits(self, oldest_first: bool = False) -> Iterator[CommitInfo]:
        """Every commit on main with the paths it changed, streamed."""
        return iter_commits(self._git, BRANCH, oldest_first)


def _split_log(out: str) -> Iterator[list[str]]:
    """Records of `git log -z --format=<5 NUL-separated fields>`."""
    parts = out.split("\0")
    if parts and parts[-1] in ("", "\n"):
        parts.pop()
    for i in range(0, len(parts) - 4, 5):
        yield parts[i:i + 5]
