"""Benchmark app.search on generated Vietnamese procedures: rebuild, update and query latency."""

# Run: PYTHONPATH=. .venv/bin/python -u benchmarks/search_bench.py [--docs 10000] [--runs 40] [--dir D --reuse]

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import tempfile
import time
import unicodedata
from pathlib import Path

from whoosh.qparser import QueryParser

from app.search import ALL, IndexedProcedure, SearchIndex
from app.search.analysis import fold

UNITS = ["VP", "KHTC", "QLKH", "QLCN", "TĐC", "SHTT", "TTra", "TTTT", "UDKH", "TTPT"]
STATUSES = ["hiệu lực", "hiệu lực", "hiệu lực", "hết hiệu lực", "tạm dừng"]
# Administrative words found in most procedures.
COMMON = ["quy trình", "hồ sơ", "tiếp nhận", "giải quyết", "thủ tục hành chính", "văn bản", "lãnh đạo",
          "chuyên viên", "phòng", "sở", "tỉnh", "thời hạn", "ngày làm việc", "bổ sung", "trả kết quả",
          "một cửa", "trực tuyến", "lưu trữ", "biểu mẫu", "báo cáo", "kiểm tra", "xử lý", "phê duyệt",
          "thông báo", "tổ chức", "cá nhân", "ủy ban nhân dân", "đăng ký", "kết quả", "đánh giá"]
# Each procedure is mostly about one of these subjects.
TOPICS = [
    ["khoa học", "công nghệ", "nhiệm vụ", "đề tài", "nghiệm thu", "thẩm định", "hội đồng", "kinh phí"],
    ["bức xạ", "an toàn", "hạt nhân", "cấp phép", "nguồn phóng xạ", "thiết bị X-quang", "liều chiếu"],
    ["tiêu chuẩn", "đo lường", "chất lượng", "phương tiện đo", "kiểm định", "hiệu chuẩn", "thử nghiệm"],
    ["sở hữu trí tuệ", "sáng chế", "nhãn hiệu", "chỉ dẫn địa lý", "bảo hộ", "giải pháp hữu ích"],
    ["chuyển giao", "công nghệ", "hợp đồng", "doanh nghiệp", "đổi mới sáng tạo", "khởi nghiệp"],
    ["thanh tra", "vi phạm", "xử phạt", "khiếu nại", "tố cáo", "kiến nghị", "biên bản"],
    ["mã số", "mã vạch", "hợp chuẩn", "hợp quy", "công bố", "giấy chứng nhận", "nhãn hàng hóa"],
    ["thông tin", "thống kê", "cơ sở dữ liệu", "thư viện", "ấn phẩm", "hội thảo", "tạp chí"],
]
FILLER = ["và", "của", "theo", "được", "cho", "các", "trong", "với", "tại", "để", "khi", "do", "từ",
          "về", "có", "không", "phải", "đã", "sẽ", "này", "đó", "những", "một", "người", "thực hiện"]
LEGAL = ["Luật Khoa học và Công nghệ 2013", "Luật Năng lượng nguyên tử 2008", "Luật Đo lường 2011",
         "Nghị định 08/2014/NĐ-CP", "Thông tư 02/2015/TT-BKHCN", "Nghị định 107/2016/NĐ-CP",
         "Quyết định 1034/QĐ-UBND", "ISO 9001:2015"]

# Made-up but well-formed Vietnamese syllables for the long tail of the vocabulary (Zipf-distributed).
_ONSETS = ["b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "ph", "qu",
           "r", "s", "t", "th", "tr", "v", "x", ""]
_RHYMES = ["a", "ai", "am", "an", "ang", "anh", "ao", "au", "ay", "ăn", "ăng", "âm", "ân", "âu", "ây",
           "e", "em", "en", "eo", "ê", "ên", "ênh", "êu", "i", "im", "in", "inh", "iu", "iêm", "iên",
           "iêu", "o", "oa", "oai", "oan", "oanh", "oi", "om", "on", "ong", "ô", "ôi", "ôm", "ôn", "ông",
           "ơ", "ơi", "ơn", "u", "ua", "ui", "um", "un", "ung", "uy", "uyên", "ư", "ưa", "ưng", "ương"]
_TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]


def _syllable(rng: random.Random) -> str:
    rhyme = rng.choice(_RHYMES)
    vowels = [i for i, c in enumerate(rhyme) if c in "aăâeêioôơuưy"]
    pos = vowels[-1] if len(vowels) > 1 and rhyme[vowels[-1]] in "âêôơư" else vowels[0]
    text = rng.choice(_ONSETS) + rhyme[:pos + 1] + rng.choice(_TONES) + rhyme[pos + 1:]
    return unicodedata.normalize("NFC", text)


def _vocabulary(rng: random.Random, size: int = 4000) -> tuple[list[str], list[float]]:
    """Words and their cumulative Zipf weights (cumulative, so each draw is a bisection)."""
    words = [" ".join(_syllable(rng) for _ in range(rng.choice((1, 2, 2, 2)))) for _ in range(size)]
    return words, list(itertools.accumulate(1.0 / (rank + 10) for rank in range(size)))


QUERIES = {
    "one word": ["thẩm", "phép", "lường", "chuẩn", "nghiệm", "xạ"],
    "two words": ["đăng ký", "khoa học", "cấp phép", "bức xạ", "đo lường", "hồ sơ"],
    "phrase": ['"tiếp nhận hồ sơ"', '"thẩm định công nghệ"', '"giấy chứng nhận"',
               '"ngày làm việc"', '"an toàn bức xạ"', '"đăng ký kết quả"'],
    "prefix": ["thẩm*", "quy tr*", "chứng*", "kiểm*", "hồ s*", "QT-VP*"],
}


def sentence(rng: random.Random, topic: list[str], vocab: tuple[list[str], list[float]]) -> str:
    words = []
    for _ in range(rng.randint(8, 18)):
        r = rng.random()
        if r < 0.15:
            words.append(rng.choice(topic))
        elif r < 0.25:
            words.append(rng.choice(COMMON))
        elif r < 0.27:
            words.append(rng.choice(rng.choice(TOPICS)))
        elif r < 0.55:
            words.append(rng.choice(FILLER))
        else:
            words.append(rng.choices(vocab[0], cum_weights=vocab[1])[0])
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: int, topic: list[str], vocab) -> str:
    out: list[str] = []
    count = 0
    while count < words:
        out.append(sentence(rng, topic, vocab))
        count += len(out[-1].split())
    return " ".join(out)


def make_corpus(n: int, seed: int = 9001) -> list[IndexedProcedure]:
    """*n* procedures: about 3% are drafts of an issued code; bodies of 300-450 words."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    docs = []
    issued = n - n // 30
    for i in range(issued):
        unit = UNITS[i % len(UNITS)]
        code = f"QT-{unit}-{i // len(UNITS) + 1:03d}"
        topic = TOPICS[rng.randrange(len(TOPICS))]
        title = "Quy trình " + " ".join(rng.sample(topic, 2)) + " " + rng.choice(COMMON)
        body = "\n\n".join(paragraph(rng, rng.randint(100, 150), topic, vocab) for _ in range(3))
        docs.append(IndexedProcedure(code, "issued", title, unit, rng.choice(STATUSES),
                                     rng.sample(LEGAL, 2), body, "2025-01-15T08:00:00"))
    for doc in rng.sample(docs, n - issued):
        docs.append(IndexedProcedure(doc.code, "draft", doc.title + " (dự thảo)", doc.unit, "dự thảo",
                                     doc.legal_bases, doc.body + " Sửa đổi " + rng.choice(COMMON) + ".",
                                     "2025-06-01T08:00:00"))
    return docs


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=60, help="timed runs per query group")
    ap.add_argument("--updates", type=int, default=50)
    ap.add_argument("--dir", type=Path, default=None, help="index directory (default: a temp dir)")
    ap.add_argument("--reuse", action="store_true", help="keep an index already built in --dir")
    args = ap.parse_args()

    base = args.dir or Path(tempfile.mkdtemp(prefix="search-bench-"))
    docs = make_corpus(args.docs)
    size = sum(len(d.body.encode()) for d in docs) / 1e6
    print(f"corpus: {len(docs)} procedures, {size:.1f} MB of body text, index at {base}")

    ix = SearchIndex(base / "index")
    if args.reuse and not ix.needs_rebuild:
        print("rebuild: skipped (--reuse)")
    else:
        t = time.perf_counter()
        ix.rebuild(iter(docs), total=len(docs))
        print(f"rebuild: {time.perf_counter() - t:.1f} s ({os.getloadavg()[0]:.1f} load average)")

    rng = random.Random(1)

    def one_update():
        doc = rng.choice(docs)
        ix.update(IndexedProcedure(doc.code, doc.variant, doc.title, doc.unit, doc.status,
                                   doc.legal_bases, doc.body + " Cập nhật " + rng.choice(COMMON) + ".",
                                   doc.updated_at))

    med, p95 = stats(timed(one_update, args.updates))
    print(f"update (one document + commit): median {med:.1f} ms, p95 {p95:.1f} ms  (target < 100 ms)")

    plain_ix = ix.dir.open_generation(ix.dir.current())
    plain = plain_ix.searcher()
    parser = QueryParser("content_folded", plain_ix.schema)

    def plain_search(q: str):
        # Whoosh's own parser does not NFC-normalise; give it the same text our index expects.
        results = plain.search(parser.parse(unicodedata.normalize("NFC", q)), limit=20)
        return [hit["code"] for hit in results]

    print(f"\nquery latency, ms: page 1 of 20 hits with snippets (SearchIndex) or top 20 without (plain"
          f" Whoosh QueryParser on content_folded); {args.runs} runs per group, queries cycled.\n"
          f"'cold' clears the term-list cache before every query (as after a restart or a rebuild).")
    print(f"{'group':<26}{'ours med':>9}{'p95':>7}{'cold med':>9}{'p95':>7}{'plain med':>10}{'p95':>7}"
          f"{'p95 ours/plain':>15}{'hits':>7}")
    for group, queries in QUERIES.items():
        for accents in (True, False):
            qs = queries if accents else [fold(q) if not q.startswith("QT") else q for q in queries]
            label = f"{group} ({'dấu' if accents else 'no diacritics'})"
            for q in qs:  # warm caches the way a running server would have them
                ix.search(q)
                plain_search(q)
            it = iter(qs * (args.runs // len(qs) + 1))
            ours = timed(lambda: ix.search(next(it)), args.runs)
            it = iter(qs * (args.runs // len(qs) + 1))
            base_t = timed(lambda: plain_search(next(it)), args.runs)
            cold = []
            for q in qs * 3:
                ix.clear_cache()
                cold += timed(lambda: ix.search(q), 1)
            hits = statistics.median(ix.search(q).total for q in qs)
            (om, op), (cm, cp), (pm, pp) = stats(ours), stats(cold), stats(base_t)
            print(f"{label:<26}{om:>9.1f}{op:>7.1f}{cm:>9.1f}{cp:>7.1f}{pm:>10.1f}{pp:>7.1f}"
                  f"{op / pp:>15.2f}{hits:>7.0f}")

    # A restarted worker that called warm(): every query below runs for the first time.
    ix.clear_cache()
    t = time.perf_counter()
    ix.warm()
    print(f"\nwarm(): {time.perf_counter() - t:.1f} s; then each query's first run, ms:")
    for group, queries in QUERIES.items():
        qs = queries + [fold(q) for q in queries if not q.startswith("QT")]
        med, p95 = stats([timed(lambda: ix.search(q), 1)[0] for q in qs])
        print(f"{group + ' (both)':<26}{med:>9.1f}{p95:>7.1f}")

    it = iter(QUERIES["two words"] * 20)
    med, p95 = stats(timed(lambda: ix.search(next(it), draft_units=ALL), args.runs))
    print(f"{'two words, drafts ALL':<26}{med:>9.1f}{p95:>7.1f}")
    it = iter(QUERIES["two words"] * 20)
    med, p95 = stats(timed(lambda: ix.search(next(it), unit="VP", sort="code", page=3), args.runs))
    print(f"{'two words, unit, code, p3':<26}{med:>9.1f}{p95:>7.1f}")
    print("\ntargets: query p95 < 50 ms, update < 100 ms")
    plain.close()
    ix.close()
    if args.dir is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
