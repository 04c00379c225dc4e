"""Reading an agency's Word procedure with python-docx: header fields, signatures, and the body as Markdown.

Header fields come from the header block (a table in the page header or at the top, or
"Mã hiệu: ..." lines), the signature table gives soạn thảo / xem xét / phê duyệt, the body
becomes Markdown (headings, numbered and bulleted lists, tables). The amendment table is
reported and skipped: in this system the amendment log comes from the store's history.
(mammoth was tried for its report of what it cannot convert: it spent 1.5 s of 1.55 s per file
parsing the styles part with minidom, so the reader reports what it skips itself.)
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from app.office.filetypes import sniff
from app.store.document import CODE_RE

_CODE = re.compile(r"M[ãa]\s*(?:hi[ệe]u|s[ốo])\s*(?:t[àa]i\s*li[ệe]u)?\s*[:：]\s*"
                   r"([A-Za-zĐđ0-9][A-Za-zĐđ0-9.\-/ ]{2,30})", re.IGNORECASE)
_ISSUE = re.compile(r"L[ầa]n\s*ban\s*h[àa]nh\s*[:：]\s*0*(\d{1,3})", re.IGNORECASE)
_DATE = r"\s*[:：]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
_ISSUED_ON = re.compile(r"Ng[àa]y\s*ban\s*h[àa]nh" + _DATE, re.IGNORECASE)
_EFFECTIVE = re.compile(r"Ng[àa]y\s*(?:c[óo]\s*)?hi[ệe]u\s*l[ựu]c" + _DATE, re.IGNORECASE)
_TITLE_LINE = re.compile(r"T[êe]n\s*(?:quy\s*tr[ìi]nh|t[àa]i\s*li[ệe]u)\s*[:：]\s*(.+)", re.IGNORECASE)
_ROLES = {
    "drafted_by": re.compile(r"so[ạa]n\s*th[ảa]o|bi[êe]n\s*so[ạa]n", re.IGNORECASE),
    "reviewed_by": re.compile(r"xem\s*x[ée]t|ki[ểe]m\s*tra", re.IGNORECASE),
    "approved_by": re.compile(r"ph[êe]\s*duy[ệe]t", re.IGNORECASE),
}
_ROLE_LINE = re.compile(r"^(?:ng[ưu][ờo]i\s*)?((?:so[ạa]n\s*th[ảa]o|xem\s*x[ée]t|ph[êe]\s*duy[ệe]t))"
                        r"\s*[:：]\s*(\S.{1,150})$", re.IGNORECASE)
_NAME_PREFIX = re.compile(r"^(?:h[ọo]\s*(?:v[àa]\s*)?t[êe]n|ng[ưu][ờo]i\s*\S+(\s*\S+)?)\s*[:：]\s*", re.IGNORECASE)
_AMENDMENT = re.compile(r"theo\s*d[õo]i\s*s[ửu]a\s*[đd][ổo]i|s[ửu]a\s*[đd][ổo]i\s*t[àa]i\s*li[ệe]u", re.IGNORECASE)
_SECTIONS = re.compile(r"m[ụu]c\s*[đd][íi]ch|ph[ạa]m\s*vi|n[ộo]i\s*dung\s*quy\s*tr[ìi]nh", re.IGNORECASE)
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\S")

MAX_DOCX_BYTES = 3 * 1024 * 1024


class NotAProcedure(Exception):
    """The file is damaged, not a Word document, or not a procedure; `key` names the reason."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


@dataclass
class ImportedProcedure:
    filename: str
    code: str = ""
    title: str = ""
    issue: int = 0
    issued_on: date | None = None
    effective_on: date | None = None
    drafted_by: str = ""
    reviewed_by: str = ""
    approved_by: str = ""
    body: str = ""
    read: list[str] = field(default_factory=list)      # what was recognised, for the preview
    skipped: list[str] = field(default_factory=list)   # what was not carried over, and why

    @property
    def code_valid(self) -> bool:
        return bool(CODE_RE.fullmatch(self.code))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", (text or "").replace("\xa0", " ")).strip()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _cell_texts(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats itself across the columns it spans
                continue
            seen.add(id(cell._tc))
            cells.append(_nfc("\n".join(p.text for p in cell.paragraphs)))
        rows.append(cells)
    return rows


def _date(match) -> date | None:
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _code(raw: str) -> str:
    code = raw.strip().split()[0].upper().replace("Đ", "D").replace(".", "-").replace("/", "-").strip("-")
    return re.sub(r"-{2,}", "-", code)


def _sentence_case(title: str) -> str:
    """Word headers shout ("QUY TRÌNH KIỂM SOÁT TÀI LIỆU"); the register writes "Quy trình kiểm soát tài liệu"."""
    title = " ".join(title.split())
    if title.isupper():
        return title[:1] + title[1:].lower()
    if title[:9].isupper() and title[:9].upper() == "QUY TRÌNH":
        rest = title[9:].strip()
        return "Quy trình " + (rest[:1].lower() + rest[1:] if rest.isupper() is False else rest.lower())
    return title


class _Reader:
    def __init__(self, filename: str, document):
        self.result = ImportedProcedure(filename)
        self.document = document
        self.numbering = self._numbering_formats()

    # -- header fields --------------------------------------------------------------------------
    def fields_from(self, text: str, where: str) -> bool:
        r, found = self.result, False
        if not r.code and (m := _CODE.search(text)):
            r.code, found = _code(m.group(1)), True
            r.read.append(f"code:{where}")
        if not r.issue and (m := _ISSUE.search(text)):
            r.issue, found = int(m.group(1)), True
        if not r.issued_on and (d := _date(_ISSUED_ON.search(text))):
            r.issued_on, found = d, True
        if not r.effective_on and (d := _date(_EFFECTIVE.search(text))):
            r.effective_on, found = d, True
        if not r.title and (m := _TITLE_LINE.search(text)):
            r.title, found = _sentence_case(_nfc(m.group(1).split("\n")[0])), True
        if m := _ROLE_LINE.match(text):  # "Soạn thảo: Phạm Thị Thu"
            for key, pattern in _ROLES.items():
                if pattern.search(m.group(1)) and not getattr(r, key):
                    setattr(r, key, _nfc(m.group(2))[:200])
                    found = True
        return found

    def header_table(self, rows: list[list[str]], where: str) -> bool:
        # a two-column key/value table ("Mã hiệu" | "QT-VP-01") reads as "Mã hiệu: QT-VP-01" lines
        pairs = [f"{r[0]}: {r[1]}" for r in rows if len(r) == 2 and not re.search(r"[:：]", r[0])]
        joined = "\n".join(pairs + ["\n".join(r) for r in rows])
        if not _CODE.search(joined) and not _ISSUE.search(joined):
            return False
        for pair in pairs:
            self.fields_from(pair, where)
        self.fields_from(joined, where)
        if not self.result.title:
            for cell in (c for row in rows for c in row):
                lines = [ln.strip() for ln in cell.split("\n") if ln.strip()]
                # "QUY TRÌNH" over the name, or on one line with it: "Quy trình kiểm soát tài liệu"
                if lines and _fold(lines[0]).startswith("quy trình") and len(" ".join(lines)) > len("quy trình") + 2:
                    self.result.title = _sentence_case(" ".join(lines))[:300]
                    break
        return True

    def signature_table(self, rows: list[list[str]]) -> bool:
        if not rows:
            return False
        header = rows[0]
        roles = {}
        for i, cell in enumerate(header):
            for key, pattern in _ROLES.items():
                if pattern.search(cell) and key not in roles.values():
                    roles[i] = key
                    break
        if len(roles) < 2:
            return False
        for i, key in roles.items():
            names = [_NAME_PREFIX.sub("", row[i]).strip() for row in rows[1:] if i < len(row)]
            names = [n for n in names if n and not re.fullmatch(r"(ch[ữu]\s*k[ýy].*|\(.*\))", n, re.IGNORECASE)]
            if names:
                setattr(self.result, key, names[-1].split("\n")[-1].strip())
        return True

    # -- body -----------------------------------------------------------------------------------
    def _numbering_formats(self) -> dict[tuple[str, str], str]:
        """(numId, ilvl) -> numFmt ("decimal", "bullet", ...) from the document's numbering part."""
        try:
            root = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):  # no numbering part: python-docx raises NotImplementedError
            return {}
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        abstract = {}
        for a in root.findall(f"{w}abstractNum"):
            abstract[a.get(f"{w}abstractNumId")] = {
                lvl.get(f"{w}ilvl"): (lvl.find(f"{w}numFmt").get(f"{w}val") if lvl.find(f"{w}numFmt") is not None
                                      else "decimal") for lvl in a.findall(f"{w}lvl")}
        formats = {}
        for num in root.findall(f"{w}num"):
            ref = num.find(f"{w}abstractNumId")
            for ilvl, fmt in abstract.get(ref.get(f"{w}val") if ref is not None else "", {}).items():
                formats[(num.get(f"{w}numId"), ilvl)] = fmt
        return formats

    def paragraph(self, p: Paragraph, counters: dict) -> str | None:
        text = _nfc(p.text)
        style = (p.style.name if p.style is not None else "") or ""
        if not text:
            return None
        if style.lower().startswith("heading") or style.lower().startswith("title"):
            digits = re.findall(r"\d", style)
            level = int(digits[0]) if digits else 1
            return f"{'#' * min(level + 1, 6)} {text}"
        num_pr = p._p.pPr.numPr if p._p.pPr is not None else None
        if num_pr is not None or "list" in style.lower():
            ilvl = num_pr.ilvl.val if num_pr is not None and num_pr.ilvl is not None else 0
            num_id = str(num_pr.numId.val) if num_pr is not None and num_pr.numId is not None else ""
            fmt = self.numbering.get((num_id, str(ilvl)), "bullet" if "bullet" in style.lower() else "decimal")
            indent = "   " * ilvl
            if fmt == "bullet" or "bullet" in style.lower():
                return f"{indent}- {text}"
            key = (num_id, ilvl)
            counters[key] = counters.get(key, 0) + 1
            return f"{indent}{counters[key]}. {text}"
        counters.clear()
        bold = p.runs and all(r.bold or not r.text.strip() for r in p.runs)
        if bold and len(text) < 150 and (m := _NUMBERED_HEADING.match(text)):
            return f"{'#' * min(m.group(1).count('.') + 2, 6)} {text}"
        return text.replace("\n", "  \n")

    @staticmethod
    def table(rows: list[list[str]]) -> str:
        width = max(len(r) for r in rows)
        lines = []
        for i, row in enumerate(rows):
            cells = [c.replace("|", "\\|").replace("\n", " ").strip() for c in row] + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + " --- |" * width)
        return "\n".join(lines)


def read_docx(filename: str, data: bytes) -> ImportedProcedure:
    """The procedure in a .docx file, or NotAProcedure('damaged' | 'not_docx' | 'too_large' | 'not_procedure')."""
    if len(data) > MAX_DOCX_BYTES:
        raise NotAProcedure("too_large")
    kind = sniff(data)
    if kind != "docx":
        raise NotAProcedure("damaged" if kind in (None, "zip") and data[:2] == b"PK" else "not_docx")
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
        header_tables = [t for s in document.sections for t in s.header.tables]
    except (KeyError, ValueError, zipfile.BadZipFile, OSError, AttributeError, TypeError) as exc:
        raise NotAProcedure("damaged") from exc
    except Exception as exc:  # noqa: BLE001  lxml's XMLSyntaxError and kin: the parts are not sound XML
        raise NotAProcedure("damaged") from exc
    reader = _Reader(filename, document)
    r = reader.result
    for t in header_tables:
        reader.header_table(_cell_texts(t), "header") or reader.signature_table(_cell_texts(t))
    lines: list[str] = []
    counters: dict = {}
    started = False
    skip_next_table = False
    images = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            text = _nfc(block.text)
            images += len(block._p.xpath(".//w:drawing")) + len(block._p.xpath(".//w:pict"))
            if _AMENDMENT.search(text) and len(text) < 80:
                skip_next_table = True
                continue
            if not started:
                style = (block.style.name if block.style is not None else "").lower()
                if reader.fields_from(text, "body") or not text:
                    continue
                if style.startswith("title") or (_fold(text).startswith("quy trình") and len(text) < 200
                                                 and not _SECTIONS.search(text)):
                    if not r.title:
                        r.title = _sentence_case(text)
                    continue
                if _SECTIONS.search(text) or style.startswith("heading") or _NUMBERED_HEADING.match(text):
                    started = True
                else:
                    continue
            line = reader.paragraph(block, counters)
            if line is not None:
                lines.append(line)
        elif isinstance(block, Table):
            rows = _cell_texts(block)
            if not rows or not any(any(c for c in row) for row in rows):
                continue
            if skip_next_table or (rows and any(_AMENDMENT.search(c) for c in rows[0])):
                skip_next_table = False
                r.skipped.append("amendment_table")
                continue
            if not started and reader.header_table(rows, "table"):
                continue
            if reader.signature_table(rows):
                continue
            lines.append("")
            lines.append(reader.table(rows))
            lines.append("")
    if images:
        r.skipped.append(f"images:{images}")
    r.body = _join(lines)
    if not r.code and not _SECTIONS.search(r.body):
        raise NotAProcedure("not_procedure")
    return r


def _join(lines: list[str]) -> str:
    """Markdown with blank lines between blocks, and none inside a list."""
    out: list[str] = []
    for line in lines:
        is_item = bool(re.match(r"^\s*(\d+\.|-)\s", line))
        prev_item = bool(out and re.match(r"^\s*(\d+\.|-)\s", out[-1]))
        if out and out[-1] != "" and line != "" and not (is_item and prev_item):
            out.append("")
        out.append(line)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
