"""A procedure sheet as an A4 PDF (fpdf2, pure Python) in the shipped Noto Serif, which covers Vietnamese."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.office.sheet import Sheet

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "NotoSerif"
_NEXT = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _nfc(text: str) -> str:
    # precomposed letters (ế, ộ, ữ) are single glyphs in the font; combining marks would be drawn apart
    return unicodedata.normalize("NFC", text or "")


class _SheetPDF(FPDF):
    def __init__(self, sheet: Sheet):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.sheet = sheet
        self.add_font(FAMILY, "", str(FONT_DIR / "NotoSerif-Regular.ttf"))
        self.add_font(FAMILY, "B", str(FONT_DIR / "NotoSerif-Bold.ttf"))
        self.add_font(FAMILY, "I", str(FONT_DIR / "NotoSerif-Italic.ttf"))
        self.set_margins(20, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages("{nb}")
        self.set_title(_nfc(f"{sheet.code} – {sheet.title}"))
        self.set_creator("QMS ISO 9001")

    def header(self) -> None:
        s = self.sheet
        if s.watermark:
            self._watermark(s.watermark)
        x0, y0, width = self.l_margin, 10, self.w - self.l_margin - self.r_margin
        left, right = 50, 55
        middle = width - left - right
        height = 24
        self.set_draw_color(0)
        self.rect(x0, y0, width, height)
        self.line(x0 + left, y0, x0 + left, y0 + height)
        self.line(x0 + left + middle, y0, x0 + left + middle, y0 + height)
        self.set_font(FAMILY, "B", 9)
        self.set_xy(x0 + 1, y0 + 2)
        self.multi_cell(left - 2, 4.5, _nfc(s.agency.upper()), align="C", **_NEXT)
        self.set_font(FAMILY, "B", 10.5)
        self.set_xy(x0 + left + 1, y0 + 2)
        title = s.title.upper()
        # "Quy trình tiếp nhận..." already says what it is; a bare name gets the word QUY TRÌNH above it
        heading = title if title.startswith(s.label("procedure")) else f"{s.label('procedure')}\n{title}"
        self.multi_cell(middle - 2, 5, _nfc(heading), align="C", max_line_height=5)
        self.set_font(FAMILY, "", 8.5)
        rows = s.header_cells() + [(s.label("page"), f"{self.page_no()}/{{nb}}")]
        for i, (label, value) in enumerate(rows):
            self.set_xy(x0 + left + middle + 1.5, y0 + 1.5 + i * 5.2)
            self.cell(right - 3, 5, _nfc(f"{label}: {value}"))
        self.set_y(y0 + height + 4)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "I", 8)
        self.set_text_color(90)
        self.multi_cell(0, 4, _nfc(self.sheet.marking), align="C")
        self.set_text_color(0)

    def _watermark(self, text: str) -> None:
        self.set_font(FAMILY, "B", 72)
        self.set_text_color(215, 215, 215)
        cx, cy = self.w / 2, self.h / 2
        with self.rotation(45, cx, cy):
            width = self.get_string_width(_nfc(text))
            self.text(cx - width / 2, cy + 10, _nfc(text))
        self.set_text_color(0)


def _signatures(pdf: _SheetPDF, s: Sheet) -> None:
    pdf.set_font(FAMILY, "", 10)
    with pdf.table(align="LEFT", col_widths=(1, 1, 1), text_align="CENTER", line_height=6,
                   headings_style=_heading_style()) as table:
        table.row([_nfc(s.label(k)) for k in ("drafted", "reviewed", "approved")])
        table.row(["\n\n\n"] * 3)  # room to sign
        table.row([_nfc(v or "–") for v in (s.drafted_by, s.reviewed_by, s.approved_by)])
    pdf.ln(4)


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FAMILY, emphasis="BOLD", fill_color=(235, 235, 235))


def _table(pdf: _SheetPDF, rows: list[list[str]]) -> None:
    if not rows:
        return
    pdf.set_font(FAMILY, "", 9.5)
    with pdf.table(align="LEFT", col_widths=column_weights(rows), line_height=5.5,
                   headings_style=_heading_style(), text_align="LEFT") as table:
        for row in rows:
            table.row([_nfc(c) for c in row])
    pdf.ln(3)


def column_weights(rows: list[list[str]]) -> tuple[int, ...]:
    """Columns as wide as their longest cell, within bounds: a "TT" column stays narrow."""
    return tuple(min(max(len(r[i]) for r in rows), 45) + 4 for i in range(len(rows[0])))


def _body(pdf: _SheetPDF, s: Sheet) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in s.blocks:
        if block.kind == "heading":
            if pdf.get_y() > pdf.h - pdf.b_margin - 30:
                pdf.add_page()  # a heading never ends a page without its first lines
            pdf.ln(2)
            pdf.set_font(FAMILY, "B", 13 if block.level <= 1 else 11.5 if block.level == 2 else 10.5)
            pdf.multi_cell(width, 6.5, _nfc(block.text), **_NEXT)
            pdf.ln(1)
        elif block.kind == "paragraph":
            pdf.set_font(FAMILY, "", 10.5)
            pdf.multi_cell(width, 5.8, _nfc(block.text), align="J", **_NEXT)
            pdf.ln(1.5)
        elif block.kind == "item":
            pdf.set_font(FAMILY, "", 10.5)
            indent = 5 + 6 * block.level
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(7, 5.8, _nfc(block.marker))
            pdf.multi_cell(width - indent - 7, 5.8, _nfc(block.text), **_NEXT)
            pdf.ln(0.8)
        elif block.kind == "table":
            _table(pdf, block.rows)
        elif block.kind == "rule":
            pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.l_margin + width, pdf.get_y() + 2)
            pdf.ln(4)


def _amendments(pdf: _SheetPDF, s: Sheet) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 11.5)
    pdf.multi_cell(0, 6.5, _nfc(s.label("amendments")), align="C", **_NEXT)
    pdf.ln(1)
    if not s.amendments:
        pdf.set_font(FAMILY, "I", 10)
        pdf.multi_cell(0, 6, _nfc(s.label("no_amendments")), **_NEXT)
        return
    pdf.set_font(FAMILY, "", 9.5)
    with pdf.table(align="LEFT", col_widths=(16, 22, 22, 58, 32), line_height=5.5,
                   headings_style=_heading_style(), text_align="LEFT") as table:
        table.row([_nfc(h) for h in s.amendment_header()])
        for row in s.amendments:
            table.row([_nfc(c) for c in row])


def render_pdf(sheet: Sheet) -> bytes:
    pdf = _SheetPDF(sheet)
    pdf.add_page()
    _signatures(pdf, sheet)
    if sheet.legal_bases:
        pdf.set_font(FAMILY, "B", 10.5)
        pdf.multi_cell(0, 6, _nfc(sheet.label("legal_bases")), **_NEXT)
        pdf.set_font(FAMILY, "", 10)
        for basis in sheet.legal_bases:
            pdf.set_x(pdf.l_margin + 5)
            pdf.multi_cell(0, 5.5, _nfc(f"– {basis}"), **_NEXT)
        pdf.ln(2)
    _body(pdf, sheet)
    if sheet.forms:
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", 10.5)
        pdf.multi_cell(0, 6, _nfc(sheet.label("forms")), **_NEXT)
        pdf.set_font(FAMILY, "", 10)
        for name in sheet.forms:
            pdf.set_x(pdf.l_margin + 5)
            pdf.multi_cell(0, 5.5, _nfc(f"– {name}"), **_NEXT)
    _amendments(pdf, sheet)
    return bytes(pdf.output())
