"""Query language: words, phrases, prefixes, codes, operators, filters, sorting and pages."""

import pytest

from app.search import QueryError, SearchResults, parse_query
from tests.search.helpers import proc


def codes(results):
    return [hit.code for hit in results.hits]


def test_words_must_all_match(index):
    assert codes(index.search("bức xạ kiểm tra")) == ["QT-BX-02"]


def test_a_quoted_phrase_matches_only_the_words_in_sequence(empty_index):
    empty_index.rebuild([
        proc("QT-A-01", "Quy trình A", "Bộ phận một cửa tiếp nhận hồ sơ đăng ký."),
        proc("QT-B-01", "Quy trình B", "Hồ sơ được bộ phận một cửa tiếp nhận trong ngày."),
        proc("QT-C-01", "Quy trình C", "Đăng ký hồ sơ trước khi tiếp nhận."),
    ])

    assert codes(empty_index.search('"tiếp nhận hồ sơ"')) == ["QT-A-01"]
    assert codes(empty_index.search('"tiep nhan ho so"')) == ["QT-A-01"]
    assert codes(empty_index.search('"đăng ký hồ sơ"')) == ["QT-C-01"]
    assert len(codes(empty_index.search("tiếp nhận hồ sơ"))) == 3


def test_a_long_phrase_needs_its_words_adjacent_not_just_each_pair(empty_index):
    # Every adjacent pair of "tiếp nhận hồ sơ" occurs below, but never the four words in a row.
    empty_index.rebuild([
        proc("QT-A-01", "Quy trình A", "Tiếp nhận. Nhận hồ. Hồ sơ."),
        proc("QT-B-01", "Quy trình B", "Tiếp nhận hồ sơ."),
    ])

    assert codes(empty_index.search('"tiếp nhận hồ sơ"')) == ["QT-B-01"]


def test_prefix_matches_the_beginnings_of_words(index):
    assert index.search("quy tr*").total == 6
    assert set(codes(index.search("thẩm*"))) == {"QT-BX-01", "QT-KH-01"}
    assert codes(index.search("hiệu ch*")) == ["QT-TĐC-01"]
    assert codes(index.search("kiem dinh phuong*")) == ["QT-TĐC-01"]


def test_a_one_letter_prefix_is_dropped_with_a_notice(index):
    results = index.search("thẩm đ*")
    assert results.total == index.search("thẩm").total
    assert "short_prefix" in results.notices


@pytest.mark.parametrize("query", ["QT-VP-01", "qt-vp-01", "vp-01", "VP-01", "QT VP 01"])
def test_a_procedure_code_is_found_whole_or_by_its_parts(index, query):
    assert codes(index.search(query))[0] == "QT-VP-01"


def test_a_unit_part_of_the_code_finds_that_units_procedures(index):
    assert set(codes(index.search("VP"))) == {"QT-VP-01", "QT-VP-02"}
    assert set(codes(index.search("QT-BX*"))) == {"QT-BX-01", "QT-BX-02"}


def test_a_legal_basis_is_searchable(index):
    hits = index.search("08/2014/NĐ-CP").hits
    assert [h.code for h in hits] == ["QT-VP-01"]
    assert "<mark>08/2014/NĐ-CP</mark>" in hits[0].snippet_html


def test_minus_or_not_excludes_a_word(index):
    assert "QT-BX-01" not in codes(index.search("thẩm định -bức"))
    assert codes(index.search("thẩm định NOT xạ")) == ["QT-KH-01"]


def test_or_accepts_either_word(index):
    assert set(codes(index.search("lưu OR kiểm"))) == {"QT-VP-02", "QT-BX-02", "QT-TĐC-01"}


def test_filters_by_unit_and_status(index):
    assert set(codes(index.search("quy trình", unit="BX"))) == {"QT-BX-01", "QT-BX-02"}
    assert codes(index.search("quy trình", unit="BX", status="hết hiệu lực")) == ["QT-BX-02"]
    assert codes(index.search("quy trình", unit="TĐC")) == ["QT-TĐC-01"]
    assert index.search("quy trình", unit="NONE").total == 0


def test_sort_by_code_orders_hits_by_code(index):
    results = index.search("quy trình", sort="code")
    assert codes(results) == sorted(codes(results), key=str.casefold)
    assert all(hit.score is None for hit in results.hits)


def test_relevance_scores_decrease_down_the_page(index):
    scores = [hit.score for hit in index.search("hồ sơ đăng ký").hits]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("sort", ["relevance", "code"])
def test_pages_split_the_results_without_overlap_or_gaps(index, sort):
    everything = index.search("quy trình", sort=sort, per_page=100)
    pages = [index.search("quy trình", sort=sort, page=n, per_page=4) for n in (1, 2, 3)]

    assert [p.total for p in pages] == [6, 6, 6]
    assert [len(p.hits) for p in pages] == [4, 2, 0]
    assert codes(pages[0]) + codes(pages[1]) == codes(everything)
    assert pages[0].pages == 2


def test_empty_or_blank_query_returns_no_hits(index):
    for query in ("", "   ", None, "\n\t"):
        results = index.search(query)
        assert results.total == 0 and results.hits == []


MALFORMED = [
    '"unclosed', '"', '""', '" "', "AND OR", "OR", "NOT", "AND", "*", "**", "?", "((", ")", "(bức",
    "-", "---", "- -", "title:", "field:value", "[a TO b]", "{x}", "^2", "quy~2", "~", "\\", "\\\\",
    "'", "a'b", "&&", "||", "!", "+", "đăng ký AND", "OR đăng", "NOT NOT NOT", "\x00\x01\x7f",
    "<script>alert(1)</script>", "%", "%s%n", "\u200b", "🙂", "「検索」", "x" * 10_000,
    "đăng ký " * 500, '"' * 99, "(" * 500, "*" * 500, "a*", "đ*", "-*", "\"quy trình\"\"",
    "quy trình OR", "OR OR OR", "«đăng ký»", "“hồ sơ”",
]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_never_raise(index, query):
    results = index.search(query)
    assert isinstance(results, SearchResults)
    assert results.total >= 0


@pytest.mark.parametrize("query, expected", [
    ('"đăng ký', "QT-VP-01"),
    ("(bức xạ", "QT-BX-01"),
    ("thẩm định AND", "QT-KH-01"),
    ("OR lưu trữ", "QT-VP-02"),
    ("“đăng ký hồ sơ”", "QT-VP-01"),
])
def test_malformed_queries_degrade_to_a_word_search(index, query, expected):
    assert expected in codes(index.search(query))


def test_an_unclosed_quote_is_searched_as_words_with_a_notice(index):
    results = index.search('"hồ sơ đăng')
    assert "unclosed_quote" in results.notices
    assert results.messages and "ngoặc kép" in results.messages[0]


def test_a_very_long_query_is_cut_with_a_notice(index):
    results = index.search("đăng ký " + "lorem " * 200)
    assert "truncated" in results.notices


def test_a_query_that_is_not_text_raises_query_error_with_a_friendly_message(index):
    with pytest.raises(QueryError) as info:
        index.search(12345)
    assert info.value.message


def test_an_unknown_sort_is_a_programming_error(index):
    with pytest.raises(ValueError):
        index.search("quy trình", sort="random")


def test_the_parser_groups_or_alternatives_and_keeps_negatives_apart():
    parsed = parse_query('hồ sơ OR "văn bản" -bức thẩm*')
    assert [[c.text for c in group] for group in parsed.groups] == [["hồ"], ["sơ", "văn bản"], ["thẩm"]]
    assert [c.kind for c in parsed.groups[2]] == ["prefix"]
    assert [c.text for c in parsed.negatives] == ["bức"]
    assert parsed.highlight.phrases == frozenset({("van", "ban")})
    assert parsed.highlight.prefixes == ("tham",)
