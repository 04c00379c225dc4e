"""A small document model (headings, paragraphs, tables) written to DOCX with python-docx; no Flask here."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Doc:
    """What a printed record holds: header lines, a title, then blocks in order."""

    title: str
    header: list[str] = field(default_factory=list)     # e.g. agency name, number, place and date
    blocks: list[tuple] = field(default_factory=list)   # ("h", text) ("p", text) ("table", header, rows)
    signature: list[str] = field(default_factory=list)

    def h(self, text: str) -> "Doc":
        self.blocks.append(("h", text))
        return self

    def p(self, text: str) -> "Doc":
        for para in (text or "").split("\n"):
            self.blocks.append(("p", para))
        return self

    def table(self, header: list, rows: list[list]) -> "Doc":
        self.blocks.append(("table", [str(h) for h in header], [[_cell(v) for v in r] for r in rows]))
        return self


def _cell(value) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def to_docx(doc: Doc) -> bytes:
    from docx import Document  # python-docx: loaded by the first document written, not at every start
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    for line in doc.header:
        para = document.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(doc.title.upper())
    run.bold = True
    for block in doc.blocks:
        if block[0] == "h":
            document.add_heading(block[1], level=2)
        elif block[0] == "p":
            document.add_paragraph(block[1])
        elif block[0] == "table":
            _, header, rows = block
            table = document.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header):
                cell.text = text
                for r in cell.paragraphs[0].runs:
                    r.bold = True
            for row in rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row):
                    cell.text = text
            document.add_paragraph("")
    for line in doc.signature:
        para = document.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line (what a reader of the file sees)."""
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)
