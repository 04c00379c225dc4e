"""Word in, PDF out in the browser: the secretary imports a Word procedure, the head submits it, leadership
issues it, the secretary hands a controlled copy to the unit and downloads it, and a unit member
acknowledges having read the issue."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from tests.e2e.conftest import ARTIFACTS, shot, sign_in, sign_out
from tests.office.conftest import SAMPLES, pdf_text


def _render_first_page(pdf: Path, png: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        doc[0].render(scale=1.5).to_pil().save(png)
    finally:
        doc.close()


def test_import_a_word_procedure_issue_it_print_a_controlled_copy_and_acknowledge(page, live_server):
    url, code = live_server.url, "QT-VP-06"
    # the secretary imports the Word file and checks the preview
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/procedures/")
    page.click("[data-testid=import-docx]")
    page.set_input_files("#files", str(SAMPLES / f"{code}.docx"))
    page.click("[data-testid=import-read]")
    page.wait_for_url("**/procedures/import/**")
    item = page.locator("[data-testid=import-item]")
    assert page.input_value("#code-0") == code
    assert page.input_value("#title-0") == "Quy trình tiếp nhận và xử lý văn bản đến"
    fields = item.locator("[data-testid=read-fields]").inner_text()
    assert "Nguyễn Thị Hạnh" in fields and "15/01/2025" in fields
    assert page.input_value("#unit-0") == "VP"
    shot(page, "office-1-import-preview")
    page.click("[data-testid=import-create]")
    page.wait_for_url(f"{url}/procedures/")
    page.goto(f"{url}/procedures/{code}")
    assert "Chuyển văn bản đến phòng, đơn vị xử lý" in page.locator("[data-testid=procedure-body]").inner_text()
    sign_out(page)

    # the head of the Office submits, leadership issues
    sign_in(page, live_server, "vp.tp")
    page.goto(f"{url}/procedures/{code}")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=submit]")
    sign_out(page)
    sign_in(page, live_server, "lanhdao")
    page.goto(f"{url}/procedures/{code}")
    page.fill("#approve-message", "Ban hành từ tệp Word")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=approve]")
    page.wait_for_selector("text=Đã phê duyệt và ban hành")
    sign_out(page)

    # the secretary hands controlled copy no. 1 to the Office and downloads it
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/procedures/{code}")
    page.click("[data-testid=distribution-link]")
    page.select_option("#unit_id", label="VP – Văn phòng Sở")
    page.click("[data-testid=issue-copy] button[type=submit]")
    page.wait_for_selector("text=Đã cấp bản kiểm soát số 1")
    shot(page, "office-2-distribution")
    with page.expect_download() as info:
        page.click("[data-testid=copy-pdf]")
    download = info.value
    assert download.suggested_filename == f"{code}-lan-1-ban-kiem-soat-1.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "office-controlled-copy.pdf"
    download.save_as(str(pdf))
    text = unicodedata.normalize("NFC", " ".join(pdf_text(pdf.read_bytes())))
    assert "BẢN KIỂM SOÁT SỐ 1" in text and "Văn phòng Sở" in text and "Mã hiệu: QT-VP-06" in text
    _render_first_page(pdf, ARTIFACTS / "office-3-controlled-copy-page1.png")
    sign_out(page)

    # a member of the Office finds the issue on the home page and acknowledges it
    sign_in(page, live_server, "vp.cv")
    page.locator("[data-testid=task-group]", has_text="Quy trình cần đọc và xác nhận").get_by_role(
        "link", name=f"{code} – Quy trình tiếp nhận và xử lý văn bản đến").click()
    page.wait_for_url(f"{url}/procedures/{code}/readers")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-testid=acknowledge]")
    page.wait_for_selector("[data-testid=my-ack]")
    assert "Đã đọc và hiểu" in page.locator("[data-testid=readers-VP]").inner_text()
    shot(page, "office-4-acknowledged")
    page.goto(f"{url}/")
    assert page.get_by_role("link", name=f"{code} – Quy trình tiếp nhận và xử lý văn bản đến").count() == 0
