"""The rendered-document cache: keyed by blob hash, bounded, thread-safe."""

import threading

import pytest

from app.render import RenderCache, render_cache, render_cached
from app.render import document


@pytest.fixture
def render_calls(monkeypatch):
    """Count real renders by wrapping render_markdown where the cache looks it up."""
    calls = []
    real = document.render_markdown

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(document, "render_markdown", counting)
    return calls


def test_same_key_returns_the_same_object_without_rendering_again(render_calls):
    first = render_cached("## Đăng ký hồ sơ\n", key="a1b2c3")
    second = render_cached("## Đăng ký hồ sơ\n", key="a1b2c3")

    assert second is first
    assert len(render_calls) == 1
    assert render_cache().hits == 1 and render_cache().misses == 1


def test_the_key_alone_decides_so_a_blob_hash_must_identify_the_text(render_calls):
    first = render_cached("phiên bản 1", key="blob-1")

    assert render_cached("phiên bản 2", key="blob-1") is first
    assert len(render_calls) == 1


def test_different_keys_are_rendered_separately(render_calls):
    one = render_cached("# Một", key="k1")
    two = render_cached("# Hai", key="k2")

    assert one.toc[0].title == "Một" and two.toc[0].title == "Hai"
    assert len(render_calls) == 2


def test_cached_result_matches_a_direct_render(procedure_text):
    assert render_cached(procedure_text, key="proc") == document.render_markdown(procedure_text)


def test_cache_evicts_the_least_recently_used_entry(render_calls):
    cache = RenderCache(max_entries=2)
    cache.get("a", "k1")
    cache.get("b", "k2")
    cache.get("c", "k3")

    assert "k1" not in cache and "k2" in cache and "k3" in cache
    assert len(cache) == 2


def test_reading_an_entry_protects_it_from_eviction(render_calls):
    cache = RenderCache(max_entries=2)
    cache.get("a", "k1")
    cache.get("b", "k2")
    cache.get("a", "k1")
    cache.get("c", "k3")

    assert "k1" in cache and "k2" not in cache


def test_default_cache_is_bounded_at_512_entries():
    assert render_cache().max_entries == 512


def test_cache_refuses_a_size_below_one():
    with pytest.raises(ValueError):
        RenderCache(max_entries=0)


def test_clear_forgets_entries_and_counters(render_calls):
    render_cached("x", key="k")
    render_cache().clear()
    render_cached("x", key="k")

    assert len(render_calls) == 2
    assert render_cache().misses == 1


def test_threads_asking_for_one_key_all_get_one_shared_object(procedure_text):
    cache = RenderCache(max_entries=4)
    barrier = threading.Barrier(8)
    results = []

    def worker():
        barrier.wait()
        for _ in range(20):
            results.append(cache.get(procedure_text, "same-blob"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 160
    assert all(result is results[-1] for result in results)
    assert len(cache) == 1


def test_threads_rendering_different_documents_get_their_own_results():
    cache = RenderCache(max_entries=64)
    errors = []

    def worker(n):
        for i in range(30):
            key = f"{n}-{i % 5}"
            rendered = cache.get(f"## Bước {n} lần {i % 5}\n", key)
            if rendered.toc[0].title != f"Bước {n} lần {i % 5}":
                errors.append((key, rendered.toc))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(cache) == 40
