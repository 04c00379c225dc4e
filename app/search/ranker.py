"""Match and rank procedures from Whoosh term lists with set algebra, cached per immutable segment."""

# Why not Whoosh's matchers: they score every matching document through a tree of Python calls;
# for words found in most procedures ("hồ sơ", "quy trình") that alone took 50-250 ms on 10,000
# documents. Here each term list is read once per segment (a segment never changes except for
# deletions, which only grow), matching is set intersection, and scores are summed into one array.

from __future__ import annotations

import heapq
import math
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict

from whoosh.reading import TermNotFound

from app.search.models import ALL
from app.search.query import MIN_PREFIX, Clause, ParsedQuery

K1 = 1.2  # BM25 term-frequency saturation; no length normalisation (procedures are of similar size)
MAX_EXPANSIONS = 64  # prefix expansions kept, most frequent first
PHRASE_CONFIRM_LIMIT = 2000  # per segment; see _read_phrase
# Field weights: an exact (accented) match doubles a folded one; title and code outrank the body.
W_CONTENT, W_EXACT, W_TITLE, W_TITLE_EXACT, W_CODE_TEXT = 1.0, 1.0, 1.5, 1.5, 3.0
W_CODE, W_CODE_PREFIX, W_PAIR, W_ADJACENT, W_PREFIX = 12.0, 4.0, 1.0, 0.5, 1.0


class TermList:
    __slots__ = ("ids", "sat")

    def __init__(self, ids: array, sat: array):
        self.ids = ids  # segment-local docnums, ascending
        self.sat = sat  # tf * (K1 + 1) / (tf + K1), per docnum


_EMPTY = TermList(array("I"), array("f"))


class PostingCache:
    """LRU of term lists, phrases and columns keyed by segment id, shared by every snapshot of an index."""

    def __init__(self, max_postings: int = 4_000_000):
        self.max_postings = max_postings
        self._items: OrderedDict = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def _get(self, key, load, size_of):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = load()
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._size += size_of(value)
                while self._size > self.max_postings and len(self._items) > 1:
                    _, old = self._items.popitem(last=False)
                    self._size -= size_of(old)
        return value

    def terms(self, segment: Segment, field: str, term: str) -> TermList:
        return self._get((segment.segid, field, term), lambda: _read_terms(segment.reader, field, term),
                         lambda t: len(t.ids) + 1)

    def phrase(self, segment: Segment, folded: tuple[str, ...]) -> array:
        """Local docnums holding the phrase: every adjacent pair present, confirmed by positions."""
        return self._get((segment.segid, "#phrase", folded), lambda: _read_phrase(self, segment, folded), len)

    def column(self, segment: Segment, field: str) -> list:
        return self._get((segment.segid, "#column", field),
                         lambda: list(segment.reader.column_reader(field)), len)


def _read_terms(reader, field: str, term: str) -> TermList:
    try:
        return _read_blocks(reader, field, term)
    except (TermNotFound, KeyError):
        return _EMPTY
    except _NotW3:
        pass
    try:
        m = reader.postings(field, term)
    except TermNotFound:
        return _EMPTY
    ids, sat = array("I"), array("f")
    while m.is_active():
        ids.append(m.id())
        sat.append(_saturate(m.weight()))
        m.next()
    return TermList(ids, sat)


def _saturate(tf: float) -> float:
    return tf * (K1 + 1) / (tf + K1)


class _NotW3(Exception):
    """The segment is not in the Whoosh 3 format the block reader below understands."""


def _read_blocks(reader, field: str, term: str) -> TermList:
    """Read a term list block by block (3-6x faster cold than the per-posting matcher API).

    Uses Whoosh-Reloaded 2.7.5 internals (W3LeafMatcher); anything else falls back to the public
    API above, and tests/search compares both. Deleted documents are included: callers subtract
    the commit's deletions anyway.
    """
    try:
        terms, to_bytes, fmt = reader._terms, reader._text_to_bytes, reader.schema[field].format
    except AttributeError as exc:
        raise _NotW3 from exc
    m = terms.matcher(field, to_bytes(field, term), fmt)
    if type(m).__name__ != "W3LeafMatcher":
        raise _NotW3
    ids, sat = array("I"), array("f")
    while not m._atend:
        m._read_ids()
        m._read_weights()
        ids.extend(m._ids)
        sat.extend(map(_saturate, m._weights))
        if m._lastblock:
            break
        m._next_block()
    return TermList(ids, sat)


def _read_phrase(cache: PostingCache, segment: Segment, folded: tuple[str, ...]) -> array:
    pairs = [f"{a} {b}" for a, b in zip(folded, folded[1:])]
    sets = sorted((set(cache.terms(segment, "pairs", p).ids) for p in pairs), key=len)
    docs = sets[0].intersection(*sets[1:])
    # Two words are exactly one pair. Longer phrases are confirmed from positions, unless so many
    # documents hold all the pairs that reading every position would take too long; the pairs
    # alone are then the evidence (a false match needs each pair, but apart from one another).
    if len(folded) > 2 and 0 < len(docs) <= PHRASE_CONFIRM_LIMIT:
        docs = _confirm_phrase(segment.reader, sorted(docs), folded)
    return array("I", sorted(docs))


def _confirm_phrase(reader, local: list[int], folded: tuple[str, ...]) -> set[int]:
    try:
        matchers = [reader.postings("content_folded", t) for t in folded]
    except TermNotFound:
        return set()
    confirmed: set[int] = set()
    for d in local:
        spots = []
        for m in matchers:
            if m.is_active():
                m.skip_to(d)
            if not m.is_active() or m.id() != d:
                break
            spots.append(set(m.value_as("positions")))
        else:
            if any(all(p + i in s for i, s in enumerate(spots[1:], 1)) for p in spots[0]):
                confirmed.add(d)
    return confirmed


class Segment:
    """One Whoosh segment as of one commit: its (possibly reused) reader and its current deletions."""

    __slots__ = ("reader", "offset", "segid", "size", "deleted")

    def __init__(self, reader, toc_segment, offset: int):
        self.reader, self.offset = reader, offset
        self.segid = toc_segment.segment_id()
        self.size = toc_segment.doc_count_all()
        # From the commit's segment, not the reader: a reused reader keeps the deletions it opened with.
        self.deleted = frozenset(toc_segment.deleted_docs()) if toc_segment.has_deletions() else frozenset()


class Snapshot:
    """The index as of one commit: segments in docnum order, deletions, code and variant columns."""

    def __init__(self, segments: list[Segment], cache: PostingCache):
        self.segments = [seg for seg in segments if seg.size]
        self.cache = cache
        self.size = sum(seg.size for seg in segments)
        # Cached term lists can hold deleted documents (deleted since, or read raw); matches drop these.
        self.deleted = {seg.offset + d for seg in self.segments for d in seg.deleted}
        self.doc_count = self.size - len(self.deleted)
        self._offsets = [seg.offset for seg in self.segments]
        self._columns: dict[str, list] = {}
        self._issued: dict[str, list[int]] | None = None

    def stored_fields(self, docnum: int) -> dict:
        seg = self.segments[bisect_right(self._offsets, docnum) - 1]
        return seg.reader.stored_fields(docnum - seg.offset)

    def column(self, field: str) -> list:
        if field not in self._columns:
            values: list = []
            for seg in self.segments:
                values.extend(self.cache.column(seg, field))
            self._columns[field] = values
        return self._columns[field]

    def issued_by_code(self) -> dict[str, list[int]]:
        if self._issued is None:
            self._issued = {}
            for d, (code, variant) in enumerate(zip(self.column("code"), self.column("variant"))):
                if variant == "issued" and d not in self.deleted:
                    self._issued.setdefault(code, []).append(d)
        return self._issued

    def lists(self, field: str, term: str) -> list[tuple[TermList, int]]:
        return [(self.cache.terms(seg, field, term), seg.offset) for seg in self.segments]

    def docs(self, field: str, term: str) -> set[int]:
        out: set[int] = set()
        for tl, off in self.lists(field, term):
            out.update(tl.ids if off == 0 else (d + off for d in tl.ids))
        return out

    def idf(self, field: str, term: str) -> float:
        return self.idf_of(sum(len(tl.ids) for tl, _ in self.lists(field, term)))

    def idf_of(self, df: int) -> float:
        """BM25 inverse document frequency of something found in *df* documents."""
        n = max(self.doc_count, df)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def expand(self, field: str, prefix: str) -> list[str]:
        """Terms starting with *prefix*, the MAX_EXPANSIONS found in most documents."""
        found: dict[str, int] = {}
        for seg in self.segments:
            for raw in seg.reader.expand_prefix(field, prefix):
                term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                found[term] = found.get(term, 0) + seg.reader.doc_frequency(field, term)
        return heapq.nlargest(MAX_EXPANSIONS, found, key=found.__getitem__)


class Evaluation:
    """Match a parsed query against a snapshot, then rank or sort the matches on demand."""

    def __init__(self, snap: Snapshot, parsed: ParsedQuery):
        self.snap, self.parsed = snap, parsed
        self.weights: list[tuple[str, str, float]] = []  # (field, term, weight) summed into scores
        self.flat: list[tuple[set[int], float]] = []  # constant bonuses for sets of documents (prefixes)
        self.shadowed: set[str] = set()
        self.matches = self._match()

    def _match(self) -> set[int]:
        result: set[int] | None = None
        for group in sorted(self.parsed.groups, key=len):
            docs: set[int] = set()
            for clause in group:
                docs |= self._clause(clause)
            result = docs if result is None else result & docs
            if not result:
                return set()
        for clause in self.parsed.negatives:
            result -= self._clause(clause, score=False)
        for pair in self.parsed.adjacent_pairs:
            self.weights.append(("pairs", pair, W_ADJACENT))
        return result - self.snap.deleted

    def _clause(self, clause: Clause, score: bool = True) -> set[int]:
        snap, weights = self.snap, (self.weights if score else [])
        folded, exact = clause.folded, clause.exact
        if clause.kind == "prefix" and len(folded[-1]) >= MIN_PREFIX:
            expansions = snap.expand("content_folded", folded[-1])
            docs = set().union(*(snap.docs("content_folded", t) for t in expansions))
            # A constant score, as Whoosh gives prefixes: scoring each of up to 64 expansions cost 80 ms.
            if score:
                self.flat.append((docs, W_PREFIX * snap.idf_of(len(docs))))
            for t in folded[:-1]:
                docs = docs & snap.docs("content_folded", t)
                weights.append(("content_folded", t, W_CONTENT))
            if clause.code:
                prefixed = self._code_prefix(clause.code)
                docs = docs | prefixed
                if score:
                    self.flat.append((prefixed, W_CODE_PREFIX))
            return docs
        if len(folded) == 1:
            docs = snap.docs("content_folded", folded[0])
        else:
            docs = self._phrase(folded)
            weights.extend(("pairs", p, W_PAIR) for p in clause.pairs)
        for f, e in zip(folded, exact):
            weights += [("content_folded", f, W_CONTENT), ("title_folded", f, W_TITLE),
                        ("code_text", f, W_CODE_TEXT)]
            if e != f:  # only a query with diacritics prefers them
                weights += [("content_exact", e, W_EXACT), ("title_exact", e, W_TITLE_EXACT)]
        if clause.code:
            docs |= snap.docs("code_key", clause.code)
            weights.append(("code_key", clause.code, W_CODE))
        return docs

    def _phrase(self, folded: tuple[str, ...]) -> set[int]:
        docs: set[int] = set()
        for seg in self.snap.segments:
            local = self.snap.cache.phrase(seg, folded)
            docs.update(local if seg.offset == 0 else (d + seg.offset for d in local))
        return docs

    def _code_prefix(self, prefix: str) -> set[int]:
        return {d for d, code in enumerate(self.snap.column("code")) if code.casefold().startswith(prefix)}

    def restrict(self, unit: str | None, status: str | None, draft_units) -> None:
        """Apply filters and draft visibility; a visible draft whose issued text also matched is folded into it."""
        snap, matches = self.snap, self.matches
        if unit:
            matches &= snap.docs("unit", unit)
        if status:
            matches &= snap.docs("status", status)
        drafts = snap.docs("variant", "draft") & matches
        if not drafts:
            return
        if draft_units is not ALL:
            units = {draft_units} if isinstance(draft_units, str) else set(draft_units or ())
            allowed = set().union(*(snap.docs("unit", u) for u in units))
            matches -= drafts - allowed
            drafts &= allowed
        codes, issued = snap.column("code"), snap.issued_by_code()
        for d in drafts:
            if any(s in matches for s in issued.get(codes[d], ())):
                matches.discard(d)
                self.shadowed.add(codes[d])

    def scores(self, ordered: list[int]) -> list[float]:
        """Scores of the sorted matches *ordered*, in a flat array indexed by docnum."""
        acc = [0.0] * self.snap.size
        for field, term, weight in self.weights:
            factor = weight * self.snap.idf(field, term)
            for seg in self.snap.segments:
                tl = self.snap.cache.terms(seg, field, term)
                ids, sat, off = tl.ids, tl.sat, seg.offset
                if not ids:
                    continue
                mine = ordered[bisect_left(ordered, off):bisect_left(ordered, off + seg.size)]
                if len(mine) * 8 < len(ids):
                    # Few matches against a long list (a rare phrase, a filter): look each one up.
                    for d in mine:
                        i = bisect_left(ids, d - off)
                        if i < len(ids) and ids[i] == d - off:
                            acc[d] += sat[i] * factor
                elif off == 0:
                    for d, v in zip(ids, sat):
                        acc[d] += v * factor
                else:
                    for d, v in zip(ids, sat):
                        acc[d + off] += v * factor
        for docs, bonus in self.flat:
            for d in docs:
                acc[d] += bonus
        return acc

    def top(self, n: int, sort: str) -> list[tuple[int, float | None]]:
        """The first *n* matches as (docnum, score): by score (ties by docnum) or by code then variant."""
        ordered = sorted(self.matches)
        if sort == "code":
            codes, variants = self.snap.column("code"), self.snap.column("variant")
            best = heapq.nsmallest(n, ordered, key=lambda d: (codes[d].casefold(), codes[d], variants[d]))
            return [(d, None) for d in best]
        acc = self.scores(ordered)
        return [(d, acc[d]) for d in heapq.nlargest(n, ordered, key=acc.__getitem__)]
