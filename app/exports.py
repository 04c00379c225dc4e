"""CSV and XLSX downloads shared by every register: streamed CSV, write-only XLSX with a title row."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from itertools import chain, islice
from typing import Iterable, Sequence

from flask import Response, stream_with_context
from flask_babel import gettext as _

from app.timeutil import format_date, format_datetime, to_local, utcnow

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    return "" if value is None else value


def _disposition(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """UTF-8 with BOM so that Excel opens Vietnamese text correctly; streamed row by row."""

    def generate():
        buf = io.StringIO()
        writer = csv.writer(buf)
        buf.write("\ufeff")
        writer.writerow([str(h) for h in header])
        for i, row in enumerate(rows, 1):
            writer.writerow([_cell(v) for v in row])
            if i % 500 == 0:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv; charset=utf-8",
                    headers=_disposition(filename))


# rows looked at to size the columns (the rest are written as they come)
WIDTH_SAMPLE = 200
MAX_WIDTH = 60


def _xlsx_value(value):
    """Dates stay dates (Excel sorts and filters them), shown dd/mm/yyyy; datetimes in the department's time."""
    if isinstance(value, datetime):
        return to_local(value).replace(tzinfo=None), "DD/MM/YYYY HH:MM"
    if isinstance(value, date):
        return value, "DD/MM/YYYY"
    return ("" if value is None else value), None


def _width(value) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 11
    text = "" if value is None else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet1",
               subtitle: str | None = None) -> bytes:
    """A sheet people can use: a title row (what, which filter, when exported), a bold frozen header with
    filters, columns sized to their content, and real date cells shown dd/mm/yyyy."""
    from openpyxl import Workbook  # loaded by the first export, not by every worker at start
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_sheet_name(title))
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    for i, h in enumerate(header, 1):
        widest = max([len(str(h))] + [_width(r[i - 1]) for r in sample if len(r) >= i])
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, widest + 2))
    ws.freeze_panes = "A3"

    heading = WriteOnlyCell(ws, value=title)
    heading.font = Font(bold=True, size=13)
    exported = _("Xuất lúc %(when)s", when=format_datetime(utcnow()))
    ws.append([heading, " · ".join(p for p in (subtitle, exported) if p)])
    bold = Font(bold=True)
    head = []
    for h in header:
        c = WriteOnlyCell(ws, value=str(h))
        c.font = bold
        head.append(c)
    ws.append(head)
    count = 0
    for row in chain(sample, rows):
        cells = []
        for v in row:
            value, fmt = _xlsx_value(v)
            if fmt:
                c = WriteOnlyCell(ws, value=value)
                c.number_format = fmt
                cells.append(c)
            else:
                cells.append(value)
        ws.append(cells)
        count += 1
    if header:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(header))}{count + 2}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_name(title: str) -> str:
    cleaned = "".join(ch for ch in str(title) if ch not in '[]:*?/\\')
    return cleaned[:31] or "Sheet1"


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet1",
                  subtitle: str | None = None) -> Response:
    return Response(xlsx_bytes(header, rows, title, subtitle), mimetype=XLSX_MIME, headers=_disposition(filename))
