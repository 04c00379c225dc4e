"""The yearly review in the browser, from the secretary opening cycle 2022 to the committee's exported report."""
from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from tests.e2e.conftest import shot, sign_in, sign_out

# the demo procedures whose header says they were issued in 2022: already that year's review
ISSUED_IN_2022 = {"QT-QLKH-01", "QT-TTR-01", "QT-TTR-02", "QT-TTUD-01"}
DEMO_PROCEDURES = 15


def _accept_dialogs(page):
    page.on("dialog", lambda d: d.accept())


def _row(page, code):
    return page.locator(f"[data-testid=review-row][data-code='{code}']")


def test_the_review_year_opened_recorded_confirmed_updated_accepted_closed_and_exported(page, live_server):
    url = live_server.url
    _accept_dialogs(page)

    # the ISO secretary opens cycle 2022
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/reviews/")
    page.fill("#year", "2022")
    page.fill("#deadline", "2022-12-31")
    page.fill("#meeting_on", "2022-12-20")
    shot(page, "review-1-open-form")
    page.click("[data-testid=open-cycle]")
    page.wait_for_url(f"{url}/reviews/2022")
    assert page.locator("[data-testid=cycle-status]").get_attribute("data-status") == "open"
    overall = page.locator("[data-testid=progress-overall]")
    assert overall.get_attribute("data-total") == str(DEMO_PROCEDURES)
    assert overall.get_attribute("data-done") == str(len(ISSUED_IN_2022))
    sign_out(page)

    # a member of QLKH finds the review among her tasks and records "maintained"
    sign_in(page, live_server, "qlkh.cv")
    page.click("text=QT-QLKH-02 –")
    page.wait_for_url(f"{url}/reviews/2022/QT-QLKH-02")
    page.check("[data-testid=outcome-maintained]")
    page.fill("#note", "Căn cứ pháp lý không thay đổi; quy trình vẫn phù hợp.")
    shot(page, "review-2-record")
    page.click("[data-testid=record-submit]")
    page.wait_for_selector("text=chờ trưởng đơn vị xác nhận")
    revision = page.locator("[data-testid=review-revision]").first
    assert revision.get_attribute("href").startswith("/procedures/QT-QLKH-02/revisions/")
    sign_out(page)

    # her head confirms it
    sign_in(page, live_server, "qlkh.tp")
    assert "Rà soát cần xác nhận" in page.content()
    page.click("text=QT-QLKH-02 –")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("text=Đã xác nhận rà soát QT-QLKH-02")
    assert page.locator("[data-testid=review-status]").first.get_attribute("data-status") == "confirmed"

    # another QLKH procedure is updated: the head edits a new revision and submits it...
    page.goto(f"{url}/procedures/QT-QLKH-03")
    page.click("[data-testid=edit]")
    body = page.locator("textarea#body")
    body.fill(body.input_value().replace("## 1. Mục đích", "## 1. Mục đích\n\nCập nhật theo Nghị định mới.", 1))
    page.fill("#message", "Cập nhật căn cứ pháp lý")
    page.click("[data-testid=save]")
    page.wait_for_url(f"{url}/procedures/QT-QLKH-03/draft")
    page.goto(f"{url}/procedures/QT-QLKH-03")
    page.click("[data-testid=submit]")
    page.locator("[data-testid=draft-state]").wait_for()
    sign_out(page)

    # ...and leadership issues it: that issue is the procedure's review for the year, nothing else to type
    sign_in(page, live_server, "lanhdao")
    page.goto(f"{url}/procedures/QT-QLKH-03")
    page.fill("#effective_on", (date.today() + timedelta(days=3)).isoformat())
    page.click("[data-testid=approve]")
    page.wait_for_selector("text=Đã phê duyệt và ban hành")
    sign_out(page)

    # the secretary accepts the confirmed review from her tasks
    sign_in(page, live_server, "thuky")
    assert "Rà soát cần chấp nhận" in page.content()
    page.click("text=QT-QLKH-02 –")
    page.click("[data-testid=accept]")
    page.wait_for_selector("text=Đã chấp nhận kết quả rà soát QT-QLKH-02")

    # the dashboard shows the right percentages, overall and for QLKH
    page.goto(f"{url}/reviews/2022")
    reviewed = len(ISSUED_IN_2022) + 2
    overall = page.locator("[data-testid=progress-overall]")
    assert (overall.get_attribute("data-done"), overall.get_attribute("data-total")) == (str(reviewed), "15")
    assert overall.get_attribute("data-pct") == "40"
    assert "Mục tiêu 4: 6/15 quy trình đã rà soát, 40%" in page.locator("[data-testid=compliance-overall]").inner_text()
    qlkh = page.locator("[data-testid=unit-progress] tr[data-unit=QLKH] [data-testid=progress-unit]")
    assert (qlkh.get_attribute("data-done"), qlkh.get_attribute("data-total"), qlkh.get_attribute("data-pct")) == \
        ("3", "3", "100")
    updated = _row(page, "QT-QLKH-03")
    assert updated.locator("[data-testid=review-status]").get_attribute("data-status") == "accepted"
    assert "Cập nhật" in updated.inner_text() and "ban hành lần" in updated.inner_text()
    shot(page, "review-3-dashboard")

    # she closes the cycle: the results are frozen
    page.click("[data-testid=close-cycle]")
    page.wait_for_selector("[data-testid=cycle-closed-note]")
    assert page.locator("[data-testid=cycle-status]").get_attribute("data-status") == "closed"
    assert page.locator("[data-testid=close-cycle]").count() == 0
    shot(page, "review-4-closed")

    # and exports the report: the XLSX holds the same rows as the page
    table = {}
    for row in page.locator("[data-testid=review-row]").all():
        code = row.get_attribute("data-code")
        table[code] = row.locator("[data-testid=review-status]").get_attribute("data-status")
    with page.expect_download() as info:
        page.click("[data-testid=report-xlsx]")
    download = info.value
    assert download.suggested_filename == "ra-soat-quy-trinh-2022.xlsx"
    with open(download.path(), "rb") as fh:
        rows = list(load_workbook(io.BytesIO(fh.read())).active.iter_rows(values_only=True))
    header, data = rows[1], rows[2:]  # below the title row
    assert header[1] == "Mã hiệu" and len(data) == DEMO_PROCEDURES == len(table)
    by_code = {r[1]: r for r in data}
    assert set(by_code) == set(table)
    status_label = {"accepted": "Đã chấp nhận", "pending": "Chờ rà soát"}
    assert {code: r[3] for code, r in by_code.items()} == {code: status_label[s] for code, s in table.items()}
    maintained = by_code["QT-QLKH-02"]
    assert maintained[4] == "Duy trì (không thay đổi)" and maintained[8] == "Võ Thị Mỹ Linh"
    assert maintained[10] == "Đặng Văn Khoa" and maintained[12] == "Nguyễn Thị Lan (Thư ký ISO)"
    assert by_code["QT-QLKH-03"][4].startswith("Cập nhật") and by_code["QT-QLKH-03"][6] == 2

    # the printable report and the committee's indicator say the same
    page.goto(f"{url}/reviews/2022/print")
    assert "Mục tiêu 4: 6/15 quy trình đã rà soát, 40%" in page.locator("[data-testid=print-summary]").inner_text()
    shot(page, "review-5-print")
    sign_out(page)
    sign_in(page, live_server, "bcd")
    assert "Mục tiêu 4: 6/15 quy trình đã rà soát, 40%" in \
        page.locator("[data-testid=objective4-indicator]").inner_text()
    shot(page, "review-6-committee-home")
    page.goto(f"{url}/reviews/compliance")
    assert page.locator("[data-testid=year-row][data-year='2022']").get_attribute("data-pct") == "40"
    shot(page, "review-7-year-on-year")
