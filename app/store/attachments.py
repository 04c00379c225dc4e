"""Files attached to a procedure (its forms), kept in the store beside its text: <CODE>.files/<name>.

They are committed like the text, so an issue tag (which points at a commit) also fixes the
forms of that issue: the files of issue N are the files in the tree of the tag's commit.
"""
from __future__ import annotations

import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import git

from app.store.document import procedure_path
from app.store.errors import InvalidProcedure, ProcedureNotFound, StoreError
from app.store.records import Author
from app.store.repo import BRANCH, clear_stale_index_lock

_UNSAFE = re.compile(r"[^\w .()+,-]", re.UNICODE)
_SPACES = re.compile(r"\s+")
NAME_MAX = 120


@dataclass(frozen=True)
class AttachmentInfo:
    name: str
    size: int
    blob: str


@dataclass(frozen=True)
class AttachmentChange:
    commit: str
    author_name: str
    authored_at: datetime
    message: str
    paths: tuple[str, ...]


def safe_name(filename: str, allowed_extensions: tuple[str, ...]) -> str:
    """A file name that is one path part, printable, with an allowed extension; else InvalidProcedure.

    Only the last part of what a browser sends is kept ("..\\..\\x.docx" -> "x.docx"), letters
    with Vietnamese marks stay (NFC), anything else that could mean something to a shell, a
    URL or a file system becomes "_".
    """
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").split("/")[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _SPACES.sub(" ", _UNSAFE.sub("_", name)).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip("_ ") or ext.lower() not in allowed_extensions:
        raise InvalidProcedure(f"Unacceptable file name {filename!r}", code="bad_name", field="file")
    stem = stem[:NAME_MAX - len(ext) - 1].rstrip(" .")
    return f"{stem}.{ext.lower()}"


class Attachments:
    """Attach, replace, remove and read a procedure's files through a ProcedureStore's lock and repo."""

    def __init__(self, store, max_bytes: int = 3 * 1024 * 1024):
        self.st = store
        self.max_bytes = max_bytes

    def folder(self, code: str) -> str:
        return procedure_path(code, self.st.layout)[:-3] + ".files"

    def _rel(self, code: str, name: str) -> str:
        if "/" in name or name in ("", ".", "..") or name.startswith("."):
            raise InvalidProcedure(f"Unacceptable file name {name!r}", code="bad_name", field="file")
        return f"{self.folder(code)}/{name}"

    def list(self, code: str, revision: str | None = None) -> list[AttachmentInfo]:
        commit = self.st._objects.resolve(revision or BRANCH)
        if self.st._objects.header(f"{commit}:{self.folder(code)}") is None:
            return []  # most procedures have no files: answered by cat-file, no git process started
        out = self.st._git.ls_tree("-z", "-l", commit, "--", self.folder(code) + "/",
                                   strip_newline_in_stdout=False)
        found = []
        for entry in out.split("\0"):
            if not entry:
                continue
            meta, _, path = entry.partition("\t")
            _mode, kind, sha, size = meta.split()
            if kind == "blob":
                found.append(AttachmentInfo(path.rsplit("/", 1)[-1], int(size), sha))
        return sorted(found, key=lambda a: a.name.lower())

    def read(self, code: str, name: str, revision: str | None = None) -> bytes:
        commit = self.st._objects.resolve(revision or BRANCH)
        blob = self.st._objects.blob(commit, self._rel(code, name))
        if blob is None:
            raise ProcedureNotFound(f"No file {name} of {code} at {revision or BRANCH}", procedure_code=code)
        return blob[1]

    def put(self, code: str, name: str, data: bytes, author: Author, message: str) -> str:
        """Add or replace one file; the procedure must exist. Returns the new commit."""
        if len(data) > self.max_bytes:
            raise InvalidProcedure(f"{name} is {len(data):,} bytes; at most {self.max_bytes:,}", code="too_large",
                                   field="file")
        rel = self._rel(code, name)
        with self.st._lock.hold():
            if not self.st.exists(code):
                raise ProcedureNotFound(f"No procedure {code} in the store", procedure_code=code)
            return self._commit(rel, data, author, message or f"Đính kèm {name} vào {code}")

    def remove(self, code: str, name: str, author: Author, message: str) -> str:
        rel = self._rel(code, name)
        with self.st._lock.hold():
            if self.st._objects.blob(self.st._objects.tip(), rel) is None:
                raise ProcedureNotFound(f"No file {name} of {code}", procedure_code=code)
            return self._commit(rel, None, author, message or f"Gỡ {name} khỏi {code}")

    def history(self, code: str) -> list[AttachmentChange]:
        """Every commit that added, replaced or removed one of the procedure's files, newest first."""
        out = self.st._git.log("-z", "--name-only", "--format=%x1e%H%x00%an%x00%aI%x00%s%x00", BRANCH, "--",
                               self.folder(code) + "/", strip_newline_in_stdout=False)
        changes = []
        for chunk in out.split("\x1e")[1:]:
            parts = chunk.split("\0")
            sha, name, when, subject = parts[:4]
            paths = tuple(p.strip("\n") for p in parts[4:] if p.strip("\n"))
            changes.append(AttachmentChange(sha, name, datetime.fromisoformat(when), subject, paths))
        return changes

    def _commit(self, rel: str, data: bytes | None, author: Author, message: str) -> str:
        """Write (or delete), add and commit one file. Caller holds the store lock."""
        from app.store.store import _ident_env

        st = self.st
        clear_stale_index_lock(st.root)
        path = st.root / rel
        if path.is_symlink() or (path.parent.exists() and path.parent.resolve().parent != path.parent.parent.resolve()):
            raise InvalidProcedure(f"{rel} would lie outside the store", code="path_escape")
        old = path.read_bytes() if path.exists() else None
        env = _ident_env(author, st._clock())
        parent = st._objects.tip()
        g = st._git
        try:
            if data is None:
                g.rm("-q", "--cached", "--", rel, env=env)
                path.unlink(missing_ok=True)
            else:
                tmp = st.root / ".git" / f"qms-attach-{os.getpid()}-{threading.get_ident()}.tmp"
                tmp.write_bytes(data)
                path.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, path)
                g.add("--", rel, env=env)
            g.commit("-q", "--no-verify", "--cleanup=whitespace", f"--author={author.ident}", "-m", message,
                     "--", rel, env=env)
        except git.GitCommandError as exc:
            self._undo(rel, old)
            raise StoreError(f"Could not commit {rel}: {exc.stderr.strip()}") from exc
        except BaseException:
            self._undo(rel, old)
            raise
        new = st._objects.tip()
        st._pool.heads().committed(parent, new, rel)
        st._note_commit()
        return new

    def _undo(self, rel: str, old: bytes | None) -> None:
        try:
            self.st._git.reset("-q", "HEAD", "--", rel)
        except git.GitCommandError:
            pass
        path = self.st.root / rel
        if old is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(old)
