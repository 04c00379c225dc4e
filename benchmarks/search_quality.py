"""Ranking quality of the search on the judged queries: nDCG@10, P@5, MRR and whether "nothing" queries are empty.

Run: PYTHONPATH=. .venv/bin/python benchmarks/search_quality.py [--engine ours|whoosh|both] [--with-corpus 10000]
     [--dir D [--reuse]] [-v]

The index holds the 15 procedures shipped in procedures/ (and, with --with-corpus N, N generated procedures
from search_bench.make_corpus around them, all judged 0: they show whether the shipped ones still come first).
Measures, over the judged queries that have relevant procedures:
- nDCG@10: gains 2^grade - 1, log2 discount, ideal ranking from the judgments;
- P@5: share of the first min(5, returned) results with grade >= 1 (a query answered by 1 relevant
  procedure alone scores 1.0; padding it with unrelated ones lowers it); an empty answer scores 0;
- MRR: 1 / rank of the first result carrying the query's highest grade (the procedure looked for).
"Nothing" queries pass when the search returns no procedure at all (fallbacks included).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_judgments import JUDGED, Judged  # noqa: E402

from app.search import IndexedProcedure, SearchIndex  # noqa: E402
from app.store.document import ProcedureDocument  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def shipped_procedures() -> list[IndexedProcedure]:
    docs = []
    for path in sorted((ROOT / "procedures").glob("QT-*.md")):
        doc = ProcedureDocument.parse(path.read_text(encoding="utf-8"))
        docs.append(IndexedProcedure(doc.code, "issued", doc.title, doc.unit, "hiệu lực", list(doc.legal_bases),
                                     doc.body, None))
    return docs


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(c, 0) - 1) / math.log2(i + 2) for i, c in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def precision5(ranked: list[str], grades: dict[str, int]) -> float:
    top = ranked[:5]
    return sum(1 for c in top if grades.get(c, 0) >= 1) / len(top) if top else 0.0


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    best = max(grades.values())
    for i, c in enumerate(ranked):
        if grades.get(c, 0) == best:
            return 1.0 / (i + 1)
    return 0.0


def query_text(j: Judged) -> str:
    return unicodedata.normalize("NFD", j.query) if j.nfd else j.query


class OurEngine:
    name = "ours (app.search)"

    def __init__(self, path: Path, docs=None):
        self.ix = SearchIndex(path)
        if docs is not None:
            self.ix.rebuild(iter(docs))

    def search(self, q: str) -> tuple[list[str], tuple[str, ...]]:
        res = self.ix.search(q, per_page=20)
        return [h.code for h in res.hits], res.notices

    def close(self):
        self.ix.close()


def make_engine(name: str, path: Path, b: float = 0.75):
    if name == "ours":
        return OurEngine(path)
    from search_whoosh_bm25f import WhooshEngine
    return WhooshEngine(path, b=b)


def evaluate(engine, verbose: bool = False) -> dict:
    rows, per_kind = [], defaultdict(list)
    nothing_ok, nothing_total, times = 0, 0, []
    for j in JUDGED:
        t = time.perf_counter()
        ranked, notices = engine.search(query_text(j))
        times.append(time.perf_counter() - t)
        if not j.grades:
            nothing_total += 1
            nothing_ok += not ranked
            if verbose or ranked:
                print(f"  nothing  {j.query!r}: {len(ranked)} results {ranked[:5]} {notices}")
            continue
        scores = (ndcg(ranked, j.grades), precision5(ranked, j.grades), reciprocal_rank(ranked, j.grades))
        rows.append(scores)
        per_kind[j.kind].append(scores)
        if verbose or scores[0] < 0.9 or scores[2] < 1:
            print(f"  {scores[0]:.2f} {scores[1]:.2f} {scores[2]:.2f}  {j.kind:<14} {j.query!r}: "
                  f"{[c.removeprefix('QT-') for c in ranked[:6]]}{' ' + str(notices) if notices else ''}")
    mean = [statistics.mean(r[i] for r in rows) for i in range(3)]
    print(f"\n{'kind':<16}{'n':>3}{'nDCG@10':>9}{'P@5':>7}{'MRR':>7}")
    for kind, rs in per_kind.items():
        print(f"{kind:<16}{len(rs):>3}" + "".join(f"{statistics.mean(r[i] for r in rs):>{w}.3f}"
                                                  for i, w in ((0, 9), (1, 7), (2, 7))))
    print(f"{'ALL':<16}{len(rows):>3}{mean[0]:>9.3f}{mean[1]:>7.3f}{mean[2]:>7.3f}")
    print(f"nothing queries empty: {nothing_ok}/{nothing_total}")
    ms = sorted(t * 1000 for t in times)
    print(f"latency over the judged queries: median {statistics.median(ms):.1f} ms, "
          f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms")
    return {"ndcg": mean[0], "p5": mean[1], "mrr": mean[2], "nothing": (nothing_ok, nothing_total)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=("ours", "whoosh", "both"), default="ours")
    ap.add_argument("--whoosh-b", type=float, default=0.75, help="BM25F length normalisation (0 = none, as ours)")
    ap.add_argument("--dir", type=Path, help="index directory to keep (default: a temporary one)")
    ap.add_argument("--reuse", action="store_true",
                    help="use the index already built in --dir (by search_bench.py), adding the shipped procedures")
    ap.add_argument("--with-corpus", type=int, default=0, metavar="N",
                    help="add N generated procedures (benchmarks/search_bench.make_corpus)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every query, not only the weak ones")
    args = ap.parse_args()
    docs = shipped_procedures()
    if args.with_corpus:
        from search_bench import make_corpus
        docs += make_corpus(args.with_corpus)
    print(f"{len(docs)} procedures; {len(JUDGED)} judged queries")
    with tempfile.TemporaryDirectory(prefix="search-quality-") as tmp:
        path = args.dir or Path(tmp) / "index"
        if not (args.reuse and path.exists()):
            t = time.perf_counter()
            with SearchIndex(path) as ix:
                ix.rebuild(iter(docs))
            print(f"indexed in {time.perf_counter() - t:.1f} s")
        else:
            # An index of the generated corpus built by search_bench.py: add (or refresh) the shipped ones.
            with SearchIndex(path) as ix:
                for doc in shipped_procedures():
                    ix.update(doc)
        for name in (("ours", "whoosh") if args.engine == "both" else (args.engine,)):
            engine = make_engine(name, path, args.whoosh_b)
            print(f"\n== engine: {engine.name}")
            try:
                for j in JUDGED[:10]:  # warm up caches as a running server would have them
                    engine.search(query_text(j))
                evaluate(engine, args.verbose)
            finally:
                engine.close()


if __name__ == "__main__":
    main()
