"""Writing documents into Whoosh: fields of a procedure, bulk fill, journal replay, merge policy."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from whoosh.reading import SegmentReader

from app.search.analysis import legal_refs
from app.search.models import VARIANTS, IndexedProcedure

log = logging.getLogger(__name__)

TINY_SEGMENT_DOCS = 4
MERGE_SEGMENTS = 30


def index_fields(doc: IndexedProcedure) -> dict:
    # Legal bases are searchable with the body ("08/2016/NĐ-CP") but stored apart for display;
    # the code and title are in the content too, so one term list decides whether a word matches.
    legal = "\n".join(doc.legal_bases)
    content = "\n".join(part for part in (doc.title, doc.body, legal) if part)
    return {
        "refs": " ".join(legal_refs(content)),
        "key": doc.key, "code": doc.code, "code_key": doc.code.casefold(), "code_text": doc.code,
        "variant": doc.variant, "unit": doc.unit, "status": doc.status,
        "title": doc.title, "body": doc.body, "legal": list(doc.legal_bases), "updated_at": doc.updated_at,
        "title_tone": doc.title, "title_folded": doc.title,
        "content_tone": content, "content_folded": doc.code + "\n" + content,
        "pairs": doc.code + "\n" + content,
    }


def merge_small_tail(writer, segments):
    """Whoosh merge policy: once MERGE_SEGMENTS tiny segments (one-document commits) exist, merge them.

    Whoosh merges by re-reading every term of every merged segment (about 30 ms per document here),
    and its MERGE_SMALL re-merged the growing tail on most commits (update p95 0.2-2 s on 10,000
    documents). Merging only tiny segments, and only every MERGE_SEGMENTS commits, keeps the other
    commits to writing one small segment. The 30-document segments this leaves accumulate slowly;
    rebuild() compacts everything.
    """
    tiny = [s for s in segments if s.doc_count_all() <= TINY_SEGMENT_DOCS]
    if len(tiny) < MERGE_SEGMENTS:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in tiny]


def fill(ix, docs: Iterable, progress: Callable | None, total: int | None, step: int,
         parallel: bool | None = None) -> int:
    """Add *docs* to the empty index *ix* (app/search/bulk.py); returns how many were added."""
    from app.search.bulk import bulk_fill

    return bulk_fill(ix, docs, index_fields, progress, total, step, parallel=parallel)


def whoosh_fill(ix, docs: Iterable) -> int:
    """The same through Whoosh's own writer (several times slower); tests compare the two."""
    writer = ix.writer(limitmb=256)
    seen: set[str] = set()
    try:
        for raw in docs:
            doc = IndexedProcedure.coerce(raw)
            if doc.key in seen:
                continue
            seen.add(doc.key)
            writer.add_document(**index_fields(doc))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return len(seen)


def replay(ix, entries: list[dict], timeout: float) -> None:
    """Apply journaled updates and deletes to *ix*, the last operation per key only.

    Whoosh deletes only from committed segments: a delete after an update of the same key in one
    writer would leave the update standing.
    """
    last: dict[str, IndexedProcedure | None] = {}
    for entry in entries:
        try:
            if entry["op"] == "update":
                doc = IndexedProcedure.coerce(entry["doc"])
                last[doc.key] = doc
            else:
                for variant in [entry["variant"]] if entry["variant"] else VARIANTS:
                    last[f"{entry['code']}:{variant}"] = None
        except (KeyError, TypeError, ValueError):
            log.warning("ignoring a malformed journal entry: %.200r", entry)
    if not last:
        return
    writer = ix.writer(timeout=timeout, delay=0.01)
    try:
        for key, doc in last.items():
            if doc is None:
                writer.delete_by_term("key", key)
            else:
                writer.update_document(**index_fields(doc))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
