"""Vietnamese folding: queries with or without diacritics, any case, NFC or NFD, find the same text."""

import unicodedata

import pytest

from app.search.analysis import FOLDED_ANALYZER, folded_tokens
from tests.search.helpers import proc


def codes(results):
    return [hit.code for hit in results.hits]


@pytest.mark.parametrize("query", ["dang ky", "đăng ký", "ĐĂNG KÝ", "Dang Ky", "đang ky"])
def test_any_spelling_of_dang_ky_finds_dang_ky_with_diacritics(index, query):
    assert "QT-VP-01" in codes(index.search(query))


def test_quy_trinh_without_diacritics_finds_quy_trinh(index):
    results = index.search("quy trinh")
    assert results.total == 6  # every issued procedure is a "Quy trình"


def test_d_with_stroke_folds_to_d(index):
    assert codes(index.search("do luong")) == ["QT-TĐC-01"]
    assert codes(index.search("tdc-01")) == ["QT-TĐC-01"]


def test_decomposed_nfd_query_finds_composed_text(index):
    query = unicodedata.normalize("NFD", "thẩm định nhiệm vụ")
    assert query != unicodedata.normalize("NFC", query)
    assert codes(index.search(query)) == ["QT-KH-01"]


def test_decomposed_nfd_document_is_found_and_shown_composed(empty_index):
    body = unicodedata.normalize("NFD", "Tiếp nhận hồ sơ đăng ký chuyển giao công nghệ.")
    empty_index.update(proc("QT-CG-01", unicodedata.normalize("NFD", "Quy trình chuyển giao"), body))

    hit = empty_index.search("chuyển giao").hits[0]
    assert hit.code == "QT-CG-01"
    assert "<mark>chuyển giao</mark>" in hit.snippet_html
    assert hit.title == "Quy trình chuyển giao"  # stored NFC


def test_exact_diacritics_rank_above_a_folded_match(empty_index):
    empty_index.rebuild([
        proc("QT-A-01", "Quy trình A", "Chuyên viên Đặng Kỳ phụ trách việc này."),
        proc("QT-B-01", "Quy trình B", "Ghi chú viết không dấu: dang ky truoc ngay 5."),
        proc("QT-C-01", "Quy trình C", "Tổ chức đăng ký trước ngày 5."),
    ])

    assert codes(empty_index.search("đăng ký"))[0] == "QT-C-01"
    assert codes(empty_index.search("Đặng Kỳ"))[0] == "QT-A-01"
    assert set(codes(empty_index.search("dang ky"))) == {"QT-A-01", "QT-B-01", "QT-C-01"}


def test_title_match_ranks_above_a_body_match(empty_index):
    empty_index.rebuild([
        proc("QT-A-01", "Quy trình lưu trữ", "Trong đó có nói đến cấp phép một lần."),
        proc("QT-B-01", "Quy trình cấp phép", "Nội dung chính của quy trình."),
    ])

    assert codes(empty_index.search("cấp phép")) == ["QT-B-01", "QT-A-01"]


def test_highlighter_tokens_agree_with_the_index_analyzer():
    text = ("Điều 5.1: Sở KH&CN tiếp nhận **hồ sơ** (08/2014/NĐ-CP) — ĐĂNG KÝ_trực tuyến; "
            "Ưu tiên QT-TĐC-01, v.v. Tổng: 1.500.000 đồng")
    expected = [(t.text, t.startchar, t.endchar) for t in FOLDED_ANALYZER(text, chars=True)]
    assert folded_tokens(text) == expected
