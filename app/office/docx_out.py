"""A procedure sheet as an A4 Word document (python-docx): header block with page x/y, signatures, body, log."""
from __future__ import annotations

import io
from xml.sax.saxutils import quoteattr

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from app.office.pdf import column_weights
from app.office.sheet import Sheet

# Decree 30/2020/ND-CP sets Times New Roman for state documents; every Vietnamese office has it.
FONT = "Times New Roman"


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in on every page."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._r.append(el)


def _watermark(paragraph, text: str) -> None:
    """Word's own text watermark (a VML text path behind the page), as Word writes it."""
    xml = (
        '<w:r %s xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<w:pict><v:shape id="QMSWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:480pt;height:120pt;rotation:315;'
        'z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        'fillcolor="silver" stroked="f"><v:fill opacity=".5"/>'
        '<v:textpath style="font-family:&quot;Times New Roman&quot;;font-size:1pt" string=%s/>'
        '</v:shape></w:pict></w:r>' % (nsdecls("w"), quoteattr(text))
    )
    paragraph._p.append(parse_xml(xml))


def _shade(cell, fill: str = "EBEBEB") -> None:
    props = cell._tc.get_or_add_tcPr()
    props.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _cell_text(cell, text: str, bold: bool = False, size: float = 11, align=None) -> None:
    cell.text = ""
    lines = (text or "").split("\n")
    para = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            para = cell.add_paragraph()
        run = para.add_run(line)
        run.bold, run.font.size = bold, Pt(size)
        if align is not None:
            para.alignment = align


def _grid(document, rows: list[list[str]], widths: tuple[int, ...] | None = None, header: bool = True):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(widths) if widths else None
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            _cell_text(cell, value, bold=header and r == 0, size=11)
            if header and r == 0:
                _shade(cell)
            if widths:
                cell.width = Mm(170 * widths[c] / total)
    return table


def _header(section, sheet: Sheet) -> None:
    header = section.header
    header.is_linked_to_previous = False
    table = header.add_table(rows=1, cols=3, width=Mm(175))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, middle, right = table.rows[0].cells
    for cell, width in ((left, 50), (middle, 70), (right, 55)):
        cell.width = Mm(width)
    _cell_text(left, sheet.agency.upper(), bold=True, size=10, align=WD_ALIGN_PARAGRAPH.CENTER)
    title = sheet.title.upper()
    heading = title if title.startswith(sheet.label("procedure")) else f"{sheet.label('procedure')}\n{title}"
    _cell_text(middle, heading, bold=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    right.text = ""
    for i, (label, value) in enumerate(sheet.header_cells()):
        para = right.paragraphs[0] if i == 0 else right.add_paragraph()
        para.add_run(f"{label}: {value}").font.size = Pt(10)
    para = right.add_paragraph()
    para.add_run(f"{sheet.label('page')}: ").font.size = Pt(10)
    _field(para, "PAGE")
    para.add_run("/")
    _field(para, "NUMPAGES")
    # the header's own first paragraph carries the watermark, so it shows on every page
    first = header.paragraphs[0]
    if sheet.watermark:
        _watermark(first, sheet.watermark)


def _footer(section, sheet: Sheet) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(sheet.marking)
    run.italic, run.font.size = True, Pt(9)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _body(document, sheet: Sheet) -> None:
    for block in sheet.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=min(max(block.level, 1), 4))
        elif block.kind == "paragraph":
            document.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif block.kind == "item":
            style = "List Number" if block.marker != "•" else "List Bullet"
            if block.level:
                style += f" {min(block.level + 1, 3)}"
            para = document.add_paragraph(style=style)
            # the number is written as the author numbered it, not renumbered by Word
            if block.marker != "•":
                para.style = document.styles["List Paragraph"]
                para.add_run(f"{block.marker} ")
            para.add_run(block.text)
        elif block.kind == "table":
            _grid(document, block.rows, column_weights(block.rows))
            document.add_paragraph()


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = document.styles[name]
        style.font.name = FONT
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.size = Pt({"Heading 1": 14, "Heading 2": 13}.get(name, 13))


def render_docx(sheet: Sheet) -> bytes:
    document = Document()
    _styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    section.top_margin, section.bottom_margin = Mm(15), Mm(20)
    section.header_distance = Mm(8)
    props = document.core_properties
    props.title, props.subject, props.keywords = f"{sheet.code} – {sheet.title}", sheet.marking, sheet.code
    props.category = sheet.watermark or ""
    _header(section, sheet)
    _footer(section, sheet)

    _grid(document, [[sheet.label(k) for k in ("drafted", "reviewed", "approved")], ["\n\n", "\n\n", "\n\n"],
                     [sheet.drafted_by or "–", sheet.reviewed_by or "–", sheet.approved_by or "–"]])
    for cell in document.tables[0].rows[2].cells:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if sheet.legal_bases:
        document.add_heading(sheet.label("legal_bases"), level=2)
        for basis in sheet.legal_bases:
            document.add_paragraph(basis, style="List Bullet")
    _body(document, sheet)
    if sheet.forms:
        document.add_heading(sheet.label("forms"), level=2)
        for name in sheet.forms:
            document.add_paragraph(name, style="List Bullet")
    heading = document.add_heading(sheet.label("amendments"), level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if sheet.amendments:
        _grid(document, [sheet.amendment_header()] + [list(r) for r in sheet.amendments], (16, 22, 22, 58, 32))
    else:
        document.add_paragraph(sheet.label("no_amendments"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
