"""The search index is warmed when a server process starts (gunicorn hook, flask run), not by a user's search."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

from app import warmup
from app.procedures import core
from app.search import SearchIndex
from tests.search.helpers import sample_procedures

ROOT = Path(__file__).resolve().parents[2]


def _gunicorn_config():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def built(app):
    """The app's index, built by another process (as `qms reindex` or the previous worker did)."""
    with SearchIndex(app.config["QMS_INDEX_DIR"]) as ix:
        ix.rebuild(sample_procedures())
    app.extensions.pop("qms_index", None)
    return app


def _cached(app) -> int:
    return core.search_index()._cache._size


def test_the_gunicorn_worker_hook_warms_the_index_before_the_first_request(built):
    built.config["QMS_SEARCH_WARM"] = True
    conf = _gunicorn_config()
    assert conf.preload_app is False  # each worker opens the store and the index itself
    import gc

    try:
        conf.post_worker_init(SimpleNamespace(wsgi=built, notify=lambda: None))
        assert _cached(built) > 0  # term lists read before any search
        assert gc.get_freeze_count() > 0  # what the warmed worker holds is kept out of full collections
    finally:
        gc.unfreeze()  # this is a test process, not a worker


def test_the_gunicorn_hook_leaves_other_applications_alone():
    from flask import Flask

    conf = _gunicorn_config()
    conf.post_worker_init(SimpleNamespace(wsgi=Flask("hello"), notify=lambda: None))  # no error, nothing done


def test_warm_search_reads_the_lists_the_first_queries_need(built):
    built.config["QMS_SEARCH_WARM"] = True
    assert warmup.warm_search(built) > 0
    index = core.search_index()
    before = index._cache._size
    assert [h.code for h in index.search("đăng ký").hits]
    assert [h.code for h in index.search("kiểm*").hits]
    # The lists of these frequent words and of the prefix's expansions were already there.
    assert index._cache._size - before < before


def test_the_test_suite_and_an_explicit_no_never_warm(built):
    assert built.testing and warmup.warm_search(built) is None  # TESTING: off unless asked
    built.config["QMS_SEARCH_WARM"] = "0"
    assert warmup.warm_search(built) is None
    assert "qms_index" not in built.extensions  # not even opened


def test_no_index_yet_is_left_alone(app):
    app.config["QMS_SEARCH_WARM"] = True
    assert warmup.warm_search(app) is None
    assert not (Path(app.config["QMS_INDEX_DIR"]) / "CURRENT").exists()  # warming did not create one


def test_flask_run_warms_in_the_background_and_other_commands_do_not(built):
    built.config["QMS_SEARCH_WARM"] = True
    assert warmup.at_start(built, ["/srv/.venv/bin/flask", "--app", "wsgi", "qms", "reindex"]) is None
    assert warmup.at_start(built, ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]) is None  # its hook does
    thread = warmup.at_start(built, ["/srv/.venv/bin/flask", "--app", "wsgi", "run", "--port", "5000"])
    assert thread is not None
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert _cached(built) > 0


def test_a_failing_warm_is_logged_not_raised(built, monkeypatch, caplog):
    built.config["QMS_SEARCH_WARM"] = True

    def broken(self, *a, **k):
        raise OSError("disk gone")

    monkeypatch.setattr(SearchIndex, "warm", broken)
    assert warmup.warm_search(built) is None
    assert "warming the search index failed" in caplog.text


def test_warm_tells_its_caller_it_is_alive_and_stops_at_its_time_limit(tmp_path):
    from tests.search.helpers import proc

    docs = [proc(f"QT-W-{i:03d}", f"Quy trình {i} số {i % 50}", f"Nội dung {i} về {i % 97} và {i % 89}.")
            for i in range(300)]
    with SearchIndex(tmp_path / "index") as ix:
        ix.rebuild(docs)
        ticks = []
        everything = ix.warm(tick=lambda: ticks.append(1))
        assert everything >= 100 and len(ticks) == everything // 50
        ix.clear_cache()
        assert ix.warm(seconds=0) == 50  # gives up at the first check once its time is over
