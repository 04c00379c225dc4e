"""Highlighted titles and snippets: marks around folded matches, everything else HTML-escaped."""

import re

from tests.search.helpers import proc


def test_an_unaccented_query_marks_the_accented_words(index):
    hit = index.search("dang ky").hits[0]
    assert hit.code == "QT-VP-01"
    assert "<mark>đăng ký</mark>" in hit.snippet_html
    assert hit.title_html == "Quy trình <mark>đăng ký</mark> hồ sơ"


def test_an_uppercase_query_marks_text_in_its_original_case(empty_index):
    empty_index.update(proc("QT-A-01", "QUY TRÌNH ĐĂNG KÝ", "Đăng Ký tại bộ phận một cửa."))
    hit = empty_index.search("đăng ký").hits[0]
    assert hit.title_html == "QUY TRÌNH <mark>ĐĂNG KÝ</mark>"
    assert hit.snippet_html.startswith("<mark>Đăng Ký</mark>")


def test_snippet_escapes_html_in_the_text_but_keeps_the_marks(empty_index):
    empty_index.update(proc("QT-A-01", "Quy trình <b>đăng ký</b> & lưu",
                            '<script>alert("x")</script> Hồ sơ đăng ký <img src=x onerror=1> & "trích dẫn"'))
    hit = empty_index.search("đăng ký").hits[0]

    for html in (hit.snippet_html, hit.title_html):
        without_marks = html.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in without_marks and ">" not in without_marks
    assert "&lt;script&gt;" in hit.snippet_html
    assert "&amp;" in hit.title_html
    assert hit.title_html == "Quy trình &lt;b&gt;<mark>đăng ký</mark>&lt;/b&gt; &amp; lưu"


def test_a_phrase_query_marks_only_the_phrase(empty_index):
    empty_index.update(proc("QT-A-01", "Quy trình A", "Hồ sơ gồm đơn. Bộ phận tiếp nhận hồ sơ trong ngày."))
    snippet = empty_index.search('"tiếp nhận hồ sơ"').hits[0].snippet_html
    assert re.findall(r"<mark>(.*?)</mark>", snippet) == ["tiếp nhận hồ sơ"]


def test_a_prefix_query_marks_whole_words(index):
    snippet = index.search("thẩm đị*").hits[0].snippet_html
    assert "<mark>Thẩm định</mark>" in snippet or "<mark>thẩm định</mark>" in snippet


def test_a_long_body_gives_a_short_snippet_around_the_match(empty_index):
    filler = "Nội dung không liên quan gì đến câu hỏi. " * 60
    empty_index.update(proc("QT-A-01", "Quy trình A", filler + "Chỉ ở đây có cấp phép bức xạ. " + filler))
    snippet = empty_index.search("bức xạ").hits[0].snippet_html

    assert len(snippet) < 400
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>bức xạ</mark>" in snippet


def test_distant_matches_give_separate_fragments(empty_index):
    filler = "Nội dung không liên quan gì đến câu hỏi. " * 30
    empty_index.update(proc("QT-A-01", "Quy trình A", f"Thẩm định {filler} thẩm định lại {filler}"))
    snippet = empty_index.search("thẩm định").hits[0].snippet_html
    assert snippet.count("<mark>") == 2 and " … " in snippet


def test_a_hit_without_a_match_in_the_body_shows_the_beginning_of_the_body(index):
    hit = index.search("QT-VP-02").hits[0]
    assert hit.snippet_html.startswith("Văn thư lưu trữ văn bản")
    assert "<mark>" not in hit.snippet_html


def test_the_snippet_shows_the_passage_where_the_words_stand_together(empty_index):
    scattered = "Đánh máy văn bản. " + "Nội dung khác. " * 20 + "Giá trị bộ hồ sơ. " + "Lời kết. " * 30
    together = "Thư ký ISO lập chương trình đánh giá nội bộ hằng năm."
    empty_index.update(proc("QT-VP-03", "Quy trình A", scattered + together))
    snippet = empty_index.search("đánh giá nội bộ").hits[0].snippet_html
    assert "<mark>đánh giá nội bộ</mark>" in snippet
    assert "Đánh máy" not in snippet


def test_a_word_typed_with_diacritics_is_not_marked_in_its_folded_twins(empty_index):
    empty_index.update(proc("QT-VP-03", "Quy trình đánh giá nội bộ",
                            "Công bố kết quả đánh giá nội bộ; bổ sung hồ sơ; Bộ Khoa học."))
    hit = empty_index.search("đánh giá nội bộ").hits[0]
    marked = re.findall(r"<mark>(.*?)</mark>", hit.snippet_html + hit.title_html)
    assert "đánh giá nội bộ" in marked
    assert not any(m in ("bố", "bổ") or m.endswith(" bố") for m in marked)
    # Typed without diacritics, any spelling is marked.
    unaccented = empty_index.search("bo").hits[0].snippet_html
    assert "<mark>bố</mark>" in unaccented and "<mark>bổ</mark>" in unaccented


def test_a_legal_reference_snippet_comes_from_the_legal_basis_list(empty_index):
    empty_index.update(proc("QT-QLKH-01", "Quy trình đăng ký", "Nộp hồ sơ tại bộ phận một cửa.",
                            legal=("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 về cơ chế một cửa",)))
    snippet = empty_index.search("61/2018/NĐ-CP").hits[0].snippet_html
    assert "<mark>61/2018/NĐ-CP</mark>" in snippet


def test_stray_syllables_are_not_marked_where_the_words_stand_together(empty_index):
    empty_index.update(proc("QT-VP-03", "Quy trình A",
                            "Áp dụng cho đánh giá nội bộ toàn bộ các quá trình của tổ chức bộ máy."))
    snippet = empty_index.search("đánh giá nội bộ").hits[0].snippet_html
    assert re.findall(r"<mark>(.*?)</mark>", snippet) == ["đánh giá nội bộ"]
    # A word typed alone is still marked wherever it is.
    alone = empty_index.search("bộ").hits[0].snippet_html
    assert len(re.findall(r"<mark>bộ</mark>", alone)) == 3
