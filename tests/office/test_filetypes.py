"""Files are judged by their bytes: Office Open XML and OpenDocument parts, PDF magic, sound ZIPs only."""
from __future__ import annotations

import io
import zipfile

import pytest

from app.office import filetypes
from app.office.filetypes import matches, sniff
from app.office.formtext import text_of
from tests.office.conftest import SAMPLES

ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def _opendocument(mimetype: str, text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                         'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                         'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                         f'<text:p>{text}</text:p></office:text></office:body></office:document-content>')
    return buf.getvalue()


def test_each_accepted_type_is_recognised_by_content():
    assert sniff((SAMPLES / "QT-VP-06.docx").read_bytes()) == "docx"
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(_opendocument(ODT, "x")) == "odt" and sniff(_opendocument(ODS, "x")) == "ods"
    assert matches("BM.odt", _opendocument(ODT, "x")) and not matches("BM.ods", _opendocument(ODT, "x"))
    assert not matches("BM.docx", _opendocument(ODT, "x"))


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04broken", b"MZ\x90\x00 an executable", b"<html></html>"])
def test_anything_else_is_nothing_we_accept(data):
    assert sniff(data) in (None, "zip") and not any(matches(f"x.{e}", data) for e in ("docx", "xlsx", "pdf"))


def test_a_zip_that_would_unpack_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_UNPACKED", 100_000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "x")
        archive.writestr("word/document.xml", b"0" * 100_001)
    assert sniff(buf.getvalue()) is None


def test_form_text_is_read_from_word_and_opendocument():
    assert "Sổ đăng ký văn bản đến" in text_of("a.docx", (SAMPLES / "QT-VP-06.docx").read_bytes())
    assert text_of("b.odt", _opendocument(ODT, "Biên bản kiểm tra")) == "Biên bản kiểm tra"
    assert text_of("c.pdf", b"%PDF-1.4") == "" and text_of("d.odt", b"PK\x03\x04broken") == ""
