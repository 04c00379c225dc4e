"""The yearly report's figures, gathered from the system's own data, and its printed/DOCX form."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.capa.models import CLOSED as CAPA_CLOSED
from app.capa.models import TERMINAL, Capa
from app.extensions import db
from app.internal_audits.models import Audit, AuditProgramme
from app.management_review import inputs
from app.management_review import providers as _providers  # noqa: F401  (registers the built-in items)
from app.management_review.models import HELD, APPROVED, OUTPUT_OPEN, ManagementReview
from app.procedures.models import ISSUED, WITHDRAWN, Procedure, ProcedureRevision
from app.reports.docx import Doc
from app.reports.models import Announcement
from app.reviews import compliance
from app.timeutil import LOCAL_TZ

SECTIONS = (
    ("general", _l("1. Tình hình chung")),
    ("building", _l("2. Xây dựng, áp dụng hệ thống")),
    ("maintaining", _l("3. Duy trì, cải tiến hệ thống")),
    ("difficulties", _l("4. Khó khăn, vướng mắc")),
    ("proposals", _l("5. Đề xuất, kiến nghị")),
)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def latest_announcement(on: date | None = None) -> Announcement | None:
    stmt = select(Announcement).order_by(Announcement.signed_on.desc(), Announcement.id.desc()).limit(1)
    if on is not None:
        stmt = stmt.where(Announcement.signed_on <= on)
    return db.session.scalar(stmt)


def scope_changes(announcement: Announcement) -> dict:
    """Procedures in force now that the announcement does not cover, and covered ones no longer in force."""
    covered = {item["code"] for item in announcement.scope or []}
    in_force = dict(db.session.execute(select(Procedure.code, Procedure.title).where(Procedure.status == ISSUED)).all())
    added = sorted(set(in_force) - covered)
    removed = sorted(covered - set(in_force))
    return {"added": [[c, in_force[c]] for c in added], "removed": removed, "changed": bool(added or removed)}


def gather(year: int, today: date) -> dict:
    """Every figure of the report for `year`, as plain JSON (what a finalised report keeps)."""
    as_of = min(today, date(year, 12, 31))
    start, end = _start(date(year, 1, 1)), _start(as_of + timedelta(days=1))
    issued = db.session.execute(
        select(ProcedureRevision.issue_number, func.count()).where(
            ProcedureRevision.issued_at >= start, ProcedureRevision.issued_at < end)
        .group_by(ProcedureRevision.issue_number)).all()
    withdrawn = db.session.execute(select(Procedure.code, Procedure.title, Procedure.withdrawn_on).where(
        Procedure.status == WITHDRAWN, Procedure.withdrawn_on >= date(year, 1, 1), Procedure.withdrawn_on <= as_of)
        .order_by(Procedure.code)).all()
    obj4 = compliance.year_compliance(year, as_of)
    audits = db.session.scalars(select(Audit).join(AuditProgramme).where(AuditProgramme.year == year)
                                .order_by(Audit.starts_on, Audit.seq)).all()
    reviews = db.session.scalars(select(ManagementReview).where(ManagementReview.year == year)
                                 .order_by(ManagementReview.meeting_on)).all()
    objectives = None
    provider = inputs.INPUT_PROVIDERS.get("objectives")
    if provider is not None and not provider.manual:
        objectives = inputs.compute(provider, inputs.InputContext(review=None, year=year, since=date(year, 1, 1),
                                                                  until=as_of, previous=None))
    announcement = latest_announcement()
    return {
        "year": year, "as_of": as_of.isoformat(),
        "procedures": {
            "in_force": db.session.scalar(select(func.count()).select_from(Procedure)
                                          .where(Procedure.status == ISSUED)) or 0,
            "issued_new": sum(n for k, n in issued if (k or 0) <= 1),
            "updated": sum(n for k, n in issued if (k or 0) > 1),
            "withdrawn": len(withdrawn),
            "withdrawn_list": [[c, t, w.isoformat()] for c, t, w in withdrawn],
        },
        "objective4": {"total": obj4.total, "reviewed": obj4.reviewed, "pct": obj4.pct},
        "objectives": objectives,
        "audits": [{"number": a.number, "unit": a.unit_code, "starts_on": a.starts_on.isoformat(),
                    "status": a.status, "nc": a.count("nc"), "observation": a.count("observation"),
                    "ofi": a.count("ofi"), "conclusion": a.conclusion} for a in audits],
        "reviews": [{"id": r.id, "meeting_on": r.meeting_on.isoformat(), "status": r.status,
                     "held": r.status in (HELD, APPROVED), "outputs": len(r.outputs),
                     "open_outputs": sum(1 for o in r.outputs if o.status == OUTPUT_OPEN)} for r in reviews],
        "capa": {
            "raised": db.session.scalar(select(func.count()).select_from(Capa).where(Capa.year == year)) or 0,
            "closed": db.session.scalar(select(func.count()).select_from(Capa).where(
                Capa.status == CAPA_CLOSED, Capa.closed_at >= start, Capa.closed_at < end)) or 0,
            "open": db.session.scalar(select(func.count()).select_from(Capa)
                                      .where(Capa.status.not_in(TERMINAL))) or 0,
        },
        "announcement": None if announcement is None else {
            "number": announcement.number, "signed_on": announcement.signed_on.isoformat(),
            "signer": announcement.signer, "scope": len(announcement.scope or []),
            "scope_changed": scope_changes(announcement)["changed"]},
    }


def labelled_rows(data: dict) -> list[list]:
    """An input item's rows as a reader sees them: coded values as their words, ISO dates as dd/mm/yyyy."""
    labels = data.get("labels") or {}
    out = []
    for row in data.get("rows", []):
        cells = []
        for i, value in enumerate(row):
            words = labels.get(str(i), {})
            if isinstance(value, str) and value in words:
                value = _(words[value])
            elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
                value = _d(value)
            cells.append(value)
        out.append(cells)
    return out


def _d(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def default_sections(data: dict) -> dict[str, str]:
    """A first draft of each section's text, from the figures; the secretary edits it."""
    p, o4, capa = data["procedures"], data["objective4"], data["capa"]
    ann = data["announcement"]
    general = _("Năm %(year)s, Sở duy trì hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 với %(n)s quy "
                "trình đang hiệu lực.", year=data["year"], n=p["in_force"])
    if ann:
        general += " " + _("Hệ thống đã được công bố phù hợp theo Quyết định số %(number)s ngày %(date)s.",
                           number=ann["number"], date=_d(ann["signed_on"]))
    building = _("Trong năm ban hành mới %(new)s quy trình, cập nhật %(updated)s lần ban hành, bãi bỏ %(w)s quy "
                 "trình. Mục tiêu 4: %(done)s/%(total)s quy trình đã được rà soát (%(pct)s%%).",
                 new=p["issued_new"], updated=p["updated"], w=p["withdrawn"], done=o4["reviewed"],
                 total=o4["total"], pct=o4["pct"])
    audits = data["audits"]
    held = [r for r in data["reviews"] if r["held"]]
    maintaining = _("Đã thực hiện %(n)s cuộc đánh giá nội bộ với %(nc)s điểm không phù hợp; %(m)s cuộc họp xem xét "
                    "của lãnh đạo. Trong năm lập %(raised)s phiếu khắc phục, phòng ngừa, đã đóng %(closed)s.",
                    n=len(audits), nc=sum(a["nc"] for a in audits), m=len(held), raised=capa["raised"],
                    closed=capa["closed"])
    return {"general": general, "building": building, "maintaining": maintaining, "difficulties": "",
            "proposals": ""}


def to_doc(data: dict, sections: dict, number: str = "", final: bool = False) -> Doc:
    from app.internal_audits.labels import AUDIT_STATUS_LABELS

    doc = Doc(title=_("Báo cáo tình hình xây dựng, áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng "
                      "năm %(year)s", year=data["year"]),
              header=[_("Sở Khoa học và Công nghệ"), (_("Số: %(n)s", n=number) if number else "")])
    for key, label in SECTIONS:
        doc.h(str(label))
        doc.p(sections.get(key) or "")
        if key == "building":
            p = data["procedures"]
            doc.table([_("Chỉ tiêu"), _("Số lượng")],
                      [[_("Quy trình đang hiệu lực"), p["in_force"]], [_("Ban hành mới"), p["issued_new"]],
                       [_("Cập nhật (ban hành lại)"), p["updated"]], [_("Bãi bỏ"), p["withdrawn"]],
                       [_("Mục tiêu 4: đã rà soát / phải rà soát"),
                        f'{data["objective4"]["reviewed"]}/{data["objective4"]["total"]} '
                        f'({data["objective4"]["pct"]}%)']])
            if data.get("objectives"):
                doc.p(_("Kết quả thực hiện mục tiêu chất lượng:"))
                obj = data["objectives"]
                doc.table([_(c) for c in obj.get("columns", [])], labelled_rows(obj))
        if key == "maintaining":
            if data["audits"]:
                doc.table([_("Cuộc đánh giá"), _("Đơn vị"), _("Ngày"), _("Trạng thái"), _("KPH"), _("Lưu ý"),
                           _("Cải tiến")],
                          [[a["number"], a["unit"], _d(a["starts_on"]), str(AUDIT_STATUS_LABELS[a["status"]]),
                            a["nc"], a["observation"], a["ofi"]] for a in data["audits"]])
            if data["reviews"]:
                doc.table([_("Họp xem xét của lãnh đạo"), _("Kết luận"), _("Còn mở")],
                          [[_d(r["meeting_on"]), r["outputs"], r["open_outputs"]] for r in data["reviews"]])
    doc.signature = [_("Nơi nhận: Sở Khoa học và Công nghệ tỉnh; Lưu: VT."), "",
                     _("GIÁM ĐỐC") if final else _("(Dự thảo)")]
    return doc
