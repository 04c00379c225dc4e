"""Building the printable sheet of a procedure revision from the store and the mirror, then DOCX or PDF."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.office.sheet import Sheet
from app.procedures import core
from app.procedures.models import Procedure, ProcedureRevision
from app.timeutil import format_date

def render_pdf(sheet: Sheet) -> bytes:
    from app.office.pdf import render_pdf as render  # fpdf2 and its fonts: loaded by the first export only

    return render(sheet)


def render_docx(sheet: Sheet) -> bytes:
    from app.office.docx_out import render_docx as render  # python-docx: loaded by the first export only

    return render(sheet)


FORMATS = {
    "pdf": ("application/pdf", render_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
}


def amendment_rows(proc: Procedure, up_to_issue: int | None) -> list[tuple[str, str, str, str, str]]:
    """The amendment log, from the issue tags mirrored in the database (never typed by hand)."""
    stmt = (select(ProcedureRevision)
            .where(ProcedureRevision.procedure_id == proc.id, ProcedureRevision.issue_number.is_not(None))
            .order_by(ProcedureRevision.issue_number))
    rows = []
    for rev in db.session.scalars(stmt):
        if up_to_issue is not None and rev.issue_number > up_to_issue:
            continue
        issued_on = rev.issued_on or rev.issued_at
        rows.append((str(rev.issue_number), format_date(issued_on), format_date(rev.effective_on),
                     rev.issue_message or "", rev.approver_name or ""))
    return rows


def build_sheet(proc: Procedure, revision: str, *, agency: str, marking: str, watermark: str | None,
                labels: dict, issued: bool, forms: list[str] | None = None) -> Sheet:
    doc = core.store().read(proc.code, revision).document
    unit = proc.unit.name if proc.unit and proc.unit.code == doc.unit else doc.unit
    return Sheet(
        agency=agency, code=doc.code, title=doc.title, unit=unit,
        issue=str(doc.issue) if doc.issue else "", issued_on=format_date(doc.issued_on),
        effective_on=format_date(doc.effective_on), drafted_by=doc.drafted_by, reviewed_by=doc.reviewed_by,
        approved_by=doc.approved_by, body=doc.body, marking=marking, watermark=watermark,
        legal_bases=list(doc.legal_bases), amendments=amendment_rows(proc, doc.issue if issued else None),
        forms=list(forms or []), labels=labels,
    )


def render(sheet: Sheet, fmt: str) -> tuple[bytes, str]:
    mimetype, writer = FORMATS[fmt]
    return writer(sheet), mimetype
