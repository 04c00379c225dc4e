"""Controlled copies out: an issued revision as DOCX and PDF with header block, signatures, body tables, log."""
from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

import docx

from tests.conftest import login
from tests.office.conftest import pdf_text, reissue


def _docx(resp):
    assert resp.status_code == 200, resp.data[:300]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    return docx.Document(io.BytesIO(resp.data))


def _header_text(document) -> str:
    return "\n".join(c.text for t in document.sections[0].header.tables for row in t.rows for c in row.cells)


def test_issued_docx_holds_header_signatures_body_table_and_amendment_log(client, db, dc, people, issued):
    reissue(db, dc, people, issued, dc.st.read(issued.code).document.body + "\nThêm bước kiểm tra.\n",
            message="Bổ sung bước kiểm tra hồ sơ")
    login(client, people.other_member)
    document = _docx(client.get("/procedures/QT-QLKH-01/export.docx"))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    header = _header_text(document)
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in header
    assert "Mã hiệu: QT-QLKH-01" in header and "Lần ban hành: 2" in header
    assert f"Ngày hiệu lực: {date.today():%d/%m/%Y}" in header
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and "NUMPAGES" in header_xml  # trang x/y, filled in by Word on every page
    signatures = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert signatures[0] == ["Soạn thảo", "Xem xét", "Phê duyệt"]
    assert signatures[-1][2] == "Lê Hoàng Nam"
    body_table = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert body_table == [["Bước", "Trách nhiệm", "Nội dung"], ["1", "Chuyên viên", "Tiếp nhận hồ sơ"]]
    log = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    assert log[0][:2] == ["Lần ban hành", "Ngày ban hành"]
    assert [r[0] for r in log[1:]] == ["1", "2"] and log[2][3] == "Bổ sung bước kiểm tra hồ sơ"
    texts = [p.text for p in document.paragraphs]
    assert "1. Mục đích" in texts and "THEO DÕI SỬA ĐỔI TÀI LIỆU" in texts
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("TÀI LIỆU KHÔNG KIỂM SOÁT KHI IN") and "Nguyễn Thị Thu Hà" in footer
    assert "QMSWatermark" not in header_xml


def test_issued_pdf_is_a4_with_page_x_of_y_and_exact_vietnamese(client, db, people, issued):
    import pypdfium2 as pdfium

    login(client, people.member)
    resp = client.get("/procedures/QT-QLKH-01/export.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data.startswith(b"%PDF-")
    pdf = pdfium.PdfDocument(io.BytesIO(resp.data))
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    pages = [unicodedata.normalize("NFC", t) for t in pdf_text(resp.data)]
    total = len(pages)
    for n, text in enumerate(pages, start=1):
        assert "Mã hiệu: QT-QLKH-01" in text and f"Trang: {n}/{total}" in text
        assert "TÀI LIỆU KHÔNG KIỂM SOÁT KHI IN" in text and "Võ Thị Mỹ Linh" in text
    whole = re.sub(r"\s+", " ", " ".join(pages))
    for phrase in ("Quy định trình tự đăng ký hoạt động khoa học và công nghệ", "Tiếp nhận hồ sơ",
                   "THEO DÕI SỬA ĐỔI TÀI LIỆU", "QUY TRÌNH ĐĂNG KÝ HOẠT ĐỘNG KHOA HỌC VÀ CÔNG NGHỆ"):
        assert phrase in whole, phrase
    pdf.close()


def test_a_drafts_export_carries_the_watermark(client, db, people, draft):
    login(client, people.member)
    document = _docx(client.get("/procedures/QT-QLKH-02/export.docx"))
    header_xml = document.sections[0].header._element.xml
    assert "QMSWatermark" in header_xml and 'string="DỰ THẢO"' in header_xml
    resp = client.get("/procedures/QT-QLKH-02/export.pdf")
    assert all("DỰ THẢO" in unicodedata.normalize("NFC", t) for t in pdf_text(resp.data))
    assert "du-thao" in resp.headers["Content-Disposition"]


def test_the_draft_of_an_issued_procedure_exports_with_watermark_only_on_request(client, db, dc, people, issued):
    dc.save_draft(people.member, issued, body="## 1. Mục đích\n\nBản sửa.\n", base_revision=issued.current_revision)
    db.session.commit()
    login(client, people.member)
    issued_pdf = " ".join(pdf_text(client.get("/procedures/QT-QLKH-01/export.pdf").data))
    assert "DỰ THẢO" not in issued_pdf and "Bản sửa." not in issued_pdf
    draft_pdf = " ".join(pdf_text(client.get("/procedures/QT-QLKH-01/export.pdf?variant=draft").data))
    assert "DỰ THẢO" in draft_pdf and "Bản sửa." in draft_pdf


def test_a_withdrawn_procedure_exports_marked_withdrawn(client, db, dc, people, issued):
    dc.withdraw(people.leader, issued, reason="Thủ tục đã bị bãi bỏ")
    db.session.commit()
    login(client, people.member)
    assert "ĐÃ BÃI BỎ" in " ".join(pdf_text(client.get("/procedures/QT-QLKH-01/export.pdf").data))


def test_other_units_cannot_export_a_draft_they_cannot_read(client, people, draft):
    login(client, people.other_member)
    assert client.get("/procedures/QT-QLKH-02/export.pdf").status_code == 403
    assert client.get("/procedures/QT-QLKH-02/export.odt").status_code == 404
