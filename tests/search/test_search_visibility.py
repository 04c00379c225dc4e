"""Drafts: visible only to their own unit or to everyone with ALL; one hit per procedure code."""

import pickle

from app.search import ALL


def keys(results):
    return [(hit.code, hit.variant) for hit in results.hits]


def test_drafts_are_hidden_by_default(index):
    assert ("QT-KH-02", "draft") not in keys(index.search("nghiệm thu"))
    assert index.search("nghiệm thu").total == 0


def test_a_draft_is_hidden_from_readers_of_another_unit(index):
    assert index.search("nghiệm thu", draft_units={"VP", "BX"}).total == 0


def test_a_draft_is_shown_to_its_own_unit(index):
    assert keys(index.search("nghiệm thu", draft_units={"KH"})) == [("QT-KH-02", "draft")]
    assert keys(index.search("nghiệm thu", draft_units="KH")) == [("QT-KH-02", "draft")]


def test_all_drafts_are_shown_with_the_all_sentinel(index):
    assert keys(index.search("nghiệm thu", draft_units=ALL)) == [("QT-KH-02", "draft")]
    assert index.search("dự thảo", draft_units=ALL).total == 2


def test_issued_and_draft_of_one_code_appear_once_as_the_issued_text(index):
    results = index.search("đăng ký hồ sơ", draft_units={"VP"})

    assert [k for k in keys(results) if k[0] == "QT-VP-01"] == [("QT-VP-01", "issued")]
    assert results.hits[0].draft_also_matches is True
    assert results.total == len(results.hits)


def test_an_issued_hit_says_nothing_of_drafts_the_reader_may_not_see(index):
    hit = index.search("đăng ký hồ sơ", draft_units={"BX"}).hits[0]
    assert (hit.code, hit.draft_also_matches) == ("QT-VP-01", False)


def test_a_draft_matching_alone_is_shown_to_its_unit(index):
    assert keys(index.search("trực tuyến", draft_units={"VP"})) == [("QT-VP-01", "draft")]
    assert index.search("trực tuyến").total == 0


def test_the_all_sentinel_survives_pickling():
    assert pickle.loads(pickle.dumps(ALL)) is ALL
    assert repr(ALL) == "ALL"
