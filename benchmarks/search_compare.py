"""Latency of the two rankers on one index: ours (app/search/ranker.py) and Whoosh's BM25F (search_whoosh_bm25f.py).

Run after search_bench.py built an index (or let it build one):
    PYTHONPATH=. .venv/bin/python -u benchmarks/search_compare.py --dir /tmp/ix10k [--reuse] [--runs 40]

Both answer the same parsed queries with the same matching rules; ours renders 20 hits with snippets,
Whoosh returns the top 20 codes (so the comparison favours Whoosh by the snippets' cost). "cold" empties our
term-list cache before each query and opens a new Whoosh searcher (the operating system's file cache stays
warm in both cases, as on a running server after a restart).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import QUERIES, make_corpus, stats  # noqa: E402
from search_judgments import JUDGED  # noqa: E402
from search_whoosh_bm25f import WhooshEngine  # noqa: E402

from app.search import SearchIndex  # noqa: E402
from app.search.analysis import fold  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="search-compare-"))
    ours = SearchIndex(base / "index" if not args.reuse else base)
    if not (args.reuse and not ours.needs_rebuild):
        t = time.perf_counter()
        ours.rebuild(iter(make_corpus(args.docs)))
        print(f"rebuild: {time.perf_counter() - t:.1f} s")
    theirs = WhooshEngine(ours.path)

    groups = {k: v + [fold(q) for q in v if not q.startswith("QT")] for k, v in QUERIES.items()}
    groups["judged queries"] = [j.query for j in JUDGED]
    print(f"{'group':<18}{'ours med':>9}{'p95':>7}{'cold med':>9}{'p95':>7}"
          f"{'BM25F med':>10}{'p95':>7}{'cold med':>9}{'p95':>7}")
    for name, qs in groups.items():
        runs = (qs * (args.runs // len(qs) + 1))[:max(args.runs, len(qs))]
        for q in qs:
            ours.search(q)
            theirs.search(q)
        warm_o, warm_t, cold_o, cold_t = [], [], [], []
        for q in runs:
            t = time.perf_counter()
            ours.search(q)
            warm_o.append(time.perf_counter() - t)
            t = time.perf_counter()
            theirs.search(q)
            warm_t.append(time.perf_counter() - t)
        for q in qs:
            ours.clear_cache()
            t = time.perf_counter()
            ours.search(q)
            cold_o.append(time.perf_counter() - t)
            theirs.searcher.close()
            t = time.perf_counter()
            theirs.searcher = theirs.ix.searcher(weighting=theirs.weighting)
            theirs.search(q)
            cold_t.append(time.perf_counter() - t)
        cells = [stats(x) for x in (warm_o, cold_o, warm_t, cold_t)]
        print(f"{name:<18}" + "".join(f"{m:>{w}.1f}{p:>7.1f}" for (m, p), w in zip(cells, (9, 9, 10, 9))))
    theirs.close()
    ours.close()


if __name__ == "__main__":
    main()
