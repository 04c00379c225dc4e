"""Writes the three sample Word procedures, in the shapes agencies use, for the import tests and the demo.

    .venv/bin/python procedures/samples/make_samples.py   # rewrites the .docx files beside this script

1. QT-VP-06: the header block as a 3-column table in the page header (agency | title | code, issue, dates),
   a signature table, numbered and bulleted lists, a step table, the amendment table at the end.
2. QT-QLKH-04: the header as a two-column "field | value" table at the top of the body, signatures as
   "Soạn thảo: ..." lines, headings written as bold numbered paragraphs (no heading styles).
3. QT-TTR-03: the amendment table on the cover page, header fields as "Mã hiệu: ..." lines, Word heading
   styles, a signature table with "Họ và tên:" in front of the names.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
AGENCY = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"


def _table(container, rows, style="Table Grid", bold_first=True):
    if hasattr(container, "is_linked_to_previous"):  # a page header wants the table's width
        table = container.add_table(len(rows), len(rows[0]), Pt(480))
    else:
        table = container.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = style
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = ""
            for i, line in enumerate(value.split("\n")):
                para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                para.add_run(line).bold = bold_first and r == 0
    return table


def _signatures(doc, names, prefix=""):
    _table(doc, [["Người soạn thảo", "Người xem xét", "Người phê duyệt"],
                 ["(Đã ký)", "(Đã ký)", "(Đã ký)"],
                 [f"{prefix}{n}" for n in names]])


def _amendments(doc, rows):
    doc.add_paragraph().add_run("THEO DÕI SỬA ĐỔI TÀI LIỆU").bold = True
    _table(doc, [["TT", "Ngày sửa đổi", "Vị trí sửa đổi", "Nội dung sửa đổi", "Lần ban hành"]] + rows)


def sample_vp06() -> Document:
    doc = Document()
    header = doc.sections[0].header
    _table(header, [[AGENCY, "QUY TRÌNH\nTIẾP NHẬN VÀ XỬ LÝ VĂN BẢN ĐẾN",
                     "Mã hiệu: QT-VP-06\nLần ban hành: 02\nNgày ban hành: 10/01/2025\n"
                     "Ngày hiệu lực: 15/01/2025\nTrang: 1/3"]], bold_first=False)
    _signatures(doc, ["Nguyễn Thị Hạnh", "Trần Quốc Bảo", "Lê Văn Dũng"])
    doc.add_heading("1. Mục đích", level=1)
    doc.add_paragraph("Quy định trình tự tiếp nhận, đăng ký, trình, chuyển giao và theo dõi văn bản đến "
                      "của Sở, bảo đảm văn bản được xử lý đúng thời hạn.")
    doc.add_heading("2. Phạm vi áp dụng", level=1)
    doc.add_paragraph("Áp dụng đối với Văn phòng Sở và các phòng, đơn vị thuộc Sở.")
    doc.add_heading("3. Tài liệu viện dẫn", level=1)
    for text in ("Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư.",
                 "Quy chế làm việc của Sở Khoa học và Công nghệ."):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_heading("4. Nội dung quy trình", level=1)
    for text in ("Văn thư tiếp nhận, kiểm tra và đóng dấu đến.", "Đăng ký văn bản đến trên hệ thống.",
                 "Trình Lãnh đạo Văn phòng cho ý kiến phân phối.", "Chuyển văn bản đến phòng, đơn vị xử lý."):
        doc.add_paragraph(text, style="List Number")
    doc.add_heading("4.1. Các bước thực hiện", level=2)
    _table(doc, [["Bước", "Trách nhiệm", "Nội dung công việc", "Thời gian", "Biểu mẫu"],
                 ["1", "Văn thư", "Tiếp nhận, đóng dấu đến", "0,5 ngày", "BM-VP-06-01"],
                 ["2", "Chánh Văn phòng", "Cho ý kiến phân phối", "0,5 ngày", ""],
                 ["3", "Phòng, đơn vị", "Xử lý văn bản theo phân công", "Theo hạn", "BM-VP-06-02"]])
    doc.add_heading("5. Biểu mẫu", level=1)
    _table(doc, [["TT", "Mã hiệu", "Tên biểu mẫu"], ["1", "BM-VP-06-01", "Sổ đăng ký văn bản đến"],
                 ["2", "BM-VP-06-02", "Phiếu xử lý văn bản"]])
    _amendments(doc, [["1", "10/01/2025", "Mục 4", "Bổ sung bước đăng ký trên hệ thống", "02"]])
    return doc


def sample_qlkh04() -> Document:
    doc = Document()
    doc.add_paragraph().add_run(AGENCY).bold = True
    _table(doc, [["Tên quy trình", "Quy trình xét chọn nhiệm vụ khoa học và công nghệ cấp tỉnh"],
                 ["Mã hiệu", "QT-QLKH-04"], ["Lần ban hành", "01"], ["Ngày ban hành", "03/6/2024"],
                 ["Ngày hiệu lực", "10/6/2024"]], bold_first=False)
    doc.add_paragraph("Soạn thảo: Phạm Thị Thu")
    doc.add_paragraph("Xem xét: Võ Minh Tâm")
    doc.add_paragraph("Phê duyệt: Đặng Hữu Phước")
    for title, body in (("1. MỤC ĐÍCH", "Quy định trình tự xét chọn tổ chức, cá nhân chủ trì nhiệm vụ khoa "
                                       "học và công nghệ cấp tỉnh sử dụng ngân sách nhà nước."),
                        ("2. PHẠM VI ÁP DỤNG", "Áp dụng đối với Phòng Quản lý Khoa học và các hội đồng tư vấn.")):
        doc.add_paragraph().add_run(title).bold = True
        doc.add_paragraph(body)
    doc.add_paragraph().add_run("3. NỘI DUNG QUY TRÌNH").bold = True
    doc.add_paragraph().add_run("3.1. Thành phần hồ sơ").bold = True
    for text in ("Đơn đăng ký chủ trì nhiệm vụ.", "Thuyết minh nhiệm vụ.", "Lý lịch khoa học của chủ nhiệm."):
        doc.add_paragraph(text, style="List Number")
    doc.add_paragraph().add_run("3.2. Thời hạn").bold = True
    _table(doc, [["TT", "Công việc", "Thời hạn"], ["1", "Mở hồ sơ, kiểm tra tính hợp lệ", "05 ngày làm việc"],
                 ["2", "Họp hội đồng tư vấn xét chọn", "30 ngày"]])
    return doc


def sample_ttr03() -> Document:
    doc = Document()
    doc.add_paragraph().add_run(AGENCY).bold = True
    doc.add_paragraph("QUY TRÌNH GIẢI QUYẾT KHIẾU NẠI, TỐ CÁO", style="Title")
    doc.add_paragraph("Mã hiệu: QT-TTR-03")
    doc.add_paragraph("Lần ban hành: 03")
    doc.add_paragraph("Ngày ban hành: 20/02/2023")
    doc.add_paragraph("Ngày hiệu lực: 01/03/2023")
    _amendments(doc, [["1", "15/3/2021", "Mục 5", "Rút ngắn thời hạn thụ lý", "02"],
                      ["2", "20/02/2023", "Mục 3", "Cập nhật Luật Tố cáo 2018", "03"]])
    _signatures(doc, ["Huỳnh Văn Lực", "Ngô Thị Mai", "Lê Văn Dũng"], prefix="Họ và tên: ")
    doc.add_heading("1. Mục đích", level=1)
    doc.add_paragraph("Quy định cách tiếp nhận, thụ lý và giải quyết khiếu nại, tố cáo thuộc thẩm quyền của Sở.")
    doc.add_heading("2. Phạm vi áp dụng", level=1)
    doc.add_paragraph("Áp dụng đối với Thanh tra Sở và các phòng, đơn vị có liên quan.")
    doc.add_heading("3. Căn cứ pháp lý", level=1)
    for text in ("Luật Khiếu nại năm 2011.", "Luật Tố cáo năm 2018."):
        doc.add_paragraph(text, style="List Bullet")
    doc.add_heading("4. Nội dung quy trình", level=1)
    _table(doc, [["Bước", "Nội dung", "Trách nhiệm", "Thời hạn"],
                 ["1", "Tiếp nhận đơn, phân loại", "Thanh tra Sở", "10 ngày"],
                 ["2", "Thụ lý, xác minh", "Đoàn xác minh", "30 ngày"],
                 ["3", "Ban hành quyết định giải quyết", "Giám đốc Sở", "07 ngày"]])
    return doc


SAMPLES = {"QT-VP-06.docx": sample_vp06, "QT-QLKH-04.docx": sample_qlkh04, "QT-TTR-03.docx": sample_ttr03}


def main(target: Path = HERE) -> None:
    for name, build in SAMPLES.items():
        doc = build()
        # fixed metadata, so that regenerating gives the same documents
        props = doc.core_properties
        props.author = props.last_modified_by = "Văn phòng Sở"
        props.title = name[:-5]
        doc.save(target / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
