"""Search-index updates deferred until the database transaction commits.

The index is a cache, and a Whoosh update takes most of a save's time (tens to hundreds of ms). Done
inside the transaction it held SQLite's write lock and made every other save wait; done after the
commit it holds nothing, and a rolled-back change is never indexed. Each update is computed when the
change is made (the documents as they will be), kept on the session, and applied by `after_commit`;
a failure is logged, never lost work (`qms reindex` rebuilds).
"""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_KEY = "qms_pending_index"


def schedule(session, index, code: str, documents: list) -> None:
    """Replace `code`'s documents in `index` once the session's transaction commits."""
    session.info.setdefault(_KEY, {})[code] = (index, documents)


@event.listens_for(Session, "after_commit")
def _apply(session) -> None:
    pending = session.info.pop(_KEY, None)
    for code, (index, documents) in (pending or {}).items():
        try:
            index.delete(code)
            for doc in documents:
                index.update(doc)
        except Exception:  # noqa: BLE001
            log.exception("search index update failed for %s", code)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_KEY, None)
