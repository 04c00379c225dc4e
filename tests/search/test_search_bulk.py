"""The rebuild's own segment writer writes what Whoosh's writer writes, and reports its progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.search import IndexedProcedure, SearchIndex
from app.search.generations import IndexDirectory
from app.search.writing import fill, whoosh_fill
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
