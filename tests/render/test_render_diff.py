"""Readable diffs for the history page: aligned lines, marked words, escaped text."""

import re
import unicodedata

from app.render import DiffLine, diff_stats, render_inline, render_side_by_side, word_diff
from app.render import diff as diff_module
from tests.render.html_probe import probe


def numbered(count: int, prefix: str = "Dòng") -> list[str]:
    return [f"{prefix} {n}" for n in range(1, count + 1)]


def text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_changed_words_are_wrapped_in_del_and_ins():
    rows = word_diff("Thời hạn giải quyết: 05 ngày làm việc.\n", "Thời hạn giải quyết: 03 ngày làm việc.\n")

    assert rows == [DiffLine(
        "change", 1, 1,
        'Thời hạn giải quyết: <del class="diff-del">05</del> ngày làm việc.',
        'Thời hạn giải quyết: <ins class="diff-ins">03</ins> ngày làm việc.',
    )]


def test_vietnamese_words_are_compared_whole():
    (row,) = word_diff("Trình ký hồ sơ\n", "Trình duyệt hồ sơ\n")

    assert '<del class="diff-del">ký</del>' in row.old_html
    assert '<ins class="diff-ins">duyệt</ins>' in row.new_html
    assert "Trình" not in "".join(re.findall(r"<del[^>]*>(.*?)</del>", row.old_html))


def test_neighbouring_changed_words_are_marked_as_one_run():
    (row,) = word_diff("bước một hai ba xong\n", "bước bốn năm sáu xong\n")

    assert row.old_html == 'bước <del class="diff-del">một hai ba</del> xong'
    assert row.new_html == 'bước <ins class="diff-ins">bốn năm sáu</ins> xong'


def test_decomposed_and_composed_text_count_as_identical():
    composed = "Quy trình đăng ký hồ sơ\n"

    assert word_diff(unicodedata.normalize("NFD", composed), composed) == []
    assert diff_stats(unicodedata.normalize("NFD", composed), composed) == (0, 0)


def test_html_in_documents_is_escaped_in_both_views():
    old = 'Bước 1 <script>alert(1)</script>\n<img src=x onerror=alert(1)>\n'
    new = 'Bước 2 <script>alert(2)</script>\n<iframe src="javascript:alert(1)">\n'

    for html in (render_side_by_side(old, new), render_inline(old, new)):
        assert "<script" not in html and "<img" not in html and "<iframe" not in html
        assert "&lt;script&gt;" in html
        tags = {tag for tag, _ in probe(html).elements}
        assert tags <= {"table", "tbody", "tr", "td", "del", "ins"}


def test_long_unchanged_runs_are_collapsed_keeping_three_lines_of_context():
    old = numbered(20)
    new = list(old)
    new[9] = "Dòng 10 đã sửa"

    rows = word_diff(text(old), text(new))

    assert [row.kind for row in rows] == (
        ["skip"] + ["equal"] * 3 + ["change"] + ["equal"] * 3 + ["skip"])
    assert rows[0] == DiffLine("skip", 1, 1, skipped=6)
    assert [row.old_no for row in rows[1:4]] == [7, 8, 9]
    assert rows[-1] == DiffLine("skip", 14, 14, skipped=7)


def test_unchanged_run_between_two_changes_keeps_context_on_both_sides():
    old = numbered(30)
    new = list(old)
    new[2] = "đầu"
    new[27] = "cuối"

    rows = word_diff(text(old), text(new))
    skip = next(row for row in rows if row.kind == "skip")

    assert (skip.old_no, skip.skipped) == (7, 18)
    assert sum(row.kind == "equal" for row in rows) == 2 + 3 + 3 + 2


def test_short_unchanged_runs_are_not_collapsed():
    old = numbered(7)
    new = list(old)
    new[3] = "Dòng 4 giữa"

    kinds = [row.kind for row in word_diff(text(old), text(new))]

    assert "skip" not in kinds
    assert len(kinds) == 7


def test_collapsed_rows_use_a_wordless_marker():
    old = numbered(20)
    new = old[:10] + ["mới"] + old[10:]

    for html in (render_side_by_side(text(old), text(new)), render_inline(text(old), text(new))):
        skip_rows = re.findall(r'<tr class="diff-skip"[^>]*>(.*?)</tr>', html)
        assert skip_rows
        for row in skip_rows:
            visible = re.sub(r"<[^>]+>", "", row)
            assert visible == "…"
            assert not re.search(r"[A-Za-z]", visible)


def test_empty_old_text_shows_every_line_as_added():
    rows = word_diff("", "Một\nHai\n")

    assert rows == [DiffLine("insert", None, 1, "", "Một"), DiffLine("insert", None, 2, "", "Hai")]
    assert diff_stats("", "Một\nHai\n") == (2, 0)


def test_empty_new_text_shows_every_line_as_removed():
    rows = word_diff("Một\nHai\n", "")

    assert [(row.kind, row.old_no, row.new_no) for row in rows] == [("delete", 1, None), ("delete", 2, None)]
    assert diff_stats("Một\nHai\n", "") == (0, 2)


def test_identical_texts_give_no_rows_zero_stats_and_an_empty_table():
    same = text(numbered(50))

    assert word_diff(same, same) == []
    assert word_diff("", "") == []
    assert diff_stats(same, same) == (0, 0)
    assert render_side_by_side(same, same) == '<table class="diff diff-side-by-side"><tbody></tbody></table>'
    assert render_inline(same, same) == '<table class="diff diff-inline"><tbody></tbody></table>'


def test_windows_line_endings_are_not_a_change():
    assert word_diff("Một\r\nHai\r\n", "Một\nHai\n") == []


def test_diff_stats_counts_added_and_removed_lines_like_git():
    old = text(["a", "b", "c", "d"])
    new = text(["a", "B", "c", "d", "e", "f"])

    assert diff_stats(old, new) == (3, 1)


def test_unrelated_replacement_lines_are_shown_as_a_removal_and_an_addition():
    rows = word_diff("Giữ nguyên\nxóa dòng này\n", "Giữ nguyên\nmột nội dung hoàn toàn khác biệt\n")

    assert [row.kind for row in rows] == ["equal", "delete", "insert"]
    assert "<del" not in rows[1].old_html and "<ins" not in rows[2].new_html


def test_an_inserted_line_inside_an_edited_block_pairs_edits_with_their_originals():
    old = "Bước 1: tiếp nhận hồ sơ\nBước 2: thẩm định hồ sơ\n"
    new = "Bước 1: tiếp nhận hồ sơ điện tử\nBước 1a: phân loại\nBước 2: thẩm định hồ sơ gốc\n"

    rows = word_diff(old, new)

    assert [(row.kind, row.old_no, row.new_no) for row in rows] == [
        ("change", 1, 1), ("insert", None, 2), ("change", 2, 3)]


def test_very_large_rewrites_fall_back_to_pairing_lines_in_order(monkeypatch):
    monkeypatch.setattr(diff_module, "MAX_PAIRING_WORK", 4)
    old = text(["một hai", "ba bốn", "năm sáu"])
    new = text(["một hai X", "ba bốn Y", "năm sáu Z"])

    rows = word_diff(old, new)

    assert [(row.old_no, row.new_no) for row in rows] == [(1, 1), (2, 2), (3, 3)]


def test_side_by_side_has_line_numbers_for_both_versions():
    html = render_side_by_side("a\nb\n", "a\nc\nb\n")

    assert html.startswith('<table class="diff diff-side-by-side">')
    assert ('<tr class="diff-insert"><td class="diff-num"></td><td class="diff-text diff-empty"></td>'
            '<td class="diff-num">2</td><td class="diff-text">c</td></tr>') in html
    assert '<td class="diff-num">2</td><td class="diff-text">b</td><td class="diff-num">3</td>' in html


def test_inline_lists_removals_then_additions_with_markers():
    html = render_inline("a\nhai ba\nbốn năm\nz\n", "a\nhai BA\nbốn NĂM\nz\n")

    markers = re.findall(r'<td class="diff-marker">(.*?)</td>', html)
    assert markers == [" ", "-", "-", "+", "+", " "]
    assert '<del class="diff-del">ba</del>' in html and '<ins class="diff-ins">NĂM</ins>' in html


def test_a_real_procedure_edit_diffs_quickly_and_sensibly(procedure_text):
    edited = procedure_text.replace("05 năm", "10 năm").replace("Lãnh đạo Sở | 0,5", "Giám đốc Sở | 1")

    rows = word_diff(procedure_text, edited)

    assert sum(row.kind == "change" for row in rows) == procedure_text.count("Lãnh đạo Sở | 0,5") + 1
    assert any('<ins class="diff-ins">10</ins>' in row.new_html for row in rows)
    assert diff_stats(procedure_text, edited)[0] == diff_stats(procedure_text, edited)[1]


def test_blank_lines_added_to_a_long_document_are_found_exactly(procedure_text):
    # Long inputs switch on difflib's autojunk, which treats frequent lines (blank ones) as junk.
    edited = procedure_text.replace("## 2. Phạm vi áp dụng\n", "## 2. Phạm vi áp dụng\n\n\n", 1)

    changed = [(row.kind, row.new_no) for row in word_diff(procedure_text, edited) if row.kind not in ("equal", "skip")]

    assert changed == [("insert", 11), ("insert", 12)]
    assert diff_stats(procedure_text, edited) == (2, 0)
