"""The search page: Vietnamese with or without diacritics, drafts kept to their unit, a lost index rebuilt."""
from __future__ import annotations

import re
import shutil

import pytest

from app.procedures import core


def test_search_without_diacritics_finds_the_procedure_and_highlights_it(client, login_as, people, issued):
    login_as(people.other_member)
    html = client.get("/search?q=dang+ky+hoat+dong").data.decode()
    assert "QT-QLKH-01" in html and "<mark>" in html


def test_a_draft_is_not_returned_to_a_reader_of_another_unit(client, app, login_as, people, draft):
    login_as(people.other_member)
    assert "QT-QLKH-02" not in client.get("/search?q=tuyen+chon").data.decode()
    from tests.conftest import login

    own = app.test_client()
    login(own, people.member)
    assert "QT-QLKH-02" in own.get("/search?q=tuyen+chon").data.decode()


def test_a_draft_hit_says_draft_once(client, login_as, people, draft):
    login_as(people.member)
    html = client.get("/search?q=tuyen+chon").data.decode()
    hit = html[html.index("QT-QLKH-02"):]
    hit = hit[:hit.index("</li>")] if "</li>" in hit else hit[:2000]
    assert hit.count(">Dự thảo<") == 1


@pytest.mark.parametrize("q", ['"chưa đóng', "AND OR", "*", "((", "x" * 5000, "title:[a TO"])
def test_a_malformed_query_gets_a_friendly_page_never_a_500(client, login_as, people, issued, q):
    login_as(people.member)
    resp = client.get("/search", query_string={"q": q})
    assert resp.status_code == 200


def test_deleting_the_index_directory_then_searching_rebuilds_it(client, app, login_as, people, issued):
    login_as(people.member)
    before = client.get("/search?q=dang+ky").data.decode()
    core.search_index().close()
    app.extensions.pop("qms_index", None)
    shutil.rmtree(app.config["QMS_INDEX_DIR"])
    after = client.get("/search?q=dang+ky").data.decode()
    assert "QT-QLKH-01" in before and "QT-QLKH-01" in after


def test_reindex_restores_identical_results(client, runner, login_as, people, issued, draft):
    login_as(people.secretary)
    before = _results_page(client)
    assert "QT-QLKH-01" in before and "QT-QLKH-02" in before
    result = runner.invoke(args=["qms", "reindex"])
    assert result.exit_code == 0, result.output
    assert _results_page(client) == before


def test_reindex_in_two_processes_gives_the_same_results(client, runner, login_as, people, issued, draft,
                                                        monkeypatch):
    from app.search import parallel

    monkeypatch.setattr(parallel, "CHUNK", 1)  # the second document goes to the helper process
    monkeypatch.setattr(parallel, "available", lambda: True)
    login_as(people.secretary)
    before = _results_page(client)
    result = runner.invoke(args=["qms", "reindex"])
    assert result.exit_code == 0, result.output
    assert len(core.search_index()._ix._segments()) == 2
    assert _results_page(client) == before


def test_when_the_helper_process_fails_reindex_says_so_and_indexes_in_one_process(
        client, runner, login_as, people, issued, draft, monkeypatch):
    import sys

    from app.search import parallel

    monkeypatch.setattr(parallel, "CHUNK", 1)
    monkeypatch.setattr(parallel, "available", lambda: True)
    monkeypatch.setattr(parallel.Helper, "command", [sys.executable, "-c", "raise SystemExit(3)"])
    login_as(people.secretary)
    before = _results_page(client)
    assert "QT-QLKH-01" in before
    result = runner.invoke(args=["qms", "reindex"])
    assert result.exit_code == 0, result.output
    assert "lập chỉ mục lại trong một tiến trình" in result.output
    assert "Indexed 2 documents." in result.output
    assert len(core.search_index()._ix._segments()) == 1
    assert _results_page(client) == before


def _results_page(client) -> str:
    """The search page without its form tokens (they carry the time)."""
    html = client.get("/search?q=quy+trinh&sort=code").data.decode()
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def test_a_word_found_in_no_procedure_is_named_on_the_page_and_left_out(client, login_as, people, issued):
    login_as(people.member)
    html = client.get("/search", query_string={"q": "gải đăng ký hoạt động"}).data.decode()
    assert "QT-QLKH-01" in html
    assert "Không quy trình nào chứa: “gải”" in html


def test_a_folded_match_says_so_on_the_page(client, login_as, people, issued):
    login_as(people.member)
    html = client.get("/search", query_string={"q": "đăng kỵ"}).data.decode()  # wrong tone on "ký"
    assert "QT-QLKH-01" in html
    assert "khớp khi bỏ qua dấu" in html


def test_a_missing_word_with_common_other_words_shows_no_result_and_links_the_reduced_search(
        client, app, login_as, people, issued):
    from tests.search.helpers import proc

    login_as(people.member)
    client.get("/search", query_string={"q": "đăng ký"})  # the index is built from the store
    for i in range(2, 8):  # most procedures say "đăng ký" and "kết quả"
        core.search_index().update(proc(f"QT-QLKH-{i:02d}", f"Quy trình đăng ký kết quả {i}",
                                        "Đăng ký thực hiện; thông báo kết quả.", unit="QLKH"))
    html = client.get("/search", query_string={"q": "đăng ký kết hôn"}).data.decode()
    assert 'data-testid="search-hit"' not in html
    assert "Không quy trình nào chứa: “hôn”" in html
    assert 'data-testid="search-suggestion"' in html
    assert "q=%C4%91%C4%83ng+k%C3%BD" in html  # a link searching "đăng ký"
