"""The steering committee's report of a cycle: XLSX, CSV and print hold the same rows, per unit and procedure."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import load_workbook

from app.extensions import db
from app.reviews import services
from app.reviews.models import MAINTAINED
from tests.reviews.conftest import IN_2022, review_of


def _prepare(people, cycle):
    review = review_of(cycle, "QT-QLKH-01")
    services.record(people.member, review, outcome=MAINTAINED, note="Không thay đổi", now=IN_2022)
    services.confirm(people.head, review, now=IN_2022)
    services.accept(people.secretary, review, now=IN_2022)
    db.session.commit()
    return review


def test_the_xlsx_report_holds_one_row_per_procedure_with_who_did_what_and_when(login_as, people, cycle_2022):
    review = _prepare(people, cycle_2022)
    resp = login_as(people.committee).get("/reviews/2022/report.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    title, *rows = list(sheet.iter_rows(values_only=True))
    assert title[0] == "Rà soát năm 2022" and "Mục tiêu 4: 1/4 quy trình đã rà soát (25%)" in title[1]
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:N6"
    assert rows[0][:6] == ("Đơn vị", "Mã hiệu", "Tên quy trình", "Trạng thái", "Kết quả", "Nhận xét / lý do")
    assert [r[1] for r in rows[1:]] == ["QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03", "QT-TTR-01"]
    first = rows[1]
    assert first[0] == "QLKH" and first[3] == "Đã chấp nhận" and first[4] == "Duy trì (không thay đổi)"
    assert first[5] == "Không thay đổi" and first[7] == review.revision
    assert (first[8], first[10], first[12]) == ("Chuyên viên QLKH", "Trưởng phòng QLKH", "Thư ký ISO")
    assert first[9] == datetime(2022, 6, 15, 10, 0)  # 03:00 UTC is 10:00 in Hanoi, a real date cell
    assert sheet["J3"].number_format == "DD/MM/YYYY HH:MM"
    assert rows[2][3] == "Chờ rà soát" and rows[2][8] in (None, "")


def test_the_csv_report_has_the_same_rows_as_the_xlsx(login_as, people, cycle_2022):
    _prepare(people, cycle_2022)
    client = login_as(people.secretary)
    text = client.get("/reviews/2022/report.csv").get_data(as_text=True)
    assert text.startswith("\ufeff")
    csv_rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    xlsx_rows = list(load_workbook(io.BytesIO(client.get("/reviews/2022/report.xlsx").data)).active
                     .iter_rows(values_only=True))[1:]

    def shown(v):  # as Excel shows the cell: dates dd/mm/yyyy
        if isinstance(v, datetime):
            return v.strftime("%d/%m/%Y %H:%M")
        return "" if v is None else str(v)
    assert [[shown(v) for v in r] for r in xlsx_rows] == csv_rows


def test_the_printable_report_groups_by_unit_with_the_indicator(login_as, people, cycle_2022):
    _prepare(people, cycle_2022)
    html = login_as(people.leader).get("/reviews/2022/print").get_data(as_text=True)
    assert "Báo cáo kết quả rà soát quy trình năm 2022" in html and "Kính gửi: Ban Chỉ đạo ISO" in html
    assert "Mục tiêu 4: 1/4 quy trình đã rà soát, 25%" in html
    assert html.count('data-testid="print-table"') == 2 and 'data-code="QT-TTR-01"' in html


def test_a_revision_issued_in_the_year_shows_as_updated_by_that_issue_in_the_report(login_as, people, procs):
    from datetime import date

    procs.issued("QT-QLKH-01", "QLKH", issued_on=date(2022, 2, 21), issue=3)
    services.open_cycle(people.secretary, year=2022, deadline=date(2022, 12, 31), now=IN_2022)
    db.session.commit()
    resp = login_as(people.committee).get("/reviews/2022/report.xlsx")
    row = list(load_workbook(io.BytesIO(resp.data)).active.iter_rows(values_only=True))[2]
    assert row[3] == "Đã chấp nhận" and row[4] == "Cập nhật (ban hành lần 3)" and row[6] == 3
