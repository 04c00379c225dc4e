"""Fixtures for the office feature: the document-control people and procedures, and Word/PDF helpers."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from tests.procedures.conftest import BODY, People, dc, draft, issued, people  # noqa: F401

SAMPLES = Path(__file__).resolve().parents[2] / "procedures" / "samples"


def reissue(db, dc, people, proc, body: str, message: str = "Sửa đổi") -> int:
    """A new issue of `proc`: the member edits, the head submits, leadership approves."""
    dc.save_draft(people.member, proc, body=body, base_revision=proc.current_revision)
    dc.submit(people.head, proc)
    number = dc.approve(people.leader, proc, effective_on=date.today(), message=message)
    db.session.commit()
    return number


def pdf_text(data: bytes) -> list[str]:
    """The text of each page of a PDF, as a reader's copy-paste would give it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(io.BytesIO(data))
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            text = page.get_textpage()
            pages.append(text.get_text_range())
            text.close()
            page.close()
        return pages
    finally:
        doc.close()
