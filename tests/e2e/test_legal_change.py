"""Acceptance 2 of the legal register: a decree is amended, the owner unit reviews and updates, the year counts it."""
from __future__ import annotations

from datetime import date, timedelta

from tests.e2e.conftest import shot, sign_in, sign_out

CODE = "QT-QLCN-01"          # cites Nghị định 142/2020/NĐ-CP, owned by QLCN


def _done(page, url, year):
    page.goto(f"{url}/reviews/{year}")
    return int(page.locator("[data-testid=progress-overall]").get_attribute("data-done"))


def test_secretary_records_an_amendment_unit_updates_the_procedure_and_the_year_counts_it(page, live_server):
    url = live_server.url
    page.on("dialog", lambda d: d.accept())
    year = date.today().year

    # the ISO secretary has this year's review cycle open
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/reviews/")
    page.fill("#year", str(year))
    page.fill("#deadline", f"{year}-12-31")
    page.click("[data-testid=open-cycle]")
    page.wait_for_url(f"{url}/reviews/{year}")
    before = _done(page, url, year)

    # she finds decree 142/2020 in the register (written without diacritics) and records that it is amended
    page.goto(f"{url}/legal/?q=142/2020/ND-CP")
    shot(page, "legal-1-register")
    page.click("text=142/2020/NĐ-CP")
    assert CODE in page.locator("[data-testid=citing]").inner_text()
    page.select_option("#change-kind", "amended")
    effective = date.today() + timedelta(days=20)
    page.fill("#change-effective_on", effective.isoformat())
    page.fill("#change-note", "Sửa đổi thành phần hồ sơ cấp giấy phép tiến hành công việc bức xạ")
    shot(page, "legal-2-record-change")
    page.click("[data-testid=record-change]")
    page.wait_for_url("**/legal/changes/*")
    change_path = page.url.split(url, 1)[1]
    flagged = page.locator("[data-testid=change-reviews]").inner_text()
    assert CODE in flagged and (effective - timedelta(days=1)).strftime("%d/%m/%Y") in flagged
    shot(page, "legal-3-flagged")
    sign_out(page)

    # a member of the owner unit sees the review on her home page, records "updated" and drafts the update
    sign_in(page, live_server, "qlcn.cv")
    assert "Rà soát khi có thay đổi văn bản pháp luật" in page.content()
    shot(page, "legal-4-home")
    page.click(f"a[href='{change_path}/{CODE}']")
    page.wait_for_url(f"**/legal/changes/*/{CODE}")
    page.check("input[name=outcome][value=updated]")
    page.fill("#note", "Cập nhật thành phần hồ sơ theo văn bản sửa đổi")
    page.click("[data-testid=record-change-review]")
    assert "Đang cập nhật, chờ ban hành" in page.locator("[data-testid=change-review-status]").inner_text()
    shot(page, "legal-5-recorded-updated")
    review_url = page.url
    page.click("[data-testid=edit-procedure]")
    body = page.locator("textarea#body")
    body.fill(body.input_value().replace("## 1. Mục đích", "## 1. Mục đích\n\nCập nhật theo văn bản sửa đổi.", 1))
    page.fill("#message", "Cập nhật theo Nghị định sửa đổi")
    page.click("[data-testid=save]")
    page.wait_for_url(f"{url}/procedures/{CODE}/draft")
    sign_out(page)

    # the head submits, leadership issues the update
    sign_in(page, live_server, "qlcn.tp")
    page.goto(f"{url}/procedures/{CODE}")
    page.click("[data-testid=submit]")
    sign_out(page)
    sign_in(page, live_server, "lanhdao")
    page.goto(f"{url}/procedures/{CODE}")
    page.fill("#effective_on", date.today().isoformat())
    page.click("[data-testid=approve]")
    page.wait_for_selector("text=Đã phê duyệt và ban hành")
    sign_out(page)

    # the change-triggered review is done, and this year's Objective 4 figure counts the procedure
    sign_in(page, live_server, "thuky")
    page.goto(review_url)
    assert "Đã hoàn thành" in page.locator("[data-testid=change-review-status]").inner_text()
    assert "Objective" in page.content() or "Mục tiêu 4" in page.content()
    shot(page, "legal-6-review-done")
    assert _done(page, url, year) == before + 1
    row = page.locator(f"[data-testid=review-row][data-code='{CODE}']")
    assert "Đã chấp nhận" in row.inner_text()
    shot(page, "legal-7-cycle")
    page.goto(f"{url}/procedures/{CODE}")
    assert "Đã được sửa đổi, bổ sung" in page.locator("[data-testid=legal-panel]").inner_text()
    shot(page, "legal-8-procedure-bases")


def test_the_demo_register_holds_the_shipped_procedures_bases_and_one_amendment(page, live_server):
    url = live_server.url
    sign_in(page, live_server, "bcd")
    page.goto(f"{url}/legal/")
    assert "Tổng số: 50" in page.content()           # every document the 15 procedures cite
    shot(page, "legal-9-demo-register")
    page.goto(f"{url}/legal/?status=amended")
    page.click("text=61/2018/NĐ-CP")
    assert "Đã được sửa đổi, bổ sung" in page.locator("[data-testid=legal-status]").inner_text()
    assert "107/2021/NĐ-CP" in page.locator("[data-testid=legal-history]").inner_text()
    citing = page.locator("[data-testid=citing]").inner_text()
    for code in ("QT-QLCN-01", "QT-QLCN-02", "QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03", "QT-VP-04"):
        assert code in citing
    shot(page, "legal-10-demo-decree-61")
    page.click("[data-testid=legal-history] >> text=Quy trình cần rà soát")
    table = page.locator("[data-testid=change-reviews]").inner_text()
    assert table.count("Chờ đơn vị rà soát") == 5 and table.count("Đã hoàn thành") == 1
    shot(page, "legal-11-demo-change")


def test_secretary_imports_a_file_with_a_bad_row_then_a_good_one(page, live_server, tmp_path):
    url = live_server.url
    page.on("dialog", lambda d: d.accept())
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/legal/unmatched")
    assert "Mọi căn cứ pháp lý của các quy trình đều đã khớp danh mục." in page.content()
    header = "Số ký hiệu,Loại,Trích yếu,Cơ quan ban hành,Ngày ban hành,Ngày hiệu lực\n"
    good = "15/2026/QĐ-UBND,Quyết định,Quy định mức thu phí thẩm định,Ủy ban nhân dân tỉnh,10/03/2026,20/03/2026\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + good + "Nghị định 61/2018/ND-CP,Nghị định,Trùng với danh mục,Chính phủ,,\n", "utf-8")
    page.goto(f"{url}/legal/import")
    page.set_input_files("#file", str(bad))
    page.click("[data-testid=import-preview]")
    errors = page.locator("[data-testid=import-errors]").inner_text()
    assert "Dòng 3: Văn bản 61/2018/NĐ-CP đã có trong danh mục." in errors
    assert page.locator("[data-testid=import-confirm]").count() == 0
    shot(page, "legal-12-import-refused")
    ok = tmp_path / "ok.csv"
    ok.write_text(header + good, "utf-8")
    page.set_input_files("#file", str(ok))
    page.click("[data-testid=import-preview]")
    shot(page, "legal-13-import-preview")
    page.click("[data-testid=import-confirm]")
    page.wait_for_url(f"{url}/legal/")
    assert "Đã nhập 1 văn bản." in page.content()
    page.goto(f"{url}/legal/?q=15/2026")
    assert "15/2026/QĐ-UBND" in page.content()
