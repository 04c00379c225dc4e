"""The consolidated report of a period as an XLSX workbook, in the form the Office sends to leadership."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from app.objectives.labels import REPORT_STATUS, STATUS
from app.timeutil import format_date

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _table(ws, row: int, header: list[str], rows: list[list]) -> int:
    for col, text in enumerate(header, start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font, cell.border = Font(bold=True), BOX
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        row += 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return row + 2


def period_workbook(view, proposals) -> bytes:
    plan, period = view.plan, view.period
    wb = Workbook()
    ws = wb.active
    ws.title = period.key
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    for col, width in zip("ABCDEFGH", (8, 48, 16, 16, 16, 16, 20, 30)):
        ws.column_dimensions[col].width = width
    ws["A1"] = _("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    ws["A1"].font = Font(bold=True)
    ws["A2"] = _("BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG KỲ %(key)s", key=period.key)
    ws["A2"].font = Font(bold=True, size=13)
    ws["A3"] = _("Kỳ báo cáo từ %(start)s đến %(end)s; hạn đơn vị gửi %(due)s; hạn tổng hợp %(office)s",
                 start=format_date(period.starts_on), end=format_date(period.ends_on),
                 due=format_date(period.due_on), office=format_date(period.office_due_on))
    row = 5
    ws.cell(row=row, column=1, value=_("I. Kết quả các chỉ số")).font = Font(bold=True)
    rows = []
    for fig in view.figures:
        ind = fig.indicator
        rows.append([ind.objective.code, ind.name, ind.target_label, fig.value, fig.label, str(STATUS[fig.status])])
    row = _table(ws, row + 1, [_("Mục tiêu"), _("Chỉ số"), _("Chỉ tiêu"), _("Giá trị"), _("Kết quả"),
                               _("Đánh giá")], rows)
    ws.cell(row=row, column=1, value=_("II. Báo cáo của các phòng, đơn vị")).font = Font(bold=True)
    rows = []
    for unit in view.units:
        rep = view.report(unit.id)
        status = rep.status if rep else "none"
        values = "; ".join(f"{fig.indicator.name}: {fig.indicator.label(fig.unit_values[unit.id][0])}"
                           for fig in view.figures if unit.id in fig.unit_values)
        rows.append([unit.code, unit.name, str(REPORT_STATUS[status]),
                     format_date(rep.sent_on) if rep and rep.sent_on else "",
                     rep.days_late if rep and rep.sent_on else "", "", "", values])
    row = _table(ws, row + 1, [_("Mã"), _("Đơn vị"), _("Tình trạng"), _("Ngày gửi"), _("Số ngày trễ"), "", "",
                               _("Số liệu")], rows)
    ws.cell(row=row, column=1, value=_("III. Chưa gửi báo cáo")).font = Font(bold=True)
    ws.cell(row=row + 1, column=1, value=", ".join(u.code for u in view.not_sent) or _("Không có"))
    row += 3
    ws.cell(row=row, column=1, value=_("IV. Hành động khắc phục, phòng ngừa")).font = Font(bold=True)
    rows = [[p.capa_number or "", p.title, (p.decided.reason if p.decided and not p.capa_number else "")]
            for p in proposals if p.title]
    row = _table(ws, row + 1, [_("Phiếu"), _("Nội dung"), _("Lý do không lập")], rows)
    ws.cell(row=row, column=1, value=_("V. Tổng hợp, đánh giá chung")).font = Font(bold=True)
    ws.cell(row=row + 1, column=1, value=period.summary or "").alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 6, end_column=8)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
