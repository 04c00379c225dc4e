"""Term lists read from Whoosh segments, cached per immutable segment; the index as of one commit."""

# Why not Whoosh's matchers: they score every matching document through a tree of Python calls;
# for words found in most procedures ("hồ sơ", "quy trình") that alone took 50-250 ms on 10,000
# documents. Here each term list is read once per segment (a segment never changes except for
# deletions, which only grow), so matching is set intersection and scoring sums into one array.

from __future__ import annotations

import heapq
import math
import threading
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from io import BytesIO
from itertools import accumulate, repeat
from pickle import load as _pickle_load
from pickle import loads as _pickle_loads
from struct import Struct

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.reading import TermNotFound

K1 = 1.2  # BM25 term-frequency saturation; no length normalisation (procedures are of similar size)
MAX_EXPANSIONS = 64  # prefix expansions kept, most frequent first
PHRASE_CONFIRM_LIMIT = 2000  # per segment; see _read_phrase
_INT = Struct("!i")  # whoosh.system.pack_int: a block's length, negative for the last block

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

    def expansions(self, segment: Segment, field: str, prefix: str) -> list[tuple[str, int]]:
        """(term, document frequency) of the segment's terms starting with *prefix*."""
        def load():
            reader = segment.reader
            out = []
            for raw in reader.expand_prefix(field, prefix):
                term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                out.append((term, reader.doc_frequency(field, term)))
            return out
        return self._get((segment.segid, "#expand", field, prefix), load, lambda v: len(v) + 1)

    def union(self, segment: Segment, field: str, terms: tuple[str, ...]) -> array:
        """Sorted local docnums holding any of *terms* (a prefix's expansions)."""
        def load():
            docs: set[int] = set()
            for term in terms:
                docs.update(self.terms(segment, field, term).ids)
            return array("I", sorted(docs))
        return self._get((segment.segid, "#union", field, terms), load, len)

    def column(self, segment: Segment, field: str) -> list:
        return self._get((segment.segid, "#column", field),
                         lambda: list(segment.reader.column_reader(field)), len)


def _read_terms(reader, field: str, term: str) -> TermList:
    for read in (_read_extent, _read_blocks):
        try:
            return read(reader, field, term)
        except (TermNotFound, KeyError):
            return _EMPTY
        except _NotW3:
            continue
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


class _Saturation(dict):
    """tf -> saturated tf, filled on demand; map(SAT.__getitem__, tfs) runs in C for known tfs."""

    def __missing__(self, tf):
        value = self[tf] = _saturate(tf)
        return value


_SAT = _Saturation()
_SAT_ONE = _saturate(1.0)


def _read_extent(reader, field: str, term: str) -> TermList:
    """Read a term list with one read of its whole extent, decoding blocks from memory.

    Whoosh's matcher seeks and reads each block's length, header and data apart (three small reads
    through the compound file per block) and decodes ids with a Python generator; this reads the bytes
    once, and decodes ids (accumulate) and saturations (a dict lookup) in C. Cold reads of long lists
    take about a third of the time. Same Whoosh-Reloaded 2.7.5 internals as _read_blocks.
    """
    try:
        terms, to_bytes = reader._terms, reader._text_to_bytes
        postfile = terms._postfile
    except AttributeError as exc:
        raise _NotW3 from exc
    info = terms.term_info(field, to_bytes(field, term))
    if info.is_inlined() or info._offset is None:
        raise _NotW3
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves the length as struct.unpack's tuple
        (length,) = length
    buf = postfile.get(offset, length)
    if buf[:4] != WHOOSH3_HEADER_MAGIC:
        raise _NotW3
    stream = BytesIO(buf)
    ids, sat = array("I"), array("f")
    pos, end_of_list = 4, len(buf)
    while pos < end_of_list:
        (blocklength,) = _INT.unpack_from(buf, pos)
        last = blocklength < 0
        pos += 4
        end = pos + abs(blocklength)
        stream.seek(pos)
        count, _maxid, _maxweight, compression = _pickle_load(stream)[:4]
        data = buf[stream.tell():end]
        if compression:
            data = zlib.decompress(data)
        deltas, weights, _values = _pickle_loads(data)
        ids.extend(accumulate(deltas))
        if weights is None:
            sat.extend(repeat(_SAT_ONE, count))
        elif isinstance(weights, float):
            sat.extend(repeat(_SAT[weights], count))
        else:
            sat.extend(map(_SAT.__getitem__, weights))
        pos = end
        if last:
            break
    return TermList(ids, sat)


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


def _extent_positions(reader, term: str, wanted: list[int]) -> dict[int, bytes]:
    """Encoded positions of *term* in content_folded for the sorted docnums *wanted* that hold it, from
    one read of the term's extent; only blocks holding a wanted document are decoded."""
    terms = reader._terms
    info = terms.term_info("content_folded", reader._text_to_bytes("content_folded", term))
    if info.is_inlined() or info._offset is None:
        raise _NotW3
    offset, length = info.extent()
    if isinstance(length, tuple):
        (length,) = length
    buf = terms._postfile.get(offset, length)
    if buf[:4] != WHOOSH3_HEADER_MAGIC:
        raise _NotW3
    stream = BytesIO(buf)
    found: dict[int, bytes] = {}
    pos, i, n = 4, 0, len(wanted)
    while pos < len(buf) and i < n:
        (blocklength,) = _INT.unpack_from(buf, pos)
        pos += 4
        end = pos + abs(blocklength)
        stream.seek(pos)
        _count, maxid, _maxweight, compression = _pickle_load(stream)[:4]
        j = bisect_right(wanted, maxid, i)
        if j > i:
            data = buf[stream.tell():end]
            if compression:
                data = zlib.decompress(data)
            deltas, _weights, values = _pickle_loads(data)
            in_block = dict(zip(accumulate(deltas), values))
            for d in wanted[i:j]:
                value = in_block.get(d)
                if value is not None:
                    found[d] = value
            i = j
        pos = end
        if blocklength < 0:
            break
    return found


def _confirm_phrase(reader, local: list[int], folded: tuple[str, ...]) -> set[int]:
    """The documents of *local* where the words of *folded* stand in a row. Word by word, only the
    documents still in the running are decoded (each next word's blocks are read for fewer of them)."""
    try:
        first = _extent_positions(reader, folded[0], local)
        candidates = [d for d in local if d in first]
        # Start positions of the phrase still possible in each document.
        starts: dict[int, object] = {}
        for i, term in enumerate(folded[1:], 1):
            found = _extent_positions(reader, term, candidates)
            kept = []
            for d in candidates:
                value = found.get(d)
                if value is None:
                    continue
                # A positions value is the count (4 bytes), then the pickled deltas (formats.Positions).
                here = set(accumulate(_pickle_loads(value[4:])))
                before = starts[d] if i > 1 else accumulate(_pickle_loads(first[d][4:]))
                still = {p for p in before if p + i in here}
                if still:
                    starts[d] = still
                    kept.append(d)
            candidates = kept
            if not candidates:
                break
        return set(candidates)
    except (TermNotFound, KeyError):
        return set()
    except (_NotW3, AttributeError):
        return _confirm_phrase_public(reader, local, folded)


def _confirm_phrase_public(reader, local: list[int], folded: tuple[str, ...]) -> set[int]:
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
        self._column_readers: dict = {}
        self._issued: dict[str, list[int]] | None = None
        self._codes_folded: list[str] | None = None

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

    def value(self, docnum: int, field: str):
        """One document's value of a column, without reading the whole column."""
        if field in self._columns:
            return self._columns[field][docnum]
        seg = self.segments[bisect_right(self._offsets, docnum) - 1]
        key = (seg.segid, field)
        if key not in self._column_readers:
            self._column_readers[key] = seg.reader.column_reader(field)
        return self._column_readers[key][docnum - seg.offset]

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
            for term, df in self.cache.expansions(seg, field, prefix):
                found[term] = found.get(term, 0) + df
        return heapq.nlargest(MAX_EXPANSIONS, found, key=found.__getitem__)

    def prefix_docs(self, field: str, prefix: str) -> tuple[list[str], set[int]]:
        """The expansions of *prefix* and the documents holding any of them (a new set)."""
        expansions = self.expand(field, prefix)
        docs: set[int] = set()
        for seg in self.segments:
            local = self.cache.union(seg, field, tuple(expansions))
            docs.update(local if seg.offset == 0 else (d + seg.offset for d in local))
        return expansions, docs

    def codes_folded(self) -> list[str]:
        """The code column, casefolded (for code prefixes such as "QT-VP*")."""
        if self._codes_folded is None:
            self._codes_folded = [code.casefold() for code in self.column("code")]
        return self._codes_folded
