"""Typed errors raised by the procedure store, for the routes to turn into friendly pages."""
from __future__ import annotations


class StoreError(Exception):
    """Base class: anything the store refuses or cannot do."""


class ProcedureNotFound(StoreError):
    """The procedure (or the revision asked for) does not exist in the store."""

    def __init__(self, message: str, procedure_code: str | None = None, revision: str | None = None):
        super().__init__(message)
        self.procedure_code = procedure_code
        self.revision = revision


class StoreConflict(StoreError):
    """Someone saved the procedure after the editor loaded it; nothing was changed.

    Carries what the editor needs to show a merge view: the revision now in the store and
    its text, next to the revision the edit was based on.
    """

    def __init__(self, code: str, base_revision: str, current_revision: str, current_text: str):
        super().__init__(
            f"{code} was changed by someone else (now at {current_revision[:10]}, "
            f"the edit was based on {str(base_revision)[:10]})"
        )
        self.procedure_code = code
        self.base_revision = base_revision
        self.current_revision = current_revision
        self.current_text = current_text


class InvalidProcedure(StoreError):
    """The document or request is not acceptable.

    `code` is a stable machine code (invalid_code, too_large, bad_front_matter,
    missing_field, exists, ...) so a form can point at the right field without parsing
    the English message; `field` names the front-matter field when there is one.
    """

    def __init__(self, message: str, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.code = code
        self.field = field


class StoreBusy(StoreError):
    """Another live process holds the store (or one of git's lock files) longer than we wait; retry later."""


class StoreUnavailable(StoreError):
    """The store cannot be written at all: a read-only or full disk, or no permission."""
