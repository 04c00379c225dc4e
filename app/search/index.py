"""SearchIndex: update, delete, rebuild-and-swap and search procedures, safe across processes."""

from __future__ import annotations

import errno
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping

from whoosh.index import TOC
from whoosh.reading import SegmentReader

from app.search.analysis import SCHEMA
from app.search.generations import LOCK, REBUILD_LOCK, IndexDirectory
from app.search.highlight import make_hit
from app.search.models import VARIANTS, IndexedProcedure, QueryError, SearchResults, nfc
from app.search.query import ParsedQuery, parse_query
from app.search.postings import PostingCache, Segment, Snapshot
from app.search.ranker import Evaluation
from app.search.writing import fill, index_fields, merge_small_tail, replay

log = logging.getLogger(__name__)

# Errors that say nothing about the index itself; replacing the index would not help.
_ENVIRONMENT_ERRNOS = {errno.EMFILE, errno.ENFILE, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS}
MAX_PER_PAGE = 100
SORTS = ("relevance", "code")
WRITE_ATTEMPTS = 5
TOC_ATTEMPTS = 10
# What the page says when the words as typed found nothing and a looser match answered.
TIER_NOTICES = {"folded": ("folded_match",), "partial": ("partial_match",), "suggest": ("partial_suggestion",)}


class SearchIndex:
    """One open Whoosh index per instance; keep one instance per process (or worker), open after forking."""

    def __init__(self, path: str | os.PathLike, *, writer_timeout: float = 30.0,
                 cache_postings: int = 4_000_000):
        self.dir = IndexDirectory(path)
        self.path = self.dir.path
        self.writer_timeout = writer_timeout
        # Whoosh readers are not for concurrent use; this also fixes lock order (mutex, then flock).
        self._mutex = threading.RLock()
        self._cache = PostingCache(cache_postings)
        self._ix = self._gen = self._sig = self._snapshot = self._toc_gen = None
        self._readers: dict = {}
        with self._mutex:
            self._open()

    def __repr__(self) -> str:
        return f"SearchIndex({str(self.path)!r}, generation={self._gen!r})"

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def needs_rebuild(self) -> bool:
        """True while the index is empty or incomplete because it was missing or corrupt."""
        return self.dir.needs_rebuild

    def close(self) -> None:
        with self._mutex:
            self._close()

    def warm(self, terms: int = 200, budget: int | None = None, seconds: float | None = None,
             tick: Callable[[], None] | None = None) -> int:
        """Read into the cache what a process's first queries would read from disk; returns how many lists.

        - every list of the title fields and of content_folded holding 1% of the documents or more (the
          long lists: prefixes expand to up to 64 of them, and their first read took 50-100 ms);
        - the *terms* most frequent words of content_tone and pairs;
        - the code and variant columns, and the casefolded codes (code prefixes, drafts).
        At most *budget* postings (default: three quarters of the cache), so that warming never evicts
        itself and leaves room for what queries read.
        Call once after a worker starts (app/warmup.py): 1-4 s on 10,000 procedures. Stops after
        *seconds* if given (the longest lists come first); calls *tick* every 50 lists (a gunicorn worker
        tells its master it is alive).
        """
        count = 0
        stop = time.monotonic() + seconds if seconds is not None else None
        budget = self._cache.max_postings * 3 // 4 if budget is None else budget
        with self._mutex:
            snap = self._current()
            snap.issued_by_code()  # loads the code and variant columns too
            snap.codes_folded()
            first: list[tuple[int, int, str, str]] = []
            then: list[tuple[int, int, str, str]] = []
            for i, seg in enumerate(snap.segments):
                reader = seg.reader
                floor = max(2, seg.size // 100)
                for field in ("title_folded", "title_tone", "content_folded"):
                    for raw in reader.lexicon(field):
                        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                        df = reader.doc_frequency(field, term)
                        if field != "content_folded" or df >= floor:
                            first.append((df, i, field, term))
                for field in ("content_tone", "pairs"):
                    for _, raw in reader.most_frequent_terms(field, terms):
                        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                        then.append((reader.doc_frequency(field, term), i, field, term))
            # Longest lists first over all segments: a rebuilt index has two big ones (app/search/parallel.py).
            for df, i, field, term in sorted(first, reverse=True) + sorted(then, reverse=True):
                if df > budget:
                    continue
                budget -= df
                self._cache.terms(snap.segments[i], field, term)
                count += 1
                if count % 50 == 0:
                    if tick is not None:
                        tick()
                    if stop is not None and time.monotonic() > stop:
                        return count
        return count

    def clear_cache(self) -> None:
        """Forget cached term lists (they are re-read from disk on demand); for benchmarks and tests."""
        self._cache.clear()
        with self._mutex:
            self._snapshot = self._toc_gen = None

    # ---- opening --------------------------------------------------------------------------------

    def _close(self) -> None:
        for reader in self._readers.values():
            try:
                reader.close()
            except Exception:  # a reader of a deleted or corrupt index may fail to close; nothing to save
                log.debug("closing a segment reader failed", exc_info=True)
        self._readers = {}
        self._ix = self._gen = self._sig = self._snapshot = self._toc_gen = None

    def _attach(self) -> None:
        """Open the generation CURRENT names; raises if it is missing or unreadable."""
        sig = self.dir.signature()
        gen = self.dir.current()
        ix = self.dir.open_generation(gen)
        if set(ix.schema.names()) != set(SCHEMA.names()):
            raise ValueError("index schema differs from this version's")
        if gen != self._gen:
            self._cache.clear()  # lists of another generation's segments would only take room
        self._close()
        self._ix, self._gen, self._sig = ix, gen, sig
        snap = self._load_snapshot()
        if snap.size:
            snap.stored_fields(0)
            snap.stored_fields(snap.size - 1)

    def _open(self) -> None:
        """Attach to the live generation, or start an empty one flagged for rebuild."""
        try:
            self.dir.ensure()
            self._attach()
            return
        except FileNotFoundError:
            log.info("no search index at %s yet; starting an empty one to rebuild", self.path)
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno in _ENVIRONMENT_ERRNOS:
                raise
            log.warning("search index at %s unusable (%r); starting an empty one to rebuild", self.path, exc)
        with self.dir.locked(LOCK):
            try:
                self._attach()  # another process may have repaired it while we waited
                return
            except Exception:
                pass
            gen = self.dir.create_generation()
            self.dir.flag_needs_rebuild()
            self.dir.publish(gen)
            self._attach()

    def _current(self) -> Snapshot:
        """The index as of the latest commit; reattached if a rebuild swapped generations or it vanished."""
        if self._ix is None or self.dir.signature() != self._sig:
            self._open()
            return self._snapshot
        try:
            return self._load_snapshot()
        except Exception:
            log.info("reading the latest commit failed, reopening %s", self.path, exc_info=True)
            self._open()
            return self._snapshot

    def _load_snapshot(self) -> Snapshot:
        """Re-read the table of contents when another writer committed (one directory listing per call).

        Whoosh's own Searcher.refresh() is not used: it reuses a segment's reader by segment id even
        when the commit deleted documents in it (an updated procedure then shows twice) and re-adds
        segments a merge removed; opening fresh readers instead copies every terms file (70-150 ms on
        10,000 documents). So readers are reused by segment id and deletions are taken from the commit.
        """
        latest = self._ix.latest_generation()
        if self._snapshot is not None and latest == self._toc_gen:
            return self._snapshot
        for attempt in range(TOC_ATTEMPTS):
            try:
                toc = TOC.read(self._ix.storage, self._ix.indexname)
                readers = {seg.segment_id(): self._readers.get(seg.segment_id())
                           or SegmentReader(self._ix.storage, toc.schema, seg, generation=toc.generation)
                           for seg in toc.segments}
                break
            except OSError:
                # A concurrent commit removed the TOC or a merged segment between listing and opening.
                if attempt == TOC_ATTEMPTS - 1:
                    raise
                time.sleep(0.005 * (attempt + 1))
        for segid, reader in self._readers.items():
            if segid not in readers:
                reader.close()
        self._readers, self._toc_gen = readers, toc.generation
        segments, offset = [], 0
        for seg in toc.segments:
            segments.append(Segment(readers[seg.segment_id()], seg, offset))
            offset += seg.doc_count_all()
        self._snapshot = Snapshot(segments, self._cache)
        return self._snapshot

    # ---- writing --------------------------------------------------------------------------------

    def _write(self, ops: list[tuple[tuple[str, str], dict | None, dict]]) -> None:
        """Apply `ops` in one commit, under the write lock: each deletes the documents with its term, then adds
        its fields if given. One commit for many changes writes one segment instead of one each."""
        if not ops:
            return
        with self._mutex:
            for _ in range(WRITE_ATTEMPTS):
                self._current()
                with self.dir.locked(LOCK):
                    # A swap (or a deletion) between our refresh and the lock: attach to the new one.
                    if self.dir.signature() != self._sig:
                        continue
                    # Under the lock the snapshot holds exactly the segments the writer will, so its
                    # docnums are the writer's: cheaper than update_document, which opens every segment.
                    # (Not _current: reopening takes this lock again.)
                    try:
                        snap = self._load_snapshot()
                    except Exception:
                        log.info("reading the index under the write lock failed", exc_info=True)
                        self._sig = None  # reopen outside the lock on the next attempt
                        continue
                    writer = self._ix.writer(timeout=self.writer_timeout, delay=0.01)
                    try:
                        added: dict[str, dict] = {}  # what this commit adds, by key: a later op replaces it
                        for (field, term), fields, _entry in ops:
                            for docnum in sorted(snap.docs(field, term) - snap.deleted):
                                if not writer.is_deleted(docnum):
                                    writer.delete_document(docnum)
                            for key in [k for k, f in added.items() if f.get(field) == term]:
                                del added[key]
                            if fields is not None:
                                added[fields["key"]] = fields
                        for fields in added.values():
                            writer.add_document(**fields)
                    except BaseException:
                        writer.cancel()
                        raise
                    writer.commit(mergetype=merge_small_tail)
                    for _term, _fields, entry in ops:
                        self.dir.journal(entry)
                    return
            raise RuntimeError(f"search index at {self.path} kept changing under the writer")

    @staticmethod
    def _update_op(doc: IndexedProcedure | Mapping) -> tuple:
        doc = IndexedProcedure.coerce(doc)
        return ("key", doc.key), index_fields(doc), {"op": "update", "doc": doc.to_json()}

    @staticmethod
    def _delete_op(code: str, variant: str | None = None) -> tuple:
        code = nfc(code.strip())
        if variant is not None and variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS} or None, got {variant!r}")
        term = ("key", f"{code}:{variant}") if variant else ("code", code)
        return term, None, {"op": "delete", "code": code, "variant": variant}

    def update(self, doc: IndexedProcedure | Mapping) -> None:
        """Add or replace one variant of a procedure (key ``code:variant``)."""
        self._write([self._update_op(doc)])

    def delete(self, code: str, variant: str | None = None) -> None:
        """Remove one variant, or both when *variant* is None."""
        self._write([self._delete_op(code, variant)])

    def apply(self, changes: Iterable[tuple]) -> None:
        """Several changes, in order, in one commit: ``("update", doc)`` or ``("delete", code, variant)``."""
        self._write([self._update_op(c[1]) if c[0] == "update" else self._delete_op(*c[1:]) for c in changes])

    def rebuild(
        self,
        docs: Iterable[IndexedProcedure | Mapping],
        progress: Callable[[int, int], None] | None = None,
        total: int | None = None,
        parallel: bool | None = None,
    ) -> int:
        """Index *docs* into a new generation and swap it in; returns the number indexed.

        Pass a lazy iterable (a generator over the store): updates made after this call starts are
        journaled and replayed over the new generation, but a list fetched earlier may be stale.
        ``progress(done, total)`` gets total 0 when it is unknown. Malformed records are logged and skipped.
        *parallel*: False keeps the work in this process (default: a helper process too, when there is a
        second CPU and more than two chunks of documents); a failed helper raises HelperFailed.
        """
        if total is None and hasattr(docs, "__len__"):
            total = len(docs)
        step = max(1, total // 100) if total else 100
        self.dir.ensure()
        with self.dir.locked(REBUILD_LOCK):
            with self._mutex, self.dir.locked(LOCK):
                self.dir.prune(keep={self.dir.current_or_none()})
                gen = self.dir.create_generation()
                self.dir.start_journal(gen)
            try:
                count = fill(self.dir.open_generation(gen), docs, progress, total, step, parallel)
                with self._mutex, self.dir.locked(LOCK):
                    replay(self.dir.open_generation(gen), self.dir.journal_entries(gen), self.writer_timeout)
                    previous = self.dir.current_or_none()
                    self.dir.publish(gen)
                    self.dir.stop_journal(gen)
                    self.dir.clear_needs_rebuild()
                    # Keep the previous generation: other processes may be between a check and a read.
                    self.dir.prune(keep={gen, previous})
                    self._attach()
            except BaseException:
                with self.dir.locked(LOCK):
                    self.dir.stop_journal(gen)
                    if self.dir.current_or_none() != gen:
                        self.dir.remove_generation(gen)
                raise
        if progress and (count == 0 or count % step):
            progress(count, total or count)
        return count

    # ---- reading --------------------------------------------------------------------------------

    def is_healthy(self) -> bool:
        """True when the index opens and reads, and no rebuild is pending."""
        try:
            with self._mutex:
                snap = self._current()
                if snap.size:
                    snap.stored_fields(snap.size - 1)
                snap.docs("variant", "issued")
        except Exception:
            log.warning("search index at %s is unhealthy", self.path, exc_info=True)
            return False
        return not self.needs_rebuild

    def search(
        self,
        query: str | None,
        *,
        unit: str | None = None,
        status: str | None = None,
        draft_units: set[str] | None | object = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
    ) -> SearchResults:
        """Search procedures. Bad query syntax degrades to word search; only QueryError is raised for it.

        Issued variants are visible to all; a draft only with ``draft_units=ALL`` or its unit in
        ``draft_units``. When both variants of a code are visible and match, the issued one is the
        hit (the version in force) with ``draft_also_matches`` set, so each code appears once.
        """
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {SORTS}, got {sort!r}")
        page = max(1, int(page))
        per_page = min(MAX_PER_PAGE, max(1, int(per_page)))
        parsed = parse_query(query)
        if parsed.is_empty:
            return SearchResults(0, page, per_page, [], parsed.notices)
        unit = nfc(unit) if unit else None
        status = nfc(status) if status else None
        with self._mutex:
            for attempt in (1, 2):
                try:
                    return self._run(parsed, unit, status, draft_units, sort, page, per_page)
                except QueryError:
                    raise
                except Exception:
                    if attempt == 1:
                        # Usually a generation swapped or deleted mid-read: reopen and retry once.
                        log.warning("search failed, reopening %s", self.path, exc_info=True)
                        self._close()
                        continue
                    log.exception("search index at %s failed twice; flagging it for rebuild", self.path)
                    self.dir.flag_needs_rebuild()
        return SearchResults(0, page, per_page, [], parsed.notices + ("index_unavailable",))

    def _run(self, parsed: ParsedQuery, unit, status, draft_units, sort, page, per_page) -> SearchResults:
        snap = self._current()
        evaluation = Evaluation(snap, parsed)
        evaluation.restrict(unit, status, draft_units)
        ranked = evaluation.top(page * per_page, sort)[(page - 1) * per_page:]
        # Only the page shown is loaded and highlighted.
        strict = evaluation.spelled_as_typed
        hits = [make_hit(snap.stored_fields(docnum), score, parsed.highlight, evaluation.shadowed, strict)
                for docnum, score in ranked]
        notices = parsed.notices + TIER_NOTICES.get(evaluation.tier, ())
        return SearchResults(len(evaluation.matches), page, per_page, hits, notices, evaluation.tier,
                             evaluation.dropped, evaluation.suggestion)
