"""CSV and XLSX downloads shared by every register: streamed CSV, write-only XLSX."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Iterable, Sequence

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.styles import Font

from app.timeutil import format_date, format_datetime

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


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet1") -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    head = []
    for h in header:
        c = WriteOnlyCell(ws, value=str(h))
        c.font = bold
        head.append(c)
    ws.append(head)
    for row in rows:
        ws.append([_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = "Sheet1") -> Response:
    return Response(xlsx_bytes(header, rows, title), mimetype=XLSX_MIME, headers=_disposition(filename))
