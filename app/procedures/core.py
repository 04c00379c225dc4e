"""Per-process access to the store and the search index, and hooks other features listen to.

Both are opened lazily on first use in each process: a git `Repo` opened before gunicorn forks
hangs the workers (FIELD-NOTES), and one Whoosh index object per process is what Whoosh wants.
"""
from __future__ import annotations

import os
from typing import Callable

from flask import current_app

from app.search import SearchIndex
from app.store import Author, ProcedureStore

# fn(actor, procedure) after a new issue / a withdrawal / a change of owner unit
ON_ISSUE: list[Callable] = []
ON_WITHDRAW: list[Callable] = []
ON_TRANSFER: list[Callable] = []
# fn(st, procedure) after the mirror row of a procedure was made equal to the store (every save, issue, fsck)
ON_SYNC: list[Callable] = []
# fn(store, code, revision or None for main) -> str: more text to index with a revision (e.g. its form files)
INDEX_TEXT: list[Callable] = []


def _per_process(key: str, factory):
    ext = current_app.extensions
    holder = ext.get(key)
    if holder is None or holder[0] != os.getpid():
        holder = (os.getpid(), factory())
        ext[key] = holder
    return holder[1]


def store() -> ProcedureStore:
    cfg = current_app.config
    return _per_process("qms_store", lambda: ProcedureStore(cfg["QMS_STORE_DIR"],
                                                            lock_wait=float(cfg.get("QMS_STORE_LOCK_WAIT", 5.0))))


def search_index() -> SearchIndex:
    return _per_process("qms_index", lambda: SearchIndex(current_app.config["QMS_INDEX_DIR"]))


def author_of(user) -> Author:
    """The git identity of a person: their name and e-mail (a stand-in address when none is set)."""
    if user is None:
        return Author("Hệ thống ISO", "qms@localhost")
    email = (user.email or f"{user.username}@users.qms.local").replace("<", "").replace(">", "")
    return Author(user.full_name.replace("<", "").replace(">", "") or user.username, email)
