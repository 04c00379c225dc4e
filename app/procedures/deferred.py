"""Search-index updates deferred until the database transaction commits, and applied off the request.

The index is a cache, and a Whoosh update takes most of a save's time (tens of ms, and a second or more for
the commit that merges the small segments). Done inside the transaction it held SQLite's write lock and made
every other save wait; done after the commit but in the request, every save still waited for it, and the
save that merged waited for everyone's merge. So each update is computed when the change is made (the
documents as they will be), kept on the session, handed over by `after_commit` (a rolled-back change is
never indexed) and written by one indexing thread per process, which answers no request. Only the variants
a change can alter are written: a saved draft rewrites the draft, not the issued text. Updates of one
procedure still waiting are merged into one.

A failure is logged, never lost work (`qms reindex` rebuilds). A process that exits first waits (up to a
minute) for its pending updates. With QMS_INDEX_IN_BACKGROUND false (the default under TESTING) the
update is applied at once in `after_commit`, as before.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.search.models import VARIANTS

log = logging.getLogger(__name__)
_KEY = "qms_pending_index"
EXIT_WAIT_SECONDS = 60.0


@dataclass
class Update:
    """Replace the `variants` (None: all) of `code` in `index` with those among `documents`.

    `revision`, when set, is the commit the draft was saved as: if the procedure has moved on meanwhile
    (`store.head(code)` is newer), the update is dropped, since the newer change rewrites the draft itself
    and an older text must not overwrite it."""

    index: object
    code: str
    documents: list
    variants: tuple[str, ...] | None = None
    store: object = None
    revision: str | None = None
    background: bool = False

    def merged_with(self, newer: "Update") -> "Update":
        """One update doing what this one and a later one of the same procedure would do."""
        variants = None if self.variants is None or newer.variants is None else \
            tuple(v for v in VARIANTS if v in self.variants or v in newer.variants)
        revision = newer.revision if variants == ("draft",) else None
        return Update(newer.index, newer.code, newer.documents, variants, newer.store, revision, newer.background)

    def superseded(self) -> bool:
        if self.revision is None or self.store is None:
            return False
        try:
            return self.store.head(self.code) != self.revision
        except Exception:  # noqa: BLE001 - cannot tell: write it
            return False

    def apply(self) -> None:
        if self.superseded():
            return
        index, code = self.index, self.code
        if self.variants is None and not self.documents:
            index.delete(code)
            return
        by_variant = {doc.variant: doc for doc in self.documents}
        for variant in self.variants or VARIANTS:
            doc = by_variant.get(variant)
            if doc is not None:
                index.update(doc)  # replaces the document with the same code and variant
            else:
                index.delete(code, variant)


def schedule(session, index, code: str, documents: list, *, variants: tuple[str, ...] | None = None,
             store=None, revision: str | None = None) -> None:
    """Replace `code`'s documents (only `variants`, if given) in `index` once the session's transaction commits."""
    update = Update(index, code, list(documents), tuple(variants) if variants else None, store, revision,
                    _in_background())
    pending = session.info.setdefault(_KEY, {})
    pending[code] = pending[code].merged_with(update) if code in pending else update


def _in_background() -> bool:
    from flask import current_app, has_app_context

    if not has_app_context():
        return False
    cfg = current_app.config
    return bool(cfg.get("QMS_INDEX_IN_BACKGROUND", not current_app.testing))


@event.listens_for(Session, "after_commit")
def _apply(session) -> None:
    pending = session.info.pop(_KEY, None)
    for code, update in (pending or {}).items():
        if update.background:
            _worker.submit(update)
            continue
        try:
            update.apply()
        except Exception:  # noqa: BLE001
            log.exception("search index update failed for %s", code)


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_KEY, None)


class _Indexer:
    """The process's indexing thread, started with the first update.

    A daemon, so it never keeps a process alive by itself; at exit (a gunicorn worker told to stop, a CLI
    command ending) `atexit` waits for the pending updates first. A child process after a fork starts
    afresh: the parent's thread is not in it.
    """

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._cond = threading.Condition()
        self._pending: OrderedDict[str, Update] = OrderedDict()
        self._thread: threading.Thread | None = None
        self._busy = False

    def submit(self, update: Update) -> None:
        if os.getpid() != self._pid:
            self._reset()
        with self._cond:
            old = self._pending.pop(update.code, None)
            self._pending[update.code] = old.merged_with(update) if old else update
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="qms-index-updates", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending)
                _code, update = self._pending.popitem(last=False)
                self._busy = True
            try:
                update.apply()
            except Exception:  # noqa: BLE001
                log.exception("search index update failed for %s", update.code)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every update handed over so far is written; False if `timeout` ran out first."""
        if os.getpid() != self._pid:
            return True
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)


_worker = _Indexer()
atexit.register(lambda: _worker.wait(EXIT_WAIT_SECONDS))


def wait(timeout: float | None = None) -> bool:
    """Wait for this process's pending index updates (e.g. before a search that must see a save just made)."""
    return _worker.wait(timeout)
