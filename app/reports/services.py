"""Yearly report (draft, edit, finalise as issued) and conformity announcements; flush, never commit."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from sqlalchemy import select

from app.audit.services import record
from app.extensions import db
from app.management_review import permissions as perm
from app.procedures.models import ISSUED, Procedure
from app.reports import yearly
from app.reports.docx import to_docx
from app.reports.models import DRAFT, FINAL, Announcement, YearlyReport
from app.timeutil import local_today, utcnow


class ReportError(Exception):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


class PermissionDenied(ReportError):
    def __init__(self):
        super().__init__("forbidden")


def _allow(ok: bool) -> None:
    if not ok:
        raise PermissionDenied()


def _require(ok: bool, key: str, **params) -> None:
    if not ok:
        raise ReportError(key, **params)


def _text(value) -> str:
    return (value or "").strip()


def report_for(year: int) -> YearlyReport | None:
    return db.session.scalar(select(YearlyReport).where(YearlyReport.year == year))


def figures(report: YearlyReport | None, year: int, today: date) -> dict:
    """A finalised report's kept figures; a draft's are read from the data now."""
    if report is not None and report.is_final and report.data is not None:
        return report.data
    return yearly.gather(year, today)


# the report is an official document of the agency: its generated text is always in Vietnamese
OFFICIAL_LOCALE = "vi"


def sections_of(report: YearlyReport | None, data: dict) -> dict:
    with force_locale(OFFICIAL_LOCALE):
        defaults = yearly.default_sections(data)
    if report is None:
        return defaults
    return {key: report.sections.get(key, defaults.get(key, "")) for key, _label in yearly.SECTIONS}


def save(actor, year: int, *, number: str, sections: dict) -> YearlyReport:
    _allow(perm.can_edit_reports(actor))
    _require(2000 <= year <= local_today().year + 1, "invalid_year")
    report = report_for(year)
    if report is None:
        report = YearlyReport(year=year, status=DRAFT, created_by_id=actor.id, created_at=utcnow(), sections={})
        db.session.add(report)
    _require(not report.is_final, "report_final")
    report.number = _text(number)[:60]
    report.sections = {key: _text(sections.get(key)) for key, _label in yearly.SECTIONS}
    report.updated_at = utcnow()
    db.session.flush()
    record(actor, "yearly_report.save", "yearly_report", year, f"Sửa báo cáo HTQLCL năm {year}",
           {"number": report.number, "sections": report.sections})
    return report


def finalise(actor, year: int) -> YearlyReport:
    """The figures and the DOCX are kept as they are now: the issued report no longer follows the data."""
    _allow(perm.can_edit_reports(actor))
    report = report_for(year)
    _require(report is not None, "report_not_saved")
    _require(not report.is_final, "report_final")
    _require(bool(report.number), "number_required")
    data = yearly.gather(year, local_today())
    report.data = data
    with force_locale(OFFICIAL_LOCALE):
        report.docx = to_docx(yearly.to_doc(data, report.sections, report.number, final=True))
    report.status, report.finalised_by_id, report.finalised_at = FINAL, actor.id, utcnow()
    db.session.flush()
    record(actor, "yearly_report.finalise", "yearly_report", year, f"Phát hành báo cáo HTQLCL năm {year}",
           {"number": report.number, "data": data})
    return report


def docx_bytes(report: YearlyReport | None, year: int, today: date) -> bytes:
    if report is not None and report.is_final and report.docx:
        return report.docx
    data = figures(report, year, today)
    with force_locale(OFFICIAL_LOCALE):
        return to_docx(yearly.to_doc(data, sections_of(report, data), report.number if report else ""))


# -- conformity announcement ----------------------------------------------------------------------
def in_force_scope() -> list[dict]:
    rows = db.session.execute(select(Procedure.code, Procedure.title, Procedure.issue_number)
                              .where(Procedure.status == ISSUED).order_by(Procedure.code)).all()
    return [{"code": c, "title": t, "issue_number": n} for c, t, n in rows]


def announce(actor, *, number: str, signed_on: date | None, signer: str, codes, note: str = "") -> Announcement:
    _allow(perm.can_edit_reports(actor))
    _require(bool(_text(number)), "number_required")
    _require(signed_on is not None, "date_required")
    _require(signed_on <= local_today(), "future_date")
    _require(bool(_text(signer)), "signer_required")
    _require(db.session.scalar(select(Announcement.id).where(Announcement.number == _text(number))) is None,
             "number_exists")
    wanted = set(codes or [])
    scope = [item for item in in_force_scope() if item["code"] in wanted]
    _require(bool(scope), "scope_required")
    ann = Announcement(number=_text(number)[:60], signed_on=signed_on, signer=_text(signer)[:200], note=_text(note),
                       scope=scope, created_by_id=actor.id, created_at=utcnow())
    db.session.add(ann)
    db.session.flush()
    record(actor, "announcement.create", "announcement", ann.number,
           f"Công bố HTQLCL phù hợp TCVN ISO 9001: {ann.number}",
           {"signed_on": signed_on.isoformat(), "signer": ann.signer, "scope": [s["code"] for s in scope],
            "note": ann.note})
    return ann
