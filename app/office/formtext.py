"""The words inside a form's file, for the search index: Word and OpenDocument text, spreadsheet cells."""
from __future__ import annotations

import io
import logging
import unicodedata
import zipfile
from xml.etree import ElementTree

import docx
import openpyxl

from app.office.filetypes import open_zip, sniff

log = logging.getLogger(__name__)
MAX_CHARS = 100_000  # a form is searched by its words, not stored twice


def _docx(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return parts


def _xlsx(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                for v in row if v is not None]
    finally:
        book.close()


def _opendocument(data: bytes) -> list[str]:
    archive = open_zip(data)
    if archive is None:
        return []
    root = ElementTree.fromstring(archive.read("content.xml"))
    return [t for t in root.itertext() if t.strip()]


def text_of(name: str, data: bytes) -> str:
    """The file's text (empty for PDF and anything unreadable: search is a help, never a failure)."""
    kind = sniff(data)
    readers = {"docx": _docx, "xlsx": _xlsx, "odt": _opendocument, "ods": _opendocument}
    if kind not in readers:
        return ""
    try:
        parts = readers[kind](data)
    except (KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError, OSError) as exc:
        log.info("no text from form %s: %s", name, exc)
        return ""
    except Exception:  # noqa: BLE001  third-party readers raise their own kinds on odd files
        log.info("no text from form %s", name, exc_info=True)
        return ""
    text = unicodedata.normalize("NFC", "\n".join(p for p in parts if p and p.strip()))
    return text[:MAX_CHARS]
