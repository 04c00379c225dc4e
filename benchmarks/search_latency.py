"""Search at 10,000 procedures: reindex time, warm p95, and the first search of a freshly started process.

Run: PYTHONPATH=. .venv/bin/python -u benchmarks/search_latency.py [--docs 10000] [--dir D [--reuse]]
     [--restarts 2] [--no-warm] [--whoosh-writer]

- reindex: SearchIndex.rebuild of the generated corpus (benchmarks/search_bench.make_corpus), wall and CPU
  seconds (CPU: this process and the rebuild's helper processes), with the progress bar `qms reindex` shows;
  --whoosh-writer also times Whoosh's own writer
  (the path before the rebuild wrote its segment itself) on the same documents, for the ratio.
- warm: each query group (one word, two words, phrase, prefix; with and without diacritics) run in this
  process after one pass over its queries; p95 over --runs runs.
- first after restart: one fresh Python process per sample opens the index, warms it as a gunicorn worker
  does at start (app/warmup.py; --no-warm: not), and times its first search; --restarts passes over every
  query of every group.
The index is a directory of files, not the database: --database-url is accepted for `make bench` and unused.
Prints BENCH-RESULT with "search warm p95 ms", "search first after restart p95 ms" and "reindex 10000 s".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import QUERIES, make_corpus, stats  # noqa: E402

from app.search import SearchIndex  # noqa: E402
from app.search.analysis import fold  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

FIRST_SEARCH = """
import sys, time, json
t0 = time.perf_counter()
from app.search import SearchIndex
ix = SearchIndex(sys.argv[1])
t1 = time.perf_counter()
if sys.argv[2] == "warm":
    ix.warm()
t2, c2 = time.perf_counter(), time.process_time()
r = ix.search(sys.argv[3])
t3, c3 = time.perf_counter(), time.process_time()
print(json.dumps({"open": t1 - t0, "warm": t2 - t1, "first": t3 - t2, "cpu": c3 - c2, "total": r.total}))
"""


def groups() -> dict[str, list[str]]:
    out = {}
    for group, queries in QUERIES.items():
        out[f"{group} (dấu)"] = queries
        out[f"{group} (no diacritics)"] = [q if q.startswith("QT") else fold(q) for q in queries]
    return out


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the rebuild's helper processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def reindex(path: Path, docs, whoosh_writer: bool = False) -> tuple[float, float]:
    shutil.rmtree(path, ignore_errors=True)
    ix = SearchIndex(path)
    if whoosh_writer:
        from app.search import writing

        writing.fill, saved = (lambda gix, ds, *_rest: writing.whoosh_fill(gix, ds)), writing.fill
    try:
        with click.progressbar(length=len(docs), label="Lập chỉ mục / indexing", file=sys.stderr) as bar:
            state = {"done": 0}

            def tick(done, _total):
                bar.update(done - state["done"])
                state["done"] = done

            wall, cpu = time.perf_counter(), _cpu()
            ix.rebuild(iter(docs), progress=tick, total=len(docs))
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    finally:
        if whoosh_writer:
            writing.fill = saved
    ix.close()
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=60, help="warm runs per group")
    ap.add_argument("--restarts", type=int, default=2, help="passes over the queries, one process per sample")
    ap.add_argument("--dir", type=Path, default=None, help="index directory (default: a temp dir)")
    ap.add_argument("--reuse", action="store_true", help="keep an index already built in --dir")
    ap.add_argument("--no-warm", action="store_true", help="fresh processes search without warm()")
    ap.add_argument("--whoosh-writer", action="store_true", help="also time the rebuild through Whoosh's writer")
    ap.add_argument("--database-url", default=None, help="accepted for make bench; the index uses no database")
    args = ap.parse_args()

    base = args.dir or Path(tempfile.mkdtemp(prefix="search-latency-"))
    path = base / "index"
    docs = make_corpus(args.docs)
    print(f"corpus: {len(docs)} procedures; index at {path}; load average {os.getloadavg()[0]:.1f}")
    result: dict[str, float] = {}
    if args.reuse and (path / "CURRENT").exists():
        print("reindex: skipped (--reuse)")
    else:
        if args.whoosh_writer:
            wall, cpu = reindex(base / "whoosh-writer", docs, whoosh_writer=True)
            shutil.rmtree(base / "whoosh-writer", ignore_errors=True)
            print(f"reindex through Whoosh's writer: {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"(load {os.getloadavg()[0]:.1f})")
            result[f"reindex {args.docs} whoosh writer s"] = round(wall, 1)
        wall, cpu = reindex(path, docs)
        print(f"reindex: {wall:.1f} s wall, {cpu:.1f} s CPU (load {os.getloadavg()[0]:.1f}; target < 30 s)")
        result[f"reindex {args.docs} s"] = round(wall, 1)
        result[f"reindex {args.docs} cpu s"] = round(cpu, 1)

    ix = SearchIndex(path)
    t = time.perf_counter()
    ix.warm()
    print(f"warm() in this process: {time.perf_counter() - t:.2f} s")
    print(f"\n{'ms':<28}{'warm med':>9}{'p95':>7}{'first med':>10}{'p95':>7}{'max':>7}{'cpu p95':>8}"
          f"{'hits':>7}")
    warm_all, first_all, cpu_all, warm_seconds = [], [], [], []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for label, queries in groups().items():
        for q in queries:
            ix.search(q)
        it = iter(queries * (args.runs // len(queries) + 1))
        warm = []
        for _ in range(args.runs):
            q = next(it)
            t = time.perf_counter()
            ix.search(q)
            warm.append(time.perf_counter() - t)
        first, cpu = [], []
        for _ in range(args.restarts):
            for q in queries:
                out = subprocess.run([sys.executable, "-c", FIRST_SEARCH, str(path),
                                      "cold" if args.no_warm else "warm", q],
                                     capture_output=True, text=True, env=env, check=True)
                sample = json.loads(out.stdout)
                first.append(sample["first"])
                cpu.append(sample.get("cpu", sample["first"]))
                warm_seconds.append(sample["warm"])
        hits = ix.search(queries[0]).total
        (wm, wp), (fm, fp), (_, cp) = stats(warm), stats(first), stats(cpu)
        warm_all += warm
        first_all += first
        cpu_all += cpu
        print(f"{label:<28}{wm:>9.1f}{wp:>7.1f}{fm:>10.1f}{fp:>7.1f}{max(first) * 1000:>7.1f}{cp:>8.1f}"
              f"{hits:>7}", flush=True)
    ix.close()
    (wm, wp), (fm, fp), (_, cp) = stats(warm_all), stats(first_all), stats(cpu_all)
    print(f"{'all groups':<28}{wm:>9.1f}{wp:>7.1f}{fm:>10.1f}{fp:>7.1f}{max(first_all) * 1000:>7.1f}{cp:>8.1f}")
    ws = sorted(warm_seconds)
    print(f"warm() at each fresh process's start: median {ws[len(ws) // 2]:.1f} s, max {ws[-1]:.1f} s"
          + (" (not called: --no-warm)" if args.no_warm else ""))
    print("'first': wall time of a fresh process's first search; 'cpu p95': its CPU time (less sensitive "
          "to the other processes sharing the machine)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}; targets: p95 < 50 ms warm and first after restart")
    result["search warm p95 ms"] = round(wp, 1)
    result["search first after restart p95 ms"] = round(fp, 1)
    result["search first after restart cpu p95 ms"] = round(cp, 1)
    if args.dir is None:
        shutil.rmtree(base, ignore_errors=True)
    print("BENCH-RESULT " + json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
