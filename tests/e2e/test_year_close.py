"""Closing the ISO year in the browser: an internal audit of QLKH by an auditor of another unit records a
nonconformity that raises a CAPA; the management review is held on its input pack; an output becomes a unit's
task; the yearly report is saved and exported; the inspection pack downloads and every file in it opens."""
from __future__ import annotations

import io
import zipfile
from datetime import date

from openpyxl import load_workbook

from app.reports.docx import docx_text
from tests.e2e.conftest import shot, sign_in, sign_out


def _accept_next_dialog(page):
    page.once("dialog", lambda d: d.accept())


def test_the_secretary_closes_the_year_from_audit_to_inspection_pack(page, live_server):
    url, year, today = live_server.url, date.today().year, date.today().isoformat()

    # the secretary draws up this year's programme and plans an audit of QLKH led by a TTR auditor
    sign_in(page, live_server, "thuky")
    page.click("[data-nav=year_close]")
    page.click("text=Đánh giá nội bộ")
    page.wait_for_url(f"{url}/internal-audits/")
    page.fill("#year", str(year))
    page.click("[data-testid=create-programme]")
    page.wait_for_url(f"{url}/internal-audits/{year}")
    page.select_option("#plan-unit_id", label="QLKH – Phòng Quản lý Khoa học")
    page.fill("#plan-starts_on", today)
    page.fill("#plan-ends_on", today)
    page.select_option("#plan-lead_auditor_id", label="Võ Thị Mỹ Linh (QLKH)")  # from the audited unit: refused
    page.select_option("#plan-procedures", ["QT-QLKH-01"])
    page.click("[data-testid=plan-audit]")
    page.wait_for_selector("text=không được đánh giá đơn vị mình")
    shot(page, "yearclose-1-auditor-independence")
    page.select_option("#plan-lead_auditor_id", label="Lê Thị Hồng Nhung (TTR)")
    page.click("[data-testid=plan-audit]")
    page.wait_for_selector("[data-testid=audit-number]")
    number = page.locator("[data-testid=audit-number]").inner_text()
    assert number == f"DGNB-{year}-01"
    assert page.locator("[data-testid=pinned-revision]").count() == 1
    sign_out(page)

    # leadership approves the programme; the secretary sends the notice
    sign_in(page, live_server, "lanhdao")
    page.goto(f"{url}/internal-audits/{year}")
    _accept_next_dialog(page)
    page.click("[data-testid=approve-programme]")
    page.wait_for_selector("text=Đã phê duyệt chương trình")
    sign_out(page)
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/internal-audits/audit/{number}")
    page.click("[data-testid=notify]")
    page.wait_for_selector("text=Đã thông báo cuộc đánh giá.")
    sign_out(page)

    # the auditor from TTR carries out the audit and records a nonconformity: its CAPA is raised at once
    sign_in(page, live_server, "ttr.cv")
    page.goto(f"{url}/internal-audits/audit/{number}")
    page.click("[data-testid=start]")
    page.wait_for_selector("[data-testid=finding-form]")
    page.select_option("select[name=q1-result]", "conform")
    page.fill("input[name=q1-note]", "Đúng lần ban hành hiện hành")
    page.locator("select[name=q1-result]").locator("xpath=..").locator("button").click()
    page.wait_for_selector("text=Đã ghi kết quả câu hỏi 1.")
    shot(page, "yearclose-2a-audit-in-progress")
    page.select_option("#finding-kind", "nc")
    page.fill("#finding-clause", "7.5.3")
    page.select_option("#finding-procedure", "QT-QLKH-01")
    page.fill("#finding-description", "Hồ sơ không lưu phiếu kiểm soát quá trình giải quyết.")
    page.fill("#finding-evidence", "3/10 hồ sơ quý IV thiếu phiếu kiểm soát.")
    page.fill("#finding-correction", "Bổ sung phiếu cho 3 hồ sơ ngay trong buổi đánh giá.")
    page.click("[data-testid=add-finding]")
    page.wait_for_selector("[data-testid=finding-capa]")
    capa_number = page.locator("[data-testid=finding-capa]").inner_text()
    assert capa_number.startswith(f"CAPA-{year}-")
    page.fill("#report-conclusion", "Hệ thống được duy trì; 1 điểm không phù hợp.")
    _accept_next_dialog(page)
    page.click("[data-testid=report-audit]")
    page.wait_for_selector("text=các phát hiện đã được chốt")
    assert page.locator("[data-testid=finding-form]").count() == 0
    shot(page, "yearclose-2-audit-reported")
    page.click("[data-testid=finding-capa]")
    page.wait_for_selector("[data-testid=capa-audit-finding]")
    assert number in page.locator("[data-testid=capa-audit-finding]").inner_text()
    shot(page, "yearclose-3-capa-from-finding")
    sign_out(page)

    # the secretary prepares the management review, writes what the system has no data for, and holds it
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/management-reviews/")
    page.fill("#meeting-meeting_on", today)
    page.select_option("#meeting-chair_id", label="Lê Hoàng Nam (Giám đốc Sở)")
    page.fill("#meeting-attendees", "Ban Giám đốc Sở, trưởng các phòng, Thư ký ISO")
    page.click("[data-testid=create-review]")
    page.wait_for_selector("[data-testid=review-status]")
    review_url = page.url
    page.fill("#input-satisfaction textarea", "Khảo sát 120 tổ chức, cá nhân: 97% hài lòng.")
    page.click("#input-satisfaction button[type=submit]")
    page.wait_for_selector("text=Đã lưu nội dung đầu vào.")
    audits = page.locator("[data-key=audits]").inner_text()
    assert number in audits
    _accept_next_dialog(page)
    page.click("[data-testid=hold]")
    page.wait_for_selector("[data-testid=pack-frozen]")
    assert "97% hài lòng" in page.locator("[data-key=satisfaction]").inner_text()
    assert page.locator("[data-testid=input]").first.get_attribute("data-key") == "previous_actions"
    page.fill("#minutes-minutes", "Lãnh đạo kết luận hệ thống phù hợp và có hiệu lực.")
    page.click("[data-testid=save-minutes]")
    page.wait_for_selector("text=Đã lưu biên bản.")
    page.select_option("#output-kind", "change")
    page.fill("#output-description", "Cập nhật QT-QLKH-01: bổ sung bước lập phiếu kiểm soát.")
    page.select_option("#output-owner_unit_id", label="QLKH – Phòng Quản lý Khoa học")
    page.fill("#output-due_on", date(year + 1, 1, 31).isoformat())
    page.select_option("#output-procedure", "QT-QLKH-01")
    page.click("[data-testid=add-output]")
    page.wait_for_selector("[data-testid=output]")
    shot(page, "yearclose-4-management-review-held")
    sign_out(page)

    # the output is now a task on QLKH's home page; leadership approves the minutes
    sign_in(page, live_server, "qlkh.tp")
    assert page.locator("text=bổ sung bước lập phiếu kiểm soát").count() >= 1
    shot(page, "yearclose-5-unit-task")
    sign_out(page)
    sign_in(page, live_server, "lanhdao")
    page.goto(review_url)
    _accept_next_dialog(page)
    page.click("[data-testid=approve-minutes]")
    page.wait_for_selector("text=Đã phê duyệt biên bản.")
    sign_out(page)

    # the yearly report: filled from the data, numbered, saved, exported as DOCX; then the inspection pack
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/reports/yearly/{year}")
    assert number in page.content()
    page.fill("#report-number", "60/BC-SKHCN")
    page.fill("#report-difficulties", "Nhân lực làm công tác ISO kiêm nhiệm.")
    page.click("[data-testid=save-report]")
    page.wait_for_selector("text=Đã lưu báo cáo.")
    shot(page, "yearclose-6-yearly-report")
    with page.expect_download() as info:
        page.click("[data-testid=export-docx]")
    text = docx_text(open(info.value.path(), "rb").read())
    assert "60/BC-SKHCN" in text and "Nhân lực làm công tác ISO kiêm nhiệm." in text
    assert f"{number} | QLKH" in text
    with page.expect_download() as info:
        page.click("[data-testid=inspection-pack]")
    pack = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read()))
    names = pack.namelist()
    assert f"03-danh-gia-noi-bo-{number}.docx" in names and f"07-bao-cao-htqlcl-{year}.docx" in names
    for name in names:
        data = pack.read(name)
        if name.endswith(".docx"):
            assert docx_text(data).strip()
        else:
            assert load_workbook(io.BytesIO(data)).active.max_row >= 1
    assert "3/10 hồ sơ quý IV" in docx_text(pack.read(f"03-danh-gia-noi-bo-{number}.docx"))
    page.goto(f"{url}/reports/yearly/{year}/print")
    shot(page, "yearclose-7-yearly-report-print")
    page.goto(f"{url}/reports/")
    page.click("[data-nav=year_close]")
    shot(page, "yearclose-8-menu")
