"""The inspection pack: one ZIP with what the province's inspectors ask for, each file openable on its own."""
from __future__ import annotations

import io
import zipfile
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from app.capa import queries as capa_queries
from app.capa.models import Capa
from app.exports import xlsx_bytes
from app.extensions import db
from app.internal_audits.labels import AUDIT_STATUS_LABELS, CHECK_RESULT_LABELS, FINDING_KIND_LABELS
from app.internal_audits.models import Audit, AuditProgramme
from app.management_review.labels import OUTPUT_KIND_LABELS, OUTPUT_STATUS_LABELS
from app.management_review.models import APPROVED, HELD, ManagementReview
from app.procedures.models import ISSUED, Procedure
from app.reports import services, yearly
from app.reports.docx import Doc, to_docx


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def announcement_doc(ann) -> Doc:
    doc = Doc(title=_("Quyết định công bố hệ thống quản lý chất lượng phù hợp tiêu chuẩn TCVN ISO 9001:2015"),
              header=[_("Sở Khoa học và Công nghệ"), _("Số: %(n)s, ngày %(d)s", n=ann.number, d=_d(ann.signed_on))])
    doc.p(_("Công bố hệ thống quản lý chất lượng phù hợp tiêu chuẩn TCVN ISO 9001:2015 đối với các hoạt động "
            "thuộc phạm vi sau:"))
    doc.table([_("STT"), _("Mã hiệu"), _("Tên quy trình"), _("Lần ban hành")],
              [[i, s["code"], s["title"], s["issue_number"]] for i, s in enumerate(ann.scope or [], 1)])
    if ann.note:
        doc.p(ann.note)
    changes = yearly.scope_changes(ann)
    if changes["changed"]:
        doc.h(_("Phạm vi đã thay đổi từ khi công bố"))
        doc.p(_("Quy trình mới chưa thuộc phạm vi: %(c)s", c=", ".join(c for c, _t in changes["added"]) or "–"))
        doc.p(_("Quy trình đã bãi bỏ: %(c)s", c=", ".join(changes["removed"]) or "–"))
    doc.signature = [ann.signer]
    return doc


def audit_doc(audit: Audit) -> Doc:
    doc = Doc(title=_("Báo cáo đánh giá nội bộ"),
              header=[_("Sở Khoa học và Công nghệ"), _("Số: %(n)s", n=audit.number)])
    doc.table([_("Nội dung"), _("Thông tin")], [
        [_("Đơn vị được đánh giá"), f"{audit.unit.code} – {audit.unit.name}"],
        [_("Thời gian"), f"{_d(audit.starts_on)} – {_d(audit.ends_on)}"],
        [_("Trưởng đoàn"), audit.lead_auditor.full_name],
        [_("Thành viên"), ", ".join(m.user.full_name for m in audit.team)],
        [_("Trạng thái"), str(AUDIT_STATUS_LABELS[audit.status])]])
    doc.h(_("1. Phạm vi đánh giá"))
    doc.table([_("Mã hiệu"), _("Tên quy trình"), _("Lần ban hành"), _("Phiên bản")],
              [[s.code, s.title, s.issue_number, s.revision[:10]] for s in audit.scope])
    doc.h(_("2. Kết quả kiểm tra"))
    doc.table(["#", _("Điều khoản / bước"), _("Câu hỏi"), _("Kết quả")],
              [[i.seq, i.reference, i.question,
                (str(CHECK_RESULT_LABELS[i.result]) if i.result else "–") + (f": {i.note}" if i.note else "")]
               for i in audit.checklist])
    doc.h(_("3. Phát hiện"))
    doc.table(["#", _("Loại"), _("Mô tả"), _("Bằng chứng"), _("Phiếu CAPA")],
              [[f.seq, str(FINDING_KIND_LABELS[f.kind]), f.description, f.evidence, f.capa.number if f.capa else ""]
               for f in audit.findings])
    doc.h(_("4. Kết luận"))
    doc.p(audit.conclusion or "–")
    doc.signature = [_("TRƯỞNG ĐOÀN ĐÁNH GIÁ"), audit.lead_auditor.full_name]
    return doc


def minutes_doc(review: ManagementReview) -> Doc:
    from app.management_review import inputs

    doc = Doc(title=_("Biên bản họp xem xét của lãnh đạo"),
              header=[_("Sở Khoa học và Công nghệ"), review.title])
    doc.p(_("Thời gian: %(d)s", d=_d(review.meeting_on)))
    doc.p(_("Chủ trì: %(n)s", n=review.chair.full_name))
    doc.p(_("Thành phần:") + " " + (review.attendees or "–"))
    doc.h(_("I. Đầu vào của cuộc họp"))
    titles = {p.key: (p.title, p.clause) for p in inputs.providers()}
    for i, item in enumerate(review.inputs, 1):
        title, clause = titles.get(item.key, (item.key, ""))
        doc.p(f"{i}. {_(title)} ({clause})")
        data = item.data or {}
        if data.get("figures"):
            doc.p("; ".join(f"{_(f['label'])}: {f['value']}" for f in data["figures"]))
        if item.text:
            doc.p(item.text)
    doc.h(_("II. Diễn biến và kết luận"))
    doc.p(review.minutes or "–")
    doc.h(_("III. Kết luận, hành động"))
    doc.table(["#", _("Loại"), _("Quyết định, hành động"), _("Phụ trách"), _("Hạn"), _("Tình trạng")],
              [[o.seq, str(OUTPUT_KIND_LABELS[o.kind]), o.description, o.owner_label, o.due_on,
                str(OUTPUT_STATUS_LABELS[o.status])] for o in review.outputs])
    doc.signature = [_("CHỦ TRÌ"), review.chair.full_name]
    return doc


def register_rows():
    procs = db.session.scalars(select(Procedure).where(Procedure.status == ISSUED).order_by(Procedure.code))
    for p in procs:
        yield [p.code, p.title, p.unit.code, p.issue_number, p.issued_on, p.effective_on,
               p.last_reviewed_on or p.issued_on]


def build(year: int, today: date, actor) -> bytes:
    """The ZIP's bytes; files are named in order so the inspector reads them as a dossier (in Vietnamese)."""
    with force_locale(services.OFFICIAL_LOCALE):
        return _build(year, today, actor)


def _build(year: int, today: date, actor) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        ann = yearly.latest_announcement()
        if ann is not None:
            zf.writestr("01-quyet-dinh-cong-bo.docx", to_docx(announcement_doc(ann)))
        zf.writestr("02-danh-muc-quy-trinh-hieu-luc.xlsx", xlsx_bytes(
            [_("Mã hiệu"), _("Tên quy trình"), _("Đơn vị"), _("Lần ban hành"), _("Ngày ban hành"),
             _("Ngày hiệu lực"), _("Rà soát gần nhất")], register_rows(), _("Danh mục quy trình")))
        audit = db.session.scalar(select(Audit).join(AuditProgramme).where(AuditProgramme.year == year)
                                  .order_by(Audit.starts_on.desc(), Audit.seq.desc()).limit(1))
        if audit is not None:
            zf.writestr(f"03-danh-gia-noi-bo-{audit.number}.docx", to_docx(audit_doc(audit)))
        review = db.session.scalar(
            select(ManagementReview).where(ManagementReview.year == year,
                                           ManagementReview.status.in_((HELD, APPROVED)))
            .order_by(ManagementReview.meeting_on.desc()).limit(1))
        if review is not None:
            zf.writestr(f"04-xem-xet-cua-lanh-dao-{review.meeting_on:%Y-%m-%d}.docx", to_docx(minutes_doc(review)))
        stmt = capa_queries.register_stmt(MultiDict(), actor, today).options(selectinload(Capa.actions))
        zf.writestr("05-so-theo-doi-capa.xlsx", xlsx_bytes(capa_queries.export_header(_),
                                                          capa_queries.export_rows(stmt, today),
                                                          _("Khắc phục, phòng ngừa")))
        data = services.figures(services.report_for(year), year, today)
        if data.get("objectives"):
            obj = data["objectives"]
            zf.writestr("06-ket-qua-muc-tieu-chat-luong.xlsx", xlsx_bytes(
                [_(c) for c in obj.get("columns", [])], yearly.labelled_rows(obj), _("Mục tiêu chất lượng")))
        zf.writestr(f"07-bao-cao-htqlcl-{year}.docx", services.docx_bytes(services.report_for(year), year, today))
    return buf.getvalue()
