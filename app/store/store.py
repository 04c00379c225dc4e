"""ProcedureStore: procedures as Markdown files in their own git repository, saved conflict-safely."""
from __future__ import annotations

import copy
import difflib
import os
import re
import threading
from collections import OrderedDict
from datetime import date, datetime, timedelta, timezone
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
_IDENT_RE = re.compile(r"^(.*) <(.*)> (-?\d+) ([+-])(\d\d)(\d\d)$")
HISTORY_CACHE_FILES = 512  # files whose history a store object remembers
HISTORY_WALK_MAX = 200
TAG_CACHE_CODES = 4096  # procedures whose tags a store object remembers  # commits read one by one before git log is cheaper


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
        self._histories: OrderedDict[str, tuple[str, tuple]] = OrderedDict()  # rel -> (last touch, log)
        self._history_guard = threading.Lock()
        self._tags: OrderedDict[str, tuple[tuple, tuple]] = OrderedDict()  # code -> (ref files' stat, tags)
        self._tags_guard = threading.Lock()
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
            # then what git would have done after each commit: pack loose objects once there are many
            proc = self._maintenance_lock.spawn_holding(
                ["sh", "-c", "git commit-graph write --reachable --changed-paths --split; "
                             "git maintenance run --auto --quiet"], self.root)
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

    def prime_heads(self) -> None:
        """Before reading most procedures on main (a reindex): learn every file's last commit in one walk."""
        self._pool.heads().prime(self._git, self._objects.tip())

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
        doc = _parsed.get(blob_sha, text)
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

    def history(self, code: str, raw_tags: list[tagfmt.RawTag] | None = None) -> list[RevisionInfo]:
        """Every commit that changed the procedure, newest first, with its tags (`raw_tags`: from raw_tags(code),
        if the caller has them already)."""
        rel = self._rel(code)
        by_commit: dict[str, list[str]] = {}
        for raw in self._raw_tags(code) if raw_tags is None else raw_tags:
            by_commit.setdefault(raw.commit, []).append(raw.name)
        revisions = [RevisionInfo(sha, name, email, when, message, tuple(sorted(by_commit.get(sha, ()))))
                     for sha, name, email, when, message in self._log_of(rel)]
        if not revisions:
            raise ProcedureNotFound(f"No procedure {code} in the store", procedure_code=code)
        return revisions

    def _log_of(self, rel: str) -> tuple[tuple, ...]:
        """(sha, author name, e-mail, authored at, message) of the commits that changed `rel`, newest first.

        `git log -- <file>` walks the whole history each time. A file's history as of the commit that last
        touched it never changes, so it is kept per file (a bounded LRU); when the file has changed since,
        only the commits from the new last touch back to the remembered one are read (through the thread's
        cat-file, no process started), and git log is asked only when that walk is long or not a straight line.
        """
        touch = self._pool.heads().lookup(self._git, self._objects.tip(), rel)
        if not touch:
            return ()
        with self._history_guard:
            known = self._histories.get(rel)
            if known is not None:
                self._histories.move_to_end(rel)
        if known is not None and known[0] == touch:
            return known[1]
        records = self._extend_log(rel, touch, known) if known is not None else None
        if records is None:
            out = self._git.log("-z", f"--format={_LOG_FIELDS}", touch, "--", rel, strip_newline_in_stdout=False)
            records = tuple((sha, name, email, datetime.fromisoformat(when), message.rstrip("\n"))
                            for sha, name, email, when, message in _split_log(out))
        with self._history_guard:
            self._histories[rel] = (touch, records)
            self._histories.move_to_end(rel)
            while len(self._histories) > HISTORY_CACHE_FILES:
                self._histories.popitem(last=False)
        return records

    def _extend_log(self, rel: str, touch: str, known: tuple[str, tuple]) -> tuple | None:
        """The history of `rel` as of `touch`, from a remembered one as of an older commit; None to ask git log."""
        since, older = known
        newer = []
        commit = touch
        for _ in range(HISTORY_WALK_MAX):
            obj = self._objects.data(commit)
            if obj is None or obj[1] != "commit":
                return None
            parsed = _parse_commit(commit, obj[2])
            if parsed is None:
                return None
            parents, record = parsed
            if len(parents) != 1:
                return None  # the root, or a merge (the store makes neither after its first commit)
            parent = parents[0]
            mine, theirs = self._objects.header(f"{commit}:{rel}"), self._objects.header(f"{parent}:{rel}")
            if (mine and mine[0]) != (theirs and theirs[0]):
                newer.append(record)
            if parent == since:
                return tuple(newer) + older
            commit = parent
        return None

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
            if old_text is None:
                g.add("--", rel, env=env)  # a new file: git commit takes a path it knows only
            # A pathspec commits this file only (its working-tree text, staged on the way), even if a crashed
            # writer left others staged.
            # no automatic maintenance after each commit (one more git process, about a third of the commit's
            # time): _note_commit runs it in the background every `maintain_every` commits
            g(c="maintenance.auto=false").commit("-q", "--no-verify", "--cleanup=whitespace",
                                                 f"--author={author.ident}", "-m", message, "--", rel, env=env)
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
        """The procedure's tags; remembered while the ref files they come from are untouched.

        Every page and save of a procedure asks for its tags, and `git for-each-ref` is a process each
        time. A tag changes only through its ref (git writes a new file and renames it into place, or
        rewrites packed-refs), so the stat of those files is a safe key for what git would answer.
        """
        prefix = f"refs/tags/{validate_code(code)}/"
        before = self._refs_fingerprint(prefix)
        if before is not None:
            with self._tags_guard:
                hit = self._tags.get(code)
                if hit is not None and hit[0] == before:
                    self._tags.move_to_end(code)
                    return list(hit[1])
        out = self._git.for_each_ref(f"--format={tagfmt.FOR_EACH_REF_FORMAT}", prefix,
                                     strip_newline_in_stdout=False)
        tags = tagfmt.parse_for_each_ref(out)
        if before is not None and self._refs_fingerprint(prefix) == before:
            with self._tags_guard:
                self._tags[code] = (before, tuple(tags))
                self._tags.move_to_end(code)
                while len(self._tags) > TAG_CACHE_CODES:
                    self._tags.popitem(last=False)
        return tags

    def _refs_fingerprint(self, prefix: str) -> tuple | None:
        """(inode, mtime, size) of packed-refs and of every loose ref under `prefix`; None if refs are not files."""
        gitdir = self.root / ".git"
        if (gitdir / "reftable").exists():
            return None
        parts: list[tuple] = []
        try:
            st = os.stat(gitdir / "packed-refs")
            parts.append(("packed-refs", st.st_ino, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            parts.append(("packed-refs",))
        except OSError:
            return None
        errors: list[OSError] = []
        for folder, dirs, files in os.walk(gitdir / prefix, onerror=errors.append):
            dirs.sort()
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(folder, name))
                except OSError:
                    return None  # changing under us: do not remember
                parts.append((os.path.join(folder, name), st.st_ino, st.st_mtime_ns, st.st_size))
        if any(not isinstance(e, FileNotFoundError) for e in errors):
            return None
        return tuple(parts)

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
        return _issues(self._raw_tags(code))

    def withdrawals(self, code: str) -> list[WithdrawalRecord]:
        return _withdrawals(self._raw_tags(code))

    def raw_tags(self, code: str) -> list[tagfmt.RawTag]:
        """The procedure's tags as read from git, for issues_and_withdrawals() and history() to share."""
        return self._raw_tags(code)

    def issues_and_withdrawals(self, code: str, raw_tags: list[tagfmt.RawTag] | None = None
                               ) -> tuple[list[IssueRecord], list[WithdrawalRecord]]:
        """issues(code) and withdrawals(code) from one reading of the tags."""
        raws = self._raw_tags(code) if raw_tags is None else raw_tags
        return _issues(raws), _withdrawals(raws)

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


def _issues(raws: list[tagfmt.RawTag]) -> list[IssueRecord]:
    return sorted((r for r in map(tagfmt.to_issue, raws) if r), key=lambda r: r.number)


def _withdrawals(raws: list[tagfmt.RawTag]) -> list[WithdrawalRecord]:
    found = [r for r in map(tagfmt.to_withdrawal, raws) if r]
    return sorted(found, key=lambda r: (r.withdrawn_on, r.tagged_at.timestamp() if r.tagged_at else 0.0))


class ParsedCache:
    """Parsed procedures by git blob id, bounded by the characters of text they hold; thread-safe.

    A blob id names exactly one text, so its parse never changes. One save reads the same few blobs
    several times (the check, the mirror, the index), and the YAML header costs milliseconds each time.
    Callers get their own copy: a ProcedureDocument is mutable.
    """

    def __init__(self, max_chars: int = 2_000_000):
        self.max_chars = max_chars
        self._entries: OrderedDict[str, tuple[ProcedureDocument, int]] = OrderedDict()
        self._chars = 0
        self._guard = threading.Lock()

    def get(self, blob_sha: str, text: str) -> ProcedureDocument:
        with self._guard:
            found = self._entries.get(blob_sha)
            if found is not None:
                self._entries.move_to_end(blob_sha)
        doc = found[0] if found is not None else None
        if doc is None:
            doc = parse(text)  # raises InvalidProcedure for a malformed file: nothing is cached then
            with self._guard:
                if blob_sha not in self._entries and len(text) <= self.max_chars:
                    self._entries[blob_sha] = (doc, len(text))
                    self._chars += len(text)
                    while self._chars > self.max_chars:
                        _old, (_doc, size) = self._entries.popitem(last=False)
                        self._chars -= size
        return _copy(doc)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def chars(self) -> int:
        return self._chars


def _copy(doc: ProcedureDocument) -> ProcedureDocument:
    out = copy.copy(doc)
    out.legal_bases = list(doc.legal_bases)
    return out


_parsed = ParsedCache()


def _parse_commit(sha: str, data: bytes) -> tuple[list[str], tuple] | None:
    """(parents, history record) of a raw commit object, as `git log --format=_LOG_FIELDS` reports it."""
    head, _sep, message = data.decode("utf-8", "replace").partition("\n\n")
    parents, author = [], None
    for line in head.split("\n"):
        if line.startswith("parent "):
            parents.append(line[7:].strip())
        elif line.startswith("author "):
            author = _IDENT_RE.match(line[7:])
        elif line.startswith("encoding "):
            return None  # another encoding: let git convert it
    if author is None:
        return None
    name, email, stamp, sign, hours, minutes = author.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes)) * (-1 if sign == "-" else 1)
    when = datetime.fromtimestamp(int(stamp), timezone(offset))
    return parents, (sha, name, email, when, message.rstrip("\n"))


def _split_log(out: str) -> Iterator[list[str]]:
    """Records of `git log -z --format=<5 NUL-separated fields>`."""
    parts = out.split("\0")
    if parts and parts[-1] in ("", "\n"):
        parts.pop()
    for i in range(0, len(parts) - 4, 5):
        yield parts[i:i + 5]
