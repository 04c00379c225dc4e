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
import time
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.search.models import VARIANTS

log = logging.getLogger(__name__)
_KEY = "qms_pending_index"
EXIT_WAIT_SECONDS = 60.0
# The indexing thread shares the interpreter (its lock) with the process's requests: a Whoosh commit running
# beside a save slowed the save, and with it every save queued behind it for SQLite's write lock. So it writes
# once no request of its process has run for QUIET_SECONDS, or when its oldest update has waited
# MAX_DELAY_SECONDS (a busy worker: one commit then carries all that gathered).
QUIET_SECONDS = 0.02
MAX_DELAY_SECONDS = 1.0


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

    def changes(self) -> list[tuple]:
        """The index changes this update makes, as SearchIndex.apply takes them; none if superseded."""
        if self.superseded():
            return []
        code = self.code
        if self.variants is None and not self.documents:
            return [("delete", code, None)]
        by_variant = {doc.variant: doc for doc in self.documents}
        return [("update", by_variant[variant]) if variant in by_variant  # replaces code:variant
                else ("delete", code, variant) for variant in self.variants or VARIANTS]

    def apply(self) -> None:
        self.index.apply(self.changes())


def apply_together(updates: list[Update]) -> None:
    """Write `updates` with one commit per index; if that fails, one by one, so one bad update loses no other."""
    by_index: dict[int, list[Update]] = {}
    for update in updates:
        by_index.setdefault(id(update.index), []).append(update)
    for group in by_index.values():
        try:
            group[0].index.apply([c for update in group for c in update.changes()])
            continue
        except Exception:  # noqa: BLE001
            if len(group) == 1:
                log.exception("search index update failed for %s", group[0].code)
                continue
            log.warning("search index update of %d procedures failed; writing them one by one", len(group))
        for update in group:
            try:
                update.apply()
            except Exception:  # noqa: BLE001
                log.exception("search index update failed for %s", update.code)


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
    now = []
    for update in (pending or {}).values():
        if update.background:
            _worker.submit(update)
        else:
            now.append(update)
    apply_together(now)


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
        self._requests = 0  # requests of this process in progress
        self._urgent = 0  # callers of wait(): write at once

    def request_started(self) -> None:
        if os.getpid() != self._pid:
            self._reset()
        with self._cond:
            self._requests += 1

    def request_finished(self) -> None:
        if os.getpid() != self._pid:
            return
        with self._cond:
            self._requests = max(0, self._requests - 1)
            self._cond.notify_all()

    def _let_requests_pass(self) -> None:
        """Called holding the condition: return once the process is quiet, urgent, or the delay is over."""
        deadline = time.monotonic() + MAX_DELAY_SECONDS
        while not self._urgent:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if self._requests:
                self._cond.wait(left)  # notified when a request ends
            elif not self._cond.wait_for(lambda: self._requests or self._urgent, min(QUIET_SECONDS, left)):
                return  # no request began meanwhile

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
        # Everything waiting is written in one commit: while another process holds the index's write lock,
        # the updates of this one gather, so under load a commit carries many (one segment, not one each).
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending)
                self._let_requests_pass()
                updates = list(self._pending.values())
                self._pending.clear()
                self._busy = True
            try:
                apply_together(updates)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every update handed over so far is written; False if `timeout` ran out first."""
        if os.getpid() != self._pid:
            return True
        with self._cond:
            self._urgent += 1
            self._cond.notify_all()
            try:
                return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)
            finally:
                self._urgent -= 1


_worker = _Indexer()
atexit.register(lambda: _worker.wait(EXIT_WAIT_SECONDS))


def request_started() -> None:
    _worker.request_started()


def request_finished(_exc=None) -> None:
    _worker.request_finished()


def wait(timeout: float | None = None) -> bool:
    """Wait for this process's pending index updates (e.g. before a search that must see a save just made)."""
    return _worker.wait(timeout)
