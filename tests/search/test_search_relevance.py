"""Ranking that respects the words as typed: all words, side by side, accent-exact, variants, legal references."""

import unicodedata

import pytest

from tests.search.helpers import proc


def codes(results):
    return [hit.code for hit in results.hits]


@pytest.fixture
def audit_index(empty_index):
    empty_index.rebuild([
        proc("QT-VP-03", "Quy trình đánh giá nội bộ",
             "Đoàn đánh giá thực hiện đánh giá nội bộ hằng năm theo chương trình đã duyệt."),
        # Every syllable of "đánh giá nội bộ", none of them together.
        proc("QT-VP-09", "Quy trình tiếp nhận phản ánh",
             "Người dân đánh máy đơn; giá trị hồ sơ; nội dung trình Bộ Khoa học và Công nghệ."),
        # Folded twins of the words: "bố", "nơi", "danh".
        proc("QT-VP-08", "Quy trình công bố danh mục",
             "Danh mục được công bố tại nơi tiếp nhận; giá niêm yết; nội quy."),
        proc("QT-VP-04", "Quy trình hành động khắc phục",
             "Sự không phù hợp phát hiện qua đánh giá nội bộ được ghi vào phiếu."),
    ])
    return empty_index


def test_the_procedure_with_all_words_side_by_side_comes_first(audit_index):
    assert codes(audit_index.search("đánh giá nội bộ")) == ["QT-VP-03", "QT-VP-04"]


def test_the_same_syllables_scattered_over_a_text_are_not_a_match_when_some_text_has_them_together(audit_index):
    assert "QT-VP-09" not in codes(audit_index.search("đánh giá nội bộ"))
    assert "QT-VP-09" not in codes(audit_index.search("danh gia noi bo"))


def test_scattered_syllables_still_match_when_no_text_has_them_together(audit_index):
    results = audit_index.search("đánh máy Bộ")
    assert codes(results) == ["QT-VP-09"]
    assert results.tier == "all"


def test_a_word_typed_with_diacritics_does_not_match_its_folded_twins(audit_index):
    # "bộ" is not "bố": the procedure with "công bố" but no "bộ" is left out.
    assert "QT-VP-08" not in codes(audit_index.search("đánh giá nội bộ"))
    assert codes(audit_index.search("công bố")) == ["QT-VP-08"]


def test_a_folded_match_of_another_word_counts_only_when_nothing_better_exists(audit_index):
    results = audit_index.search("danh mục công bộ")  # "bộ" mistyped for "bố"
    assert codes(results) == ["QT-VP-08"]
    assert results.tier == "folded"
    assert "folded_match" in results.notices


def test_a_mistyped_accent_inside_a_typed_word_pair_is_forgiven_only_next_to_its_neighbour(empty_index):
    empty_index.rebuild([
        proc("QT-VP-01", "Quy trình kiểm soát tài liệu", "Kiểm soát tài liệu nội bộ."),
        proc("QT-X-01", "Quy trình X", "Hồ sơ cấp cho ai đó; liều chiếu xạ."),
    ])
    assert codes(empty_index.search("kiểm soát tài liêu")) == ["QT-VP-01"]  # liêu for liệu
    assert empty_index.search("cấp hộ chiếu").total == 0  # "hồ sơ" ... "chiếu xạ" is not "hộ chiếu"


def test_exact_spelling_ranks_above_folded_spelling_when_both_match(empty_index):
    empty_index.rebuild([
        proc("QT-A-01", "Quy trình A", "Ghi chú không dấu: bo phan, bo phan, bo phan; một lần bộ phận."),
        proc("QT-B-01", "Quy trình B", "Bộ phận một cửa tiếp nhận; bộ phận một cửa trả kết quả."),
    ])
    assert codes(empty_index.search("bộ phận")) == ["QT-B-01", "QT-A-01"]
    assert codes(empty_index.search("bo phan")) == ["QT-A-01", "QT-B-01"]  # typed without: any spelling


def test_when_no_procedure_has_all_words_a_word_found_nowhere_is_left_out_and_named(empty_index):
    empty_index.rebuild([
        proc("QT-TTR-02", "Quy trình giải quyết tố cáo", "Giải quyết tố cáo trong 30 ngày."),
        proc("QT-TTR-01", "Quy trình giải quyết khiếu nại", "Giải quyết khiếu nại lần đầu."),
    ])
    results = empty_index.search("gải quyết tố cáo")  # "gải" for "giải"
    assert codes(results) == ["QT-TTR-02"]
    assert results.tier == "partial"
    assert results.dropped == ("gải",)
    assert "partial_match" in results.notices


def test_no_fallback_for_short_queries_about_something_else(empty_index):
    empty_index.rebuild([proc("QT-QLKH-01", "Quy trình đăng ký kết quả", "Đăng ký kết quả nhiệm vụ.")])
    assert empty_index.search("bảo hiểm xã hội").total == 0
    assert empty_index.search("giấy phép lái xe").total == 0


def test_title_and_code_matches_rank_above_body_matches(empty_index):
    empty_index.rebuild([
        proc("QT-VP-05", "Quy trình xem xét của lãnh đạo", "Họp hằng năm."),
        proc("QT-VP-03", "Quy trình khác", "Đầu vào cho xem xét của lãnh đạo; xem QT-VP-05 và xem xét của lãnh đạo."),
    ])
    assert codes(empty_index.search("xem xét của lãnh đạo"))[0] == "QT-VP-05"
    assert codes(empty_index.search("QT-VP-05")) == ["QT-VP-05", "QT-VP-03"]
    assert codes(empty_index.search("qt-vp-03"))[0] == "QT-VP-03"


# ---- Vietnamese spelling variants


@pytest.fixture
def variants_index(empty_index):
    empty_index.rebuild([
        proc("QT-A-01", "Quy trình đăng ký hoạt động", "Lý lịch khoa học; hằng quý; hàng hóa; ủy quyền."),
        proc("QT-B-01", "Quy trình thủy lợi", "Sức khỏe; Hoa Kỳ và Mỹ; hòa giải."),
        proc("QT-C-01", "Quy trình kí kết", "Ký kết hợp đồng; quí khách; lí do; mĩ thuật; hoà giải; thuỷ sản."),
    ])
    return empty_index


@pytest.mark.parametrize("query, expected", [
    ("đăng kí", {"QT-A-01"}), ("dang ki", {"QT-A-01"}), ("ĐĂNG KÍ", {"QT-A-01"}),
    ("lí lịch", {"QT-A-01"}), ("lý do", {"QT-C-01"}),
    ("hằng quí", {"QT-A-01"}), ("quý khách", {"QT-C-01"}),
    ("mĩ", {"QT-B-01", "QT-C-01"}), ("mỹ thuật", {"QT-C-01"}),
    ("ký kết", {"QT-C-01"}), ("kí kết", {"QT-C-01"}),
])
def test_i_and_y_after_a_consonant_find_each_other(variants_index, query, expected):
    assert set(codes(variants_index.search(query))) == expected


@pytest.mark.parametrize("query, expected", [
    ("hoà giải", {"QT-B-01", "QT-C-01"}), ("hòa giải", {"QT-B-01", "QT-C-01"}),
    ("thuỷ", {"QT-B-01", "QT-C-01"}), ("thủy sản", {"QT-C-01"}),
    ("khoẻ", {"QT-B-01"}), ("sức khỏe", {"QT-B-01"}),
    ("hàng hoá", {"QT-A-01"}), ("uỷ quyền", {"QT-A-01"}),
])
def test_old_and_new_tone_mark_placement_find_each_other(variants_index, query, expected):
    assert set(codes(variants_index.search(query))) == expected


def test_y_of_uy_is_not_i(variants_index):
    # "thủy" is the vowel uy; it must not turn into "thủi".
    assert variants_index.search("thủi").total == 0


@pytest.mark.parametrize("query", ["hoà giải", "thủy sản", "đăng kí", "lí lịch khoa học"])
def test_decomposed_input_finds_the_same_as_composed(variants_index, query):
    nfd = unicodedata.normalize("NFD", query)
    assert nfd != query
    assert codes(variants_index.search(nfd)) == codes(variants_index.search(query))
    assert variants_index.search(nfd).total > 0


# ---- numbers and legal references


@pytest.fixture
def legal_index(empty_index):
    empty_index.rebuild([
        proc("QT-QLKH-01", "Quy trình đăng ký kết quả", "Nộp tại bộ phận một cửa; mẫu BM-QLKH-01-02.",
             legal=("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về cơ chế một cửa",
                    "Thông tư số 14/2014/TT-BKHCN ngày 11/6/2014")),
        proc("QT-VP-04", "Quy trình hành động khắc phục", "Xin lỗi khi trả quá hạn (Nghị định số 61/2018/NĐ-CP)."),
        # The same numbers, not as one reference.
        proc("QT-X-01", "Quy trình X", "Năm 2018 có 61 hồ sơ; Nghị định 161/2018/NĐ-CP; mẫu BM-QLKH-01-03; 14 người.",
             legal=("Thông tư số 02/2014/TT-BKHCN",)),
    ])
    return empty_index


@pytest.mark.parametrize("query", ["61/2018/NĐ-CP", "61/2018/nd-cp", "Nghị định 61/2018", "Nghị định 61",
                                   "nghi dinh 61/2018"])
def test_a_legal_reference_finds_the_procedures_citing_it_and_only_those(legal_index, query):
    assert set(codes(legal_index.search(query))) == {"QT-QLKH-01", "QT-VP-04"}


def test_the_legal_basis_list_is_searchable(legal_index):
    assert codes(legal_index.search("Thông tư 14/2014/TT-BKHCN")) == ["QT-QLKH-01"]
    assert codes(legal_index.search("14/2014")) == ["QT-QLKH-01"]


def test_a_snippet_from_the_legal_basis_list_shows_the_reference(legal_index):
    hit = legal_index.search("14/2014/TT-BKHCN").hits[0]
    assert "<mark>14/2014/TT-BKHCN</mark>" in hit.snippet_html


def test_form_and_procedure_codes_stay_whole(legal_index):
    assert codes(legal_index.search("BM-QLKH-01-02")) == ["QT-QLKH-01"]
    assert codes(legal_index.search("QT-VP-04")) == ["QT-VP-04"]


def _agency(extra=()):
    """Procedures that all say "đăng ký" and "kết quả" (one "đăng ký kết quả"), one about denunciations."""
    docs = [proc(f"QT-QLKH-{i:02d}", f"Quy trình đăng ký nhiệm vụ {i}",
                 f"Tổ chức đăng ký thực hiện nhiệm vụ {i}; thông báo kết quả.") for i in range(1, 7)]
    docs[0] = proc("QT-QLKH-01", "Quy trình đăng ký kết quả nhiệm vụ", "Đăng ký kết quả thực hiện nhiệm vụ.")
    docs.append(proc("QT-TTR-02", "Quy trình giải quyết tố cáo", "Giải quyết tố cáo trong 30 ngày."))
    return docs + list(extra)


def test_a_missing_word_whose_other_words_are_everywhere_shows_nothing_and_suggests_the_rest(empty_index):
    empty_index.rebuild(_agency())
    results = empty_index.search("đăng ký kết hôn")  # marriage registration: not this agency's business
    assert results.total == 0 and results.hits == []
    assert results.tier == "suggest"
    assert results.dropped == ("hôn",)
    assert "partial_suggestion" in results.notices
    # "kết" went with "hôn": beside "ký" it is rare next to how often "ký" follows "đăng".
    assert results.suggestion == "đăng ký"
    assert codes(empty_index.search(results.suggestion))[:1] == ["QT-QLKH-01"]


def test_a_missing_word_whose_other_words_are_specific_still_answers(empty_index):
    empty_index.rebuild(_agency())
    results = empty_index.search("gải quyết tố cáo")
    assert codes(results) == ["QT-TTR-02"]
    assert results.tier == "partial" and results.suggestion is None


def test_the_suggestion_keeps_a_syllable_that_belongs_with_the_words_before_it(empty_index):
    empty_index.rebuild(_agency([proc(f"QT-VP-{i:02d}", "Quy trình đánh giá nội bộ",
                                      "Đánh giá nội bộ hằng năm; bộ phận một cửa.") for i in range(1, 7)]))
    results = empty_index.search("đánh giá nội bộ xyzw")
    assert results.total == 0 and results.suggestion == "đánh giá nội bộ"
