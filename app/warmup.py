"""Warm the search index when a server process starts, so that no user waits for it.

A fresh process reads a term list from disk the first time a query needs it; on 10,000 procedures the
first searches of a restarted worker took 100-300 ms instead of 10-40. `SearchIndex.warm()` reads the
most used lists (and the vocabulary prefixes expand over) in a second or two. It is called:

- under gunicorn, by the `post_worker_init` hook in gunicorn.conf.py, before the worker takes requests;
- under `flask run` (make run), in a background thread, so the development server starts at once;
- never in the test suite (TESTING) or by CLI commands, unless QMS_SEARCH_WARM says so.

QMS_SEARCH_WARM (config or environment): 1 to warm, 0 never to; unset means warm unless testing.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

from flask import Flask

log = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "on"}


def enabled(app: Flask) -> bool:
    value = app.config.get("QMS_SEARCH_WARM", os.environ.get("QMS_SEARCH_WARM"))
    if value is None or value == "":
        return not app.testing
    return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE


def _index_exists(app: Flask) -> bool:
    # Only an index that exists is warmed: opening a missing one would create an empty one to rebuild.
    return (Path(app.config["QMS_INDEX_DIR"]) / "CURRENT").is_file()


def warm_search(app: Flask, tick=None) -> int | None:
    """Open this process's search index and read its most used parts; the number of term lists read,
    or None when skipped (disabled, no index yet) or failed (logged: a cold index is slower, not broken).
    Gives up after QMS_SEARCH_WARM_SECONDS (default 20; the rest is read on demand); *tick* is called
    now and then (gunicorn's worker.notify, so its master does not take a long warm for a hung worker)."""
    if not enabled(app) or not _index_exists(app):
        return None
    try:
        with app.app_context():
            from app.procedures import core

            started = time.perf_counter()
            seconds = float(app.config.get("QMS_SEARCH_WARM_SECONDS",
                                           os.environ.get("QMS_SEARCH_WARM_SECONDS") or 20))
            count = core.search_index().warm(seconds=seconds, tick=tick)
            log.info("search index warmed: %d term lists in %.1f s (pid %d)", count,
                     time.perf_counter() - started, os.getpid())
            return count
    except Exception:
        log.warning("warming the search index failed; searches read it from disk instead", exc_info=True)
        return None


def warm_in_background(app: Flask) -> threading.Thread | None:
    if not enabled(app) or not _index_exists(app):
        return None
    thread = threading.Thread(target=warm_search, args=(app,), name="qms-search-warm", daemon=True)
    thread.start()
    return thread


def serving_with_flask_run(argv: list[str] | None = None) -> bool:
    """True in `flask ... run` (the development server), not in other flask commands."""
    argv = sys.argv if argv is None else argv
    program = Path(argv[0]).name if argv else ""
    if program not in ("flask", "__main__.py"):
        return False
    args = [a for a in argv[1:] if not a.startswith("-")]
    return "run" in args and not any(a in args for a in ("qms", "db", "shell", "routes"))


def at_start(app: Flask, argv: list[str] | None = None) -> threading.Thread | None:
    """Called by wsgi.py: warm in the background under `flask run` (gunicorn uses its hook instead)."""
    if serving_with_flask_run(argv):
        return warm_in_background(app)
    return None


def settle() -> None:
    """Freeze what a warmed worker holds (modules, mappers, compiled templates, index lists) out of the
    garbage collector's full passes: at province scale a full pass over them stalled a request by 150-200 ms
    now and then. Objects made by requests are collected as before."""
    import gc

    gc.collect()
    gc.freeze()
