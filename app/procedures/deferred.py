"""Search-index updates deferred until the database transaction commits.

The index is a cache, and a Whoosh update takes most of a save's time (tens to hundreds of ms). Done
inside the transaction it held SQLite's write lock and made every other save wait; done after the
commit it holds nothing, and a rolled-back change is never indexed. Each update is computed when the
change is made as a snapshot of the procedure's row, kept on the session, and applied by
`after_commit`, which reads the documents from the store (no SQL); a failure is logged, never lost work
(`qms reindex` rebuilds).
"""
from __future__ import annotations

import logging
from types import SimpleNamespace

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_KEY = "qms_pending_index"


SNAPSHOT = ("code", "issued_revision", "current_revision", "status", "unit_code", "updated_at")


def schedule(session, index, st, proc) -> None:
    """Replace the procedure's documents in `index` once the session's transaction commits."""
    row = SimpleNamespace(**{name: getattr(proc, name) for name in SNAPSHOT})
    session.info.setdefault(_KEY, {})[proc.code] = (index, st, row)


@event.listens_for(Session, "after_commit")
def _apply(session) -> None:
    from app.procedures.mirror import index_documents

    pending = session.info.pop(_KEY, None)
    for code, (index, st, row) in (pending or {}).items():
        try:
            documents = index_documents(st, row)
            index.delete(code)
            for doc in documents:
                index.update(doc)
        except Exception:  # noqa: BLE001
            log.exception("search index update failed for %s", code)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_KEY, None)
