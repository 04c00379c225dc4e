"""The rebuild's own segment writer writes what Whoosh's writer writes, and reports its progress."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.search import IndexedProcedure, SearchIndex
from app.search.bulk import bulk_fill
from app.search.generations import IndexDirectory
from app.search.parallel import Helper, HelperFailed
from app.search.writing import fill, index_fields, whoosh_fill
from app.store.document import ProcedureDocument
from tests.search.helpers import proc, sample_procedures

SHIPPED = Path(__file__).resolve().parents[2] / "procedures"


def shipped() -> list[IndexedProcedure]:
    docs = []
    for path in sorted(SHIPPED.glob("QT-*.md"))[:6]:
        doc = ProcedureDocument.parse(path.read_text(encoding="utf-8"))
        docs.append(IndexedProcedure(doc.code, "issued", doc.title, doc.unit, "hiệu lực",
                                     list(doc.legal_bases), doc.body, None))
    return docs


def awkward() -> list[IndexedProcedure]:
    """Empty body and title, one word, NFD text, i/y and tone-placement variants, many repeats of a word
    (more than one block of postings), legal references, no updated_at."""
    many = " ".join(["hồ sơ tiếp nhận"] * 200)
    return [
        proc("QT-A-01", "", ""),
        proc("QT-A-02", "Một", ""),
        proc("QT-A-03", "Quy trình hoà giải", "Thuỷ lợi, khoẻ mạnh, kí kết, lý lịch, quí I."),
        proc("QT-A-04", "Quy trình", "Đánh giá nội bộ ISO 9001:2015 theo Nghị định số 61/2018/NĐ-CP."),
        proc("QT-A-05", "Tiếp nhận", many, legal=("Thông tư 14/2014/TT-BKHCN", "Luật Đo lường 2011")),
    ] + [proc(f"QT-B-{i:03d}", f"Quy trình số {i}", f"Văn bản {i} về hồ sơ {i % 7}.", unit=f"U{i % 3}")
         for i in range(300)]


def _dump(path: Path) -> dict:
    """Everything a reader can see of an index: terms, postings, statistics, lengths, stored fields, columns."""
    d = IndexDirectory(path)
    ix = d.open_generation(d.current())
    out = {}
    with ix.reader() as r:
        out["doc_count"] = r.doc_count_all()
        for name in ix.schema.names():
            field = ix.schema[name]
            if field.indexed:
                terms = {}
                for t in r.lexicon(name):
                    info = r.term_info(name, t)
                    m = r.postings(name, t)
                    terms[t] = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                                info.max_weight(), list(m.all_items()))
                out[name] = terms
                out[name + "/lengths"] = [r.doc_field_length(n, name) for n in range(r.doc_count_all())]
                out[name + "/total"] = r.field_length(name)
            if field.column_type:
                out[name + "/column"] = list(r.column_reader(name))
        out["stored"] = [r.stored_fields(n) for n in range(r.doc_count_all())]
    ix.close()
    return out


def _build(path: Path, docs, writer) -> None:
    ix = SearchIndex(path)  # creates an empty generation
    d = IndexDirectory(path)
    gen = d.create_generation()
    writer(d.open_generation(gen), docs)
    d.publish(gen)
    ix.close()


def test_bulk_segment_equals_whoosh_writer(tmp_path):
    docs = shipped() + sample_procedures() + awkward()
    _build(tmp_path / "bulk", docs, lambda ix, ds: fill(ix, iter(ds), None, None, 100))
    _build(tmp_path / "whoosh", docs, whoosh_fill)
    bulk, whoosh = _dump(tmp_path / "bulk"), _dump(tmp_path / "whoosh")
    assert bulk.keys() == whoosh.keys()
    for key in whoosh:
        assert bulk[key] == whoosh[key], key


def test_rebuilt_index_answers_like_one_updated_document_by_document(tmp_path):
    docs = shipped()
    rebuilt = SearchIndex(tmp_path / "a")
    rebuilt.rebuild(docs)
    updated = SearchIndex(tmp_path / "b")
    for doc in docs:
        updated.update(doc)
    found = 0
    for q in ("đánh giá nội bộ", "dang ki", '"tài liệu"', "kiểm*", "Nghị định 61", "QT-VP-01"):
        a, b = rebuilt.search(q), updated.search(q)
        assert [h.code for h in a.hits] == [h.code for h in b.hits], q
        assert a.total == b.total
        found += a.total > 0
    assert found >= 5
    rebuilt.close()
    updated.close()


@pytest.mark.parametrize("count", [1, 250, 1000])
def test_rebuild_reports_progress_counts_up_to_the_total(tmp_path, count):
    docs = [proc(f"QT-P-{i:04d}", f"Quy trình {i}", "Nội dung.") for i in range(count)]
    calls = []
    ix = SearchIndex(tmp_path / "index")
    assert ix.rebuild(iter(docs), progress=lambda done, total: calls.append((done, total)), total=count) == count
    assert calls, "no progress reported"
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (count, count)
    assert all(total == count for _, total in calls)
    if count >= 1000:
        assert len(calls) >= 50  # a bar that moves, not one jump at the end
    ix.close()


def test_two_processes_write_what_whoosh_writes_in_two_segments(tmp_path):
    """From two chunks on, two helper processes write every other chunk each as a segment: a reader sees
    what Whoosh's writer gives for the same documents in the same order (the first helper's chunks first)."""
    docs = shipped() + sample_procedures() + awkward()
    chunk = 40
    _build(tmp_path / "two", docs, lambda ix, ds: bulk_fill(ix, iter(ds), index_fields, None, None, 100,
                                                            chunk=chunk, parallel=True))
    chunks = [docs[i:i + chunk] for i in range(0, len(docs), chunk)]
    in_order = [d for c in chunks[0::2] for d in c] + [d for c in chunks[1::2] for d in c]
    helper_docs = sum(map(len, chunks[0::2]))  # the first helper's: chunks 0, 2, 4, ...

    def whoosh_two_segments(ix, ds):  # Whoosh's writer, one commit per segment (a reader of two segments)
        for part in (ds[:helper_docs], ds[helper_docs:]):
            writer = ix.writer()
            for doc in part:
                writer.add_document(**index_fields(IndexedProcedure.coerce(doc)))
            writer.commit(merge=False)

    _build(tmp_path / "whoosh", in_order, whoosh_two_segments)
    d = IndexDirectory(tmp_path / "two")
    ix = d.open_generation(d.current())
    assert [s.doc_count_all() for s in ix._segments()] == [helper_docs, len(docs) - helper_docs]
    ix.close()
    two, whoosh = _dump(tmp_path / "two"), _dump(tmp_path / "whoosh")
    assert two.keys() == whoosh.keys()
    for key in whoosh:
        assert two[key] == whoosh[key], key


def test_a_failed_helper_fails_the_rebuild_and_the_old_index_stays(tmp_path, monkeypatch):
    ix = SearchIndex(tmp_path / "index")
    ix.rebuild(shipped())
    before = ix.search("đánh giá nội bộ").total
    assert before > 0
    current = IndexDirectory(tmp_path / "index").current()
    monkeypatch.setattr(Helper, "command", [sys.executable, "-c", "import sys; sys.exit('hỏng / broken')"])
    many = [proc(f"QT-P-{i:04d}", f"Quy trình {i}", "Đánh giá nội bộ.") for i in range(600)]
    with pytest.raises(HelperFailed, match="broken"):
        ix.rebuild(iter(many))
    assert ix.search("đánh giá nội bộ").total == before
    assert IndexDirectory(tmp_path / "index").current() == current
    # the failed generation is gone with the helper's files
    assert [p.name for p in (tmp_path / "index").iterdir() if p.name.startswith("g-")] == [current]
    ix.close()


def test_a_rebuild_failing_in_this_process_ends_the_helper_and_its_thread(tmp_path, monkeypatch):
    import threading

    ix = SearchIndex(tmp_path / "index")
    started = []
    real = Helper.__init__

    def remember(self, *args):
        real(self, *args)
        started.append(self)

    monkeypatch.setattr(Helper, "__init__", remember)

    def docs():
        for i in range(3 * 40):
            yield proc(f"QT-P-{i:04d}", f"Quy trình {i}", "Nội dung.")
        raise OSError("the store could not be read")

    monkeypatch.setattr("app.search.parallel.CHUNK", 40)
    monkeypatch.setattr("app.search.parallel.available", lambda: True)
    with pytest.raises(OSError, match="could not be read"):
        ix.rebuild(docs())
    assert len(started) == 2
    assert all(h.proc.returncode is not None and not h._sender.is_alive() for h in started)
    assert not [t for t in threading.enumerate() if t.name == "reindex-helper-feed"]
    ix.close()
