"""Plain value objects the store hands out: authors, stored revisions, history entries, commits."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from app.store.document import ProcedureDocument, code_from_path


@dataclass(frozen=True)
class Author:
    """The person a commit or tag is credited to (author and committer alike)."""

    name: str
    email: str

    def __post_init__(self) -> None:
        for label in ("name", "email"):
            value = getattr(self, label)
            if isinstance(value, str):
                object.__setattr__(self, label, unicodedata.normalize("NFC", value.strip()))
        # git would silently mangle these characters in the ident line and credit the
        # change to a different-looking person, so refuse them outright.
        for label, value in (("name", self.name), ("email", self.email)):
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"Author {label} is required")
            if any(ch in value for ch in "<>\n\r\0"):
                raise ValueError(f"Author {label} may not contain '<', '>' or line breaks: {value!r}")

    @property
    def ident(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class StoredProcedure:
    """A procedure as read from the store at one revision."""

    document: ProcedureDocument
    revision: str   # last commit touching the file at or before the revision asked for
    blob_sha: str   # git blob id of the exact text: a stable cache key for rendered HTML
    text: str

    @property
    def code(self) -> str:
        return self.document.code


@dataclass(frozen=True)
class RevisionInfo:
    """One entry of a procedure's history, with the issue/withdrawal tags pointing at it."""

    sha: str
    author_name: str
    author_email: str
    authored_at: datetime
    message: str
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        return self.message.split("\n", 1)[0]


@dataclass(frozen=True)
class CommitInfo:
    """One commit of the whole store, for audits that compare git with the database."""

    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    authored_at: datetime
    message: str
    paths: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """Procedures this commit changed (paths that are not procedure files are left out)."""
        return tuple(c for c in map(code_from_path, self.paths) if c)
