"""Benchmark: PYTHONPATH=. python -m tests.render.bench_render (not collected by pytest)."""

import statistics
import time

from app.render import RenderCache, render_markdown, render_side_by_side, word_diff
from app.render import document
from app.render.sanitize import sanitize_html
from tests.render.render_sample import vietnamese_procedure


def timed(fn, runs: int) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    text = vietnamese_procedure()
    edited = text.replace("05 năm", "10 năm").replace("Lãnh đạo Sở | 0,5", "Giám đốc Sở | 1")
    print(f"document: {len(text.encode())} bytes UTF-8, {text.count(chr(10))} lines")

    start = time.perf_counter()
    render_markdown(text)
    print(f"first render in this thread (builds the Markdown instance): {(time.perf_counter() - start) * 1000:.2f} ms")

    md = document._converter()
    raw = md.convert(text)
    md.reset()
    rows = [
        ("render_markdown (full)", lambda: render_markdown(text), 50),
        ("  markdown convert only", lambda: (md.convert(text), md.reset()), 50),
        ("  nh3 sanitise only", lambda: sanitize_html(raw), 50),
    ]
    cache = RenderCache()
    cache.get(text, "blob")
    rows.append(("render_cached, hit", lambda: cache.get(text, "blob"), 10_000))
    rows.append(("word_diff (2 edits)", lambda: word_diff(text, edited), 50))
    rows.append(("render_side_by_side", lambda: render_side_by_side(text, edited), 50))
    for name, fn, runs in rows:
        median, p95 = timed(fn, runs)
        print(f"{name:28s} median {median:9.4f} ms   p95 {p95:9.4f} ms   ({runs} runs)")


if __name__ == "__main__":
    main()
