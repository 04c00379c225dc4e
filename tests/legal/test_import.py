"""Importing from CSV and XLSX: a preview, bad rows refused with their row number and reason, nothing half-done."""
from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db
from app.legal import importing
from app.legal.models import LegalDocument
from tests.conftest import login

HEADER = "Số ký hiệu,Loại,Trích yếu,Cơ quan ban hành,Ngày ban hành,Ngày hiệu lực\n"
GOOD = HEADER + ("61/2018/NĐ-CP,Nghị định,Về thực hiện cơ chế một cửa,Chính phủ,23/04/2018,21/06/2018\n"
                 "Luật số 29/2013/QH13,,Luật Khoa học và Công nghệ,Quốc hội,18/06/2013,01/01/2014\n")


def _count():
    return db.session.scalar(select(func.count()).select_from(LegalDocument))


def test_a_good_csv_is_previewed_then_imported(people, client):
    login(client, people.secretary)
    preview = client.post("/legal/import", data={"file": (io.BytesIO(GOOD.encode()), "vb.csv")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Xem trước: 2 văn bản" in page and _count() == 0
    payload = importing.table_json("vb.csv", GOOD.encode())
    done = client.post("/legal/import/confirm", data={"payload": payload})
    assert done.status_code == 302 and _count() == 2
    law = db.session.scalar(select(LegalDocument).where(LegalDocument.key == "29/2013/QH13"))
    assert law.kind == "law" and law.number == "29/2013/QH13"


def test_bad_rows_refuse_the_whole_file_with_row_and_reason(people, client):
    bad = GOOD + ("Nghị định 61/2018/ND-CP,Nghị định,Trùng,Chính phủ,,\n"
                  "12/2020/TT-BKHCN,Thông tư,,Bộ KH&CN,,\n"
                  "13/2020/TT-BKHCN,Thông tư,Ngày sai,Bộ KH&CN,31/02/2020,\n"
                  "14/2020/TT-BKHCN,Công văn lạ,Loại sai,,,\n"
                  "không có số,Thông tư,Không số,,,\n")
    login(client, people.secretary)
    resp = client.post("/legal/import", data={"file": (io.BytesIO(bad.encode()), "vb.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    for line in ("Dòng 4: Trùng với văn bản ở dòng 2 của tệp.", "Dòng 5: Vui lòng nhập trích yếu",
                 "Dòng 6: Ngày không hợp lệ: 31/02/2020", "Dòng 7: Loại văn bản không hợp lệ.",
                 "Dòng 8: Không đọc được số, ký hiệu"):
        assert line in page
    assert "import-confirm" not in page and _count() == 0


def test_a_row_already_in_the_register_is_refused(people, decree_61):
    parsed = importing.parse("vb.csv", GOOD.encode())
    assert [(e.row, e.key) for e in parsed.errors] == [(2, "duplicate")]


def test_xlsx_with_date_cells(people):
    from datetime import date

    wb = Workbook()
    ws = wb.active
    ws.append(["Số ký hiệu", "Loại", "Trích yếu", "Ngày ban hành"])
    ws.append(["107/2021/NĐ-CP", "Nghị định", "Sửa đổi Nghị định 61", date(2021, 12, 6)])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = importing.parse("vb.xlsx", buf.getvalue())
    assert parsed.ok and parsed.rows[0][1].signed_on == date(2021, 12, 6)
    docs = importing.import_rows(people.secretary, parsed)
    assert docs[0].key == "107/2021/ND-CP"


def test_a_file_that_is_not_a_table_is_refused_plainly(people, client):
    login(client, people.secretary)
    resp = client.post("/legal/import", data={"file": (io.BytesIO(b"\x00\x01"), "vb.pdf")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400 and "Chỉ nhận tệp .csv hoặc .xlsx." in resp.get_data(as_text=True)
