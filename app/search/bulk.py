"""Write a whole index fast, in one segment per process: the rebuild's path (one-document updates use
Whoosh's writer; a helper process writing a second segment: app/search/parallel.py).

Whoosh's writer sends every posting through a pickled external sort, then back through one Python call per
posting (about 12 ms per procedure: 129 s for 10,000). Here the postings are kept in memory per term, in
document order (documents are numbered as they come), and written block by block in Whoosh's own format:
a reader sees the same terms, postings, lengths, statistics, stored fields and columns as from Whoosh's
writer (tests/search/test_search_bulk.py compares them); the blocks are stored uncompressed.
The three big text fields are analysed from one tokenisation of the text (the same terms as their
analyzers make: fold_word, tone_key, adjacent pairs); the other fields go through Whoosh's analyzers.
"""

from __future__ import annotations

import logging
import pickle
import queue
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from hashlib import md5
from itertools import compress, repeat
from operator import sub

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import _lengths as _LENGTHS
from whoosh.system import pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length
from whoosh.util.numeric import length_to_byte as _length_to_byte

from app.search.analysis import TOKEN_RE, fold_word, tone_key
from app.search.models import IndexedProcedure
from app.search import parallel as parallel_module

log = logging.getLogger(__name__)
_dumps = pickle.dumps
_TERMINFO = W3TermInfo._struct
_BYTE_OF_LENGTH: dict = {}


def length_to_byte(length):
    """Whoosh's length_to_byte (a bisection), remembered: documents' lengths repeat."""
    found = _BYTE_OF_LENGTH.get(length)
    if found is None:
        found = _BYTE_OF_LENGTH[length] = _length_to_byte(length)
    return found


# Fields analysed here rather than by Whoosh (their analyzers are pure functions of the token text).
FAST_FIELDS = ("content_tone", "content_folded", "pairs")


class _Terms:
    """Per-token analysis cache: raw token -> (folded term, accent-exact term)."""

    def __init__(self):
        self._cache: dict[str, tuple[str, str]] = {}

    def analyse(self, text: str) -> tuple[list[str], list[str]]:
        cache = self._cache
        folded, exact = [], []
        for tok in TOKEN_RE.findall(text):
            pair = cache.get(tok)
            if pair is None:
                low = tok.lower()
                pair = cache[tok] = (fold_word(low), tone_key(low))
                if len(cache) > 500_000:
                    cache.clear()
            folded.append(pair[0])
            exact.append(pair[1])
        return folded, exact


def fast_field_values(fields: dict, terms: _Terms) -> dict[str, tuple[int, dict]]:
    """For content_tone, content_folded and pairs: (length, {term: freq or positions list})."""
    whole, content = fields["content_folded"], fields["content_tone"]
    content_folded, content_exact = terms.analyse(content)
    prefix = whole[: len(whole) - len(content)]
    if whole.endswith(content) and (not prefix or prefix.endswith("\n")):
        # "code\ncontent": only the code is left to analyse
        folded = terms.analyse(prefix)[0] + content_folded
    else:
        folded = terms.analyse(whole)[0]
    # term -> its position, or the list of its positions when it occurs more than once; built in C
    # (dict(zip()), compress) except for the repeated words.
    n = len(folded)
    counts = Counter(folded)
    positions: dict = dict(zip(reversed(folded), range(n - 1, -1, -1)))
    repeated = {t for t, c in counts.items() if c > 1}
    if repeated:
        lists: dict[str, list[int]] = {t: [] for t in repeated}
        for i in compress(range(n), map(repeated.__contains__, folded)):
            lists[folded[i]].append(i)
        positions.update(lists)
    pair_text = fields["pairs"]
    pair_tokens = folded if pair_text == fields["content_folded"] else terms.analyse(pair_text)[0]
    pairs = list(map(" ".join, zip(pair_tokens, pair_tokens[1:]))) or pair_tokens[:1]
    return {
        "content_tone": (len(content_exact), Counter(content_exact)),
        "content_folded": (n, positions),
        "pairs": (len(pairs), Counter(pairs)),
    }


_SINGLE_POSITIONS: dict[int, bytes] = {}


def _positions_value(poslist, _dumps=__import__("pickle").dumps) -> bytes:
    """formats.Positions.encode of a list of positions, or of one position given as an int (most words
    occur once in a procedure: those values are cached)."""
    if poslist.__class__ is int:
        value = _SINGLE_POSITIONS.get(poslist)
        if value is None:
            value = _SINGLE_POSITIONS[poslist] = pack_uint(1) + _dumps([poslist], 2)
        return value
    deltas, base = [], 0
    for pos in poslist:
        deltas.append(pos - base)
        base = pos
    return pack_uint(len(deltas)) + _dumps(deltas, 2)


_SHIFT = 20  # a posting of a frequency field is one int: docnum << _SHIFT | frequency
_FREQ_MASK = (1 << _SHIFT) - 1


class BulkSegment:
    """Collects documents for one new segment of an empty index, then commits it through *writer*.

    Postings are appended per term by C-level map() calls (no Python code runs per posting while adding).
    """

    def __init__(self, writer):
        self.writer = writer
        self.schema = writer.schema
        self.perdoc = writer.perdocwriter
        self.docnum = writer.docnum
        self.terms = _Terms()
        names = self.schema.names()
        # field -> term -> [docnum << _SHIFT | freq, ...] for the fast fields but content_folded;
        # content_folded: term -> [docnum, ...] and term -> [positions, ...];
        # other fields: term -> [(docnum, weight, value), ...] from Whoosh's analyzers.
        self.freqs = {n: defaultdict(list) for n in FAST_FIELDS if n != "content_folded"}
        self.docs_of = defaultdict(list)
        self.positions_of = defaultdict(list)
        self.other = {n: defaultdict(list) for n in names if self.schema[n].indexed and n not in FAST_FIELDS}
        # field -> per-document quantised lengths (scorable fields)
        self.lengths: dict[str, array] = {n: array("I") for n in names
                                          if self.schema[n].indexed and self.schema[n].scorable}

    def add(self, fields: dict) -> None:
        schema, perdoc, docnum = self.schema, self.perdoc, self.docnum
        fast = fast_field_values(fields, self.terms)
        perdoc.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    if name == "content_folded":
                        length, positions = fast[name]
                        _consume(map(list.append, map(self.docs_of.__getitem__, positions), repeat(docnum)))
                        _consume(map(list.append, map(self.positions_of.__getitem__, positions),
                                     positions.values()))
                    elif name in fast:
                        length, counts = fast[name]
                        base = docnum << _SHIFT
                        _consume(map(list.append, map(self.freqs[name].__getitem__, counts),
                                     map(base.__or__, counts.values())))
                    else:
                        postings = self.other[name]
                        for tbytes, freq, weight, vbytes in field.index(value):
                            postings[tbytes].append((docnum, weight, vbytes))
                            length += freq
                        if not field.scorable:
                            length = 0
                    if name in self.lengths:
                        # What the codec's length column gives back (a byte approximation).
                        lb = length_to_byte(length) if length else 0
                        self.lengths[name].append(byte_to_length(lb) if lb else 0)
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
            for lens in self.lengths.values():
                if len(lens) == docnum:  # the document has no value for this field
                    lens.append(0)
        except BaseException:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self.docnum += 1

    def _terms_of(self, name: str):
        """(term bytes, docnums, weights, values) per term of field *name*, terms in byte order."""
        if name == "content_folded":
            docs_of, positions_of = self.docs_of, self.positions_of
            for term in sorted(docs_of):
                plists = positions_of[term]
                weights = [1.0 if p.__class__ is int else float(len(p)) for p in plists]
                yield term.encode("utf-8"), docs_of[term], weights, [_positions_value(p) for p in plists]
        elif name in self.freqs:
            packed = _PACKED
            terms = self.freqs[name]
            for term in sorted(terms):
                keys = terms[term]
                freqs = list(map(_FREQ_MASK.__and__, keys))
                yield (term.encode("utf-8"), list(map(_SHIFT.__rrshift__, keys)), list(map(float, freqs)),
                       [packed[f] if f < 64 else pack_uint(f) for f in freqs])
        else:
            terms = self.other[name]
            for tbytes in sorted(terms):
                items = terms[tbytes]
                yield (tbytes, [d for d, _, _ in items], [w for _, w, _ in items], [v for _, _, v in items])

    def _term_count(self, name: str) -> int:
        if name == "content_folded":
            return len(self.docs_of)
        return len(self.freqs[name] if name in self.freqs else self.other.get(name, ()))

    def _write_postings(self, written: Callable[[float], None] | None = None) -> None:
        """Write every field's terms; *written(fraction)* hears how far it got (by terms), now and then."""
        fw = self.writer.fieldwriter
        blocklimit = self.writer.codec._blocklimit
        names = [n for n in sorted(self.schema.names()) if self.schema[n].indexed]
        total = sum(map(self._term_count, names)) or 1
        done = 0
        for name in names:
            field = self.schema[name]
            terms = self._terms_of(name)
            if written is not None:
                terms = _telling(terms, done, total, written)
                done += self._term_count(name)
            first = next(terms, None)
            if first is None:
                continue
            fw.start_field(name, field)
            # Uncompressed blocks (the reader reads each block's compression flag): zlib took a fifth of
            # the rebuild, and the lists of a rebuilt index are then also quicker to read.
            pw = fw._postwriter
            pw._compression = 0
            lens = self.lengths.get(name)
            single = _SingleBlockWriter(fw, field.format)
            single.sync()
            for tbytes, docs, weights, values in _chain(first, terms):
                n = len(docs)
                if n <= blocklimit:
                    single.write(tbytes, docs, weights, values, [lens[d] for d in docs] if lens is not None
                                 else None)
                    continue
                fw.start_term(tbytes)
                for start in range(0, n, blocklimit):
                    end = min(n, start + blocklimit)
                    chunk = docs[start:end] if n > blocklimit else docs
                    ws = weights[start:end] if n > blocklimit else weights
                    pw._ids = array("I", chunk)
                    pw._weights = array("f", ws)
                    pw._values = [v for v in (values[start:end] if n > blocklimit else values) if v]
                    pw._maxweight = max(max(ws), 0)
                    if lens is not None:
                        ls = [lens[d] for d in chunk]
                        pw._minlength, pw._maxlength = min(ls) or None, max(ls)
                    else:
                        pw._minlength, pw._maxlength = None, 0
                    if end < n:
                        pw._write_block()
                fw.finish_term()
                single.sync()
            fw.finish_field()

    def _write_all(self, written: Callable[[float], None] | None = None) -> None:
        self._write_postings(written)
        self.freqs.clear()
        self.other.clear()
        self.docs_of.clear()
        self.positions_of.clear()
        self.writer.docnum = self.docnum
        self.writer._added = self.docnum > self.writer.docbase

    def commit(self, others: Callable[[], list] | None = None,
               written: Callable[[float], None] | None = None) -> None:
        """Write the segment, then a table of contents listing the segments others() gives (called once
        this one is written), then this one."""
        self._write_all(written)
        if others:
            finished = others()
            self.writer.commit(mergetype=lambda _writer, segments: [*segments, *finished])
        else:
            self.writer.commit()

    def finish_segment(self, written: Callable[[float], None] | None = None):
        """Write the segment's files, without a table of contents (a reindex helper's side); its Segment."""
        self._write_all(written)
        return self.writer._finalize_segment()


_PACKED = [pack_uint(f) for f in range(64)]


class _SingleBlockWriter:
    """W3FieldWriter.start_term/add/finish_term for a term whose postings fit one uncompressed block
    (most terms): the same bytes as W3PostingsWriter._write_block(last=True) and W3TermInfo.to_bytes,
    in a few calls instead of a few dozen."""

    def __init__(self, fw, fmt):
        self.postfile = fw._postfile
        self.tindex = fw._tindex
        self.fieldid = pack_ushort(fw._fieldid)
        fixed = fmt.fixed_value_size()
        self.values_kind = "tuple" if fixed is None or fixed < 0 else "none" if fixed == 0 else "join"

    def sync(self) -> None:
        """Call after anything else wrote to the postings file."""
        self.offset = self.postfile.tell()

    def write(self, tbytes, docs, weights, values, lengths) -> None:
        offset = self.offset
        w = array("f", weights)
        n = len(docs)
        ids = (docs[0],) if n == 1 else tuple(map(sub, docs, [0] + docs[:-1]))
        if w.count(1.0) == n:
            mini_w = None
        elif w.count(w[0]) == n:
            mini_w = w[0]
        else:
            mini_w = tuple(w)
        values = [v for v in values if v]
        kind = self.values_kind
        mini_v = tuple(values) if kind == "tuple" else None if kind == "none" else b"".join(values)
        databytes = _dumps((ids, mini_w, mini_v), 2)
        maxweight = max(max(weights), 0)
        if lengths:
            minlength, maxlength = min(lengths) or None, max(lengths)
        else:
            minlength, maxlength = None, 0
        infobytes = _dumps((len(docs), docs[-1], maxweight, 0, length_to_byte(minlength),
                            length_to_byte(maxlength)), 2)
        block = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-(len(infobytes) + len(databytes))), infobytes,
                          databytes))
        self.postfile.file.write(block)
        self.offset = offset + len(block)
        info = _TERMINFO.pack(False, sum(w), len(docs), 0 if minlength is None else length_to_byte(minlength),
                              length_to_byte(maxlength), maxweight, docs[0], docs[-1])
        self._index(self.fieldid + tbytes, info + pack_long(offset) + pack_int(len(block)))

    def _index(self, key: bytes, value: bytes) -> None:
        """OrderedHashWriter.add (through HashWriter.add), the same bytes, buckets and index in one call."""
        tindex = self.tindex
        if tindex.hashtype != 0:  # not the md5 hash computed below
            tindex.add(key, value)
            return
        if key <= tindex.lastkey:
            raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{key!r}")
        raw = tindex.dbfile.file
        pos = raw.tell()
        tindex.index.append(pos)
        raw.write(_LENGTHS.pack(len(key), len(value)) + key + value)
        h = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")  # filetables.md5_hash
        tindex.buckets[h & 255].append((h, pos))
        tindex.lastkey = key


def _consume(iterator) -> None:
    deque(iterator, maxlen=0)


def _chain(first, rest):
    yield first
    yield from rest


def _telling(items, done: int, total: int, written: Callable[[float], None], every: int = 2000):
    """*items*, calling written((done + how many so far) / total) every *every* items and at the end."""
    n = 0
    for n, item in enumerate(items, 1):
        yield item
        if n % every == 0:
            written((done + n) / total)
    written((done + n) / total)


def bulk_fill(ix, docs: Iterable, index_fields: Callable, progress: Callable | None,
              total: int | None, step: int, chunk: int | None = None, parallel: bool | None = None) -> int:
    """Add *docs* to the empty index *ix*; returns how many were added.

    With a second CPU and at least two chunks of documents, this process only reads: two helper processes
    (app/search/parallel.py) take the chunks in turn, analyse them and each write a segment, while this
    process reads the next documents (from the store: mostly waiting for git). Otherwise everything is
    written here, as one segment. *progress(done, total)* moves with the analysis and then with the writing
    of the postings (half each), not with the reading alone."""
    if parallel is None:
        parallel = parallel_module.available()
    chunk = chunk or parallel_module.CHUNK
    writer = ix.writer()
    bulk = BulkSegment(writer)
    seen: set[str] = set()
    helpers: list = []
    held: list[list[dict]] = []  # full chunks kept until there are two (then the helpers start)
    current: list[dict] = []
    sent = 0
    events: queue.Queue = queue.Queue()  # a helper got further
    # Progress: half for analysing the documents, half for writing the postings (each about half the time).
    state = {"written": 0.0, "told": -1}

    def tell(final: bool = False) -> None:
        if not progress:
            return
        if helpers:
            analysed = sum(h.analysed for h in helpers)
            written = sum(h.written * h.sent for h in helpers)
        else:
            analysed, written = bulk.docnum, state["written"] * len(seen)
        done = len(seen) if final else int((analysed + written) / 2)
        if done > state["told"]:
            state["told"] = done
            progress(done, total or 0)

    def own_writing(fraction: float) -> None:
        state["written"] = fraction
        tell()

    def send(part: list[dict]) -> None:
        nonlocal sent
        helpers[sent % len(helpers)].send(part)
        sent += 1

    try:
        for raw in docs:
            try:
                doc = IndexedProcedure.coerce(raw)
            except (TypeError, ValueError) as exc:
                # One malformed record in the store must not leave the whole site without search.
                log.warning("rebuild skipped a malformed procedure: %s", exc)
                continue
            if doc.key in seen:
                log.warning("rebuild skipped duplicate %s", doc.key)
                continue
            seen.add(doc.key)
            if not parallel:
                bulk.add(index_fields(doc))
            else:
                current.append(index_fields(doc))
                if len(current) == chunk:
                    if helpers:
                        send(current)
                    else:
                        held.append(current)
                        if len(held) == 2:
                            helpers = [parallel_module.Helper(writer.storage.folder, writer.indexname, events)
                                       for _ in range(2)]
                            for part in held:
                                send(part)
                            held = []
                    current = []
            if len(seen) % step == 0:
                tell()
        if helpers:
            if current:
                send(current)
            for helper in helpers:
                helper.send_end()
            while not all(h.ended for h in helpers):  # the helpers finish their chunks and write
                events.get()
                tell()
            bulk.commit(lambda: [helper.finish() for helper in helpers])
        else:  # fewer than two chunks: not worth the processes
            for fields in (f for part in [*held, current] for f in part):
                bulk.add(fields)
            bulk.commit(written=own_writing if progress else None)
        tell(final=True)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
    finally:
        for helper in helpers:
            helper.kill()
    return len(seen)
