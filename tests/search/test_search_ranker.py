"""The ranker's fast term-list reader and query terms agree with Whoosh's own API and analyzers."""

import pytest
from whoosh.reading import TermNotFound

from app.search.analysis import PAIRS_ANALYZER
from app.search.query import parse_query
from app.search.postings import _read_blocks, _read_extent, _saturate
from tests.search.helpers import proc

TERMS = [("content_folded", "dang"), ("content_folded", "qui"), ("content_tone", "đăng"),
         ("title_folded", "trinh"), ("pairs", "ho so"), ("code_text", "vp"), ("key", "QT-VP-02:issued"),
         ("variant", "issued"), ("unit", "BX")]


def public_read(reader, field, term):
    """The documented matcher API: skips deleted documents."""
    try:
        m = reader.postings(field, term)
    except TermNotFound:
        return [], []
    ids, sat = [], []
    while m.is_active():
        ids.append(m.id())
        sat.append(_saturate(m.weight()))
        m.next()
    return ids, sat


@pytest.mark.parametrize("reader", [_read_blocks, _read_extent])
def test_the_block_reader_matches_the_public_matcher_api(index, reader):
    index.update(proc("QT-VP-02", "Quy trình lưu trữ hồ sơ", "Đăng ký lưu trữ hồ sơ."))  # deletes one
    snap = index._current()
    assert any(seg.deleted for seg in snap.segments)
    for seg in snap.segments:
        for field, term in TERMS:
            fast = reader(seg.reader, field, term) if (field, term) in seg.reader else None
            ids, sat = public_read(seg.reader, field, term)
            if fast is None:
                assert ids == []
                continue
            # The reader may predate the update's deletions; the commit's set is the truth for both.
            fast_kept = [(d, s) for d, s in zip(fast.ids, fast.sat) if d not in seg.deleted]
            public_kept = [(d, s) for d, s in zip(ids, sat) if d not in seg.deleted]
            assert [d for d, _ in fast_kept] == [d for d, _ in public_kept]
            assert [s for _, s in fast_kept] == pytest.approx([s for _, s in public_kept])


@pytest.mark.parametrize("text", ["tiếp nhận hồ sơ đăng ký", "QT-VP-01", "08/2014/NĐ-CP", "Đo lường"])
def test_query_word_pairs_are_the_pairs_the_index_holds(text):
    clause = parse_query(f'"{text}"').groups[0][0]
    assert list(clause.pairs) == [t.text for t in PAIRS_ANALYZER(text)]


def test_phrase_confirmation_from_whole_extents_matches_the_matcher_api(tmp_path):
    from app.search import SearchIndex
    from app.search.postings import _confirm_phrase, _confirm_phrase_public

    # 300 procedures (several blocks per common word), the phrase whole in some, its words apart in others.
    docs = [proc(f"QT-P-{i:03d}", "Quy trình", ("Tiếp nhận hồ sơ đăng ký. " if i % 3 == 0 else
                                                "Hồ sơ tiếp nhận; đăng ký sau. ") * (1 + i % 4)) for i in range(300)]
    with SearchIndex(tmp_path / "index") as ix:
        ix.rebuild(docs)
        seg = ix._current().segments[0]
        local = list(range(0, 300, 2))
        for phrase in (("tiep", "nhan", "ho", "so"), ("nhan", "ho"), ("ho", "so", "dang", "ki"), ("so", "tiep")):
            fast = _confirm_phrase(seg.reader, local, phrase)
            assert fast == _confirm_phrase_public(seg.reader, local, phrase), phrase
        assert _confirm_phrase(seg.reader, local, ("tiep", "nhan", "ho", "so")) == {d for d in local if d % 3 == 0}
