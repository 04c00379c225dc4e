"""Search in the browser: the procedure looked for comes first, whatever spelling of the words is typed."""
from __future__ import annotations

from tests.e2e.conftest import shot, sign_in, search_from_nav


def _search(page, q: str):
    search_from_nav(page, q)
    page.wait_for_selector("[data-testid=search-results]")
    return page.locator("[data-testid=search-results] li")


def test_internal_audit_typed_with_diacritics_finds_the_internal_audit_procedure_first(page, live_server):
    sign_in(page, live_server, "qlkh.cv")
    hits = _search(page, "đánh giá nội bộ")
    first = hits.first
    assert first.locator("[data-testid=search-hit]").inner_text().startswith("QT-VP-03 – ")
    # The words are marked where they stand together, and "bộ" is not marked in "Bố"/"bổ" or "Bộ trưởng"'s twins.
    marks = [m.lower() for m in first.locator("mark").all_inner_texts()]
    assert "đánh giá nội bộ" in marks
    assert all(m.replace(" ", "") in "đánhgiánộibộ" or m in ("đánh giá", "nội bộ") for m in marks)
    # Only procedures holding "đánh giá nội bộ" side by side are listed, not every one with those syllables.
    assert hits.count() <= 5
    shot(page, "search-danh-gia-noi-bo")
    first.locator("[data-testid=search-hit]").click()
    page.wait_for_url("**/procedures/QT-VP-03")


def test_dang_ki_without_diacritics_and_with_i_finds_a_registration_procedure_first(page, live_server):
    sign_in(page, live_server, "ttr.cv")
    hits = _search(page, "dang ki")
    first = hits.first.locator("[data-testid=search-hit]").inner_text()
    assert first.split(" – ")[0] in {"QT-QLKH-01", "QT-QLKH-03", "QT-QLCN-02"}
    assert "đăng ký" in first.lower()
    assert hits.first.locator("mark").first.inner_text().lower() == "đăng ký"
    shot(page, "search-dang-ki")
    # The other spelling with diacritics gives the same first procedure.
    assert _search(page, "đăng kí").first.locator("[data-testid=search-hit]").inner_text() == first


def test_a_word_found_nowhere_is_named_and_left_out(page, live_server):
    sign_in(page, live_server, "qlkh.cv")
    hits = _search(page, "gải quyết tố cáo")
    assert hits.first.locator("[data-testid=search-hit]").inner_text().startswith("QT-TTR-02 – ")
    assert "“gải”" in page.locator("[data-testid=search-notice]").inner_text()
    shot(page, "search-partial")
