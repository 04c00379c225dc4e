"""A procedure's life in the browser: drafted, submitted, approved, read by all, revised, compared; and found by search."""
from __future__ import annotations

from datetime import date

from tests.e2e.conftest import shot, sign_in, sign_out, search_from_nav


def test_member_drafts_head_submits_leadership_approves_everyone_reads_then_a_revision_diffs(page, live_server):
    url = live_server.url
    code = "QT-QLKH-01"
    # a member of QLKH starts a revision of the issued procedure, with the live preview
    sign_in(page, live_server, "qlkh.cv")
    page.goto(f"{url}/procedures/{code}")
    page.click("[data-testid=edit]")
    body = page.locator("textarea#body")
    text = body.input_value()
    body.fill(text.replace("## 1. Mục đích", "## 1. Mục đích\n\nBổ sung: tiếp nhận hồ sơ trực tuyến qua iGate.", 1))
    page.locator("#preview", has_text="trực tuyến qua iGate").wait_for()
    page.fill("#message", "Bổ sung tiếp nhận trực tuyến")
    shot(page, "dc-1-editor")
    page.click("[data-testid=save]")
    page.wait_for_url(f"{url}/procedures/{code}/draft")
    assert page.locator("[data-testid=procedure-body]").get_attribute("data-watermark") == "DỰ THẢO"
    sign_out(page)

    # the head submits
    sign_in(page, live_server, "qlkh.tp")
    page.goto(f"{url}/procedures/{code}")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=submit]")
    assert "Chờ phê duyệt" in page.locator("[data-testid=draft-state]").inner_text()
    sign_out(page)

    # leadership approves with an effective date
    sign_in(page, live_server, "lanhdao")
    page.goto(f"{url}/procedures/{code}")
    effective = date.today()  # in force at once (a later date is tested in test_doccontrol_acceptance)
    page.fill("#effective_on", effective.isoformat())
    page.fill("#approve-message", "Bổ sung tiếp nhận hồ sơ trực tuyến")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=approve]")
    page.wait_for_selector("text=Đã phê duyệt và ban hành")
    sign_out(page)

    # everyone sees the issued text with its header block and amendment log
    sign_in(page, live_server, "bcd")
    page.goto(f"{url}/procedures/{code}")
    header = page.locator("[data-testid=header-block]").inner_text()
    assert effective.strftime("%d/%m/%Y") in header
    log = page.locator("[data-testid=amendment-log]").inner_text()
    assert "Bổ sung tiếp nhận hồ sơ trực tuyến" in log
    assert "trực tuyến qua iGate" in page.locator("[data-testid=procedure-body]").inner_text()
    shot(page, "dc-2-issued")

    # the new revision is in the history, and the diff highlights the words added
    page.click("[data-testid=history-link]")
    rows = page.locator("[data-testid=history] tbody tr")
    assert rows.count() >= 2
    page.click("[data-testid=compare]")
    page.wait_for_selector("[data-testid=diff]")
    added = page.locator("[data-testid=diff] tr.diff-insert, [data-testid=diff] ins").all_inner_texts()
    assert any("trực tuyến qua iGate" in text for text in added)
    shot(page, "dc-3-diff")


def test_search_without_diacritics_opens_the_procedure_from_its_highlighted_result(page, live_server):
    sign_in(page, live_server, "ttr.cv")
    search_from_nav(page, "dang ky hoat dong khoa hoc")
    page.wait_for_selector("[data-testid=search-results]")
    first = page.locator("[data-testid=search-results] li").first
    assert first.locator("mark").count() > 0
    shot(page, "search-results")
    code = first.locator("[data-testid=search-hit]").inner_text().split(" – ")[0]
    first.locator("[data-testid=search-hit]").click()
    page.wait_for_url(f"**/procedures/{code}")
    assert page.locator("[data-testid=header-block]").is_visible()
