"""The procedure store: procedures as Markdown files with front matter, versioned in their own git repository."""
from app.store.document import (ProcedureDocument, code_from_path, parse, procedure_path, validate_code,
                                validate_unit)
from app.store.errors import (InvalidProcedure, ProcedureNotFound, StoreBusy, StoreConflict, StoreError,
                              StoreUnavailable)
from app.store.records import Author, CommitInfo, RevisionInfo, StoredProcedure
from app.store.store import ProcedureStore
from app.store.tags import IssueRecord, WithdrawalRecord

__all__ = [
    "Author", "CommitInfo", "InvalidProcedure", "IssueRecord", "ProcedureDocument", "ProcedureNotFound",
    "ProcedureStore", "RevisionInfo", "StoreBusy", "StoreConflict", "StoreError", "StoreUnavailable", "StoredProcedure", "WithdrawalRecord",
    "code_from_path", "parse", "procedure_path", "validate_code", "validate_unit",
]
