"""The input items the system can assemble today, and the ones the secretary writes (ISO 9001 9.3.2)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.capa.models import CANCELLED, CLOSED, TERMINAL, Capa, CapaAction, CapaVerification
from app.extensions import db
from app.internal_audits.models import FINDING_KINDS, Audit, AuditProgramme
from app.legal import queries as legal_queries
from app.management_review.inputs import N_, InputContext, input_provider, manual_input
from app.management_review.models import OUTPUT_OPEN, ManagementReview, ReviewOutput
from app.objectives import services as objective_services
from app.procedures.models import ISSUED, WITHDRAWN, Procedure, ProcedureRevision
from app.reviews import compliance
from app.timeutil import LOCAL_TZ


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


@input_provider("previous_actions", title=N_("Tình trạng các hành động từ các lần xem xét trước"),
                clause="9.3.2 a", order=10)
def previous_actions(ctx: InputContext) -> dict:
    """Every output of the previous review, and any output of older reviews still open."""
    stmt = (select(ReviewOutput).join(ManagementReview)
            .where(ManagementReview.id != ctx.review.id, ManagementReview.meeting_on <= ctx.until)
            .order_by(ManagementReview.meeting_on, ReviewOutput.seq))
    rows = []
    for out in db.session.scalars(stmt):
        if out.review_id != getattr(ctx.previous, "id", None) and out.status != OUTPUT_OPEN:
            continue
        rows.append([out.review.meeting_on, out.seq, out.description, out.owner_label, out.due_on,
                     out.status, out.result or "", out.capa.number if out.capa else ""])
    open_count = sum(1 for r in rows if r[5] == OUTPUT_OPEN)
    return {"figures": [{"label": N_("Số hành động"), "value": len(rows)},
                        {"label": N_("Còn mở"), "value": open_count}],
            "columns": [N_("Cuộc họp"), N_("STT"), N_("Nội dung"), N_("Phụ trách"), N_("Hạn"),
                        N_("Tình trạng"), N_("Kết quả"), N_("Phiếu CAPA")],
            "rows": rows, "status_column": 5}


@input_provider("changes", title=N_("Thay đổi về các vấn đề nội bộ và bên ngoài liên quan đến hệ thống"),
                clause="9.3.2 b", order=20)
def changes(ctx: InputContext) -> dict:
    """Procedures issued or withdrawn since the previous review; units created or changed."""
    start, end = _utc(ctx.since), _utc(ctx.until + timedelta(days=1))
    issued = db.session.execute(
        select(Procedure.code, Procedure.title, ProcedureRevision.issue_number, ProcedureRevision.issued_at)
        .join(Procedure, Procedure.id == ProcedureRevision.procedure_id)
        .where(ProcedureRevision.issued_at >= start, ProcedureRevision.issued_at < end)
        .order_by(ProcedureRevision.issued_at)).all()
    withdrawn = db.session.execute(
        select(Procedure.code, Procedure.title, Procedure.withdrawn_on)
        .where(Procedure.status == WITHDRAWN, Procedure.withdrawn_on >= ctx.since,
               Procedure.withdrawn_on <= ctx.until).order_by(Procedure.withdrawn_on)).all()
    units = db.session.execute(
        select(AuditEvent.occurred_at, AuditEvent.summary)
        .where(AuditEvent.object_type == "unit", AuditEvent.occurred_at >= start, AuditEvent.occurred_at < end)
        .order_by(AuditEvent.id)).all()
    rows = [[N_("Ban hành"), code, title, n, at.astimezone(LOCAL_TZ).date()] for code, title, n, at in issued]
    rows += [[N_("Bãi bỏ"), code, title, "", on] for code, title, on in withdrawn]
    rows += [[N_("Đơn vị"), "", summary, "", at.astimezone(LOCAL_TZ).date()] for at, summary in units]
    return {"figures": [{"label": N_("Lần ban hành mới"), "value": len(issued)},
                        {"label": N_("Quy trình bãi bỏ"), "value": len(withdrawn)},
                        {"label": N_("Thay đổi về đơn vị"), "value": len(units)}],
            "columns": [N_("Loại"), N_("Mã hiệu"), N_("Nội dung"), N_("Lần ban hành"), N_("Ngày")],
            "rows": rows, "translate_column": 0}


OBJECTIVE_STATUS = {"met": N_("Đạt"), "at_risk": N_("Có nguy cơ không đạt"), "not_met": N_("Không đạt"),
                    "no_data": N_("Chưa có số liệu")}


@input_provider("objectives", title=N_("Kết quả thực hiện mục tiêu chất lượng"), clause="9.3.2 c 2", order=30,
                hint=N_("Nhận xét về kết quả các mục tiêu chất lượng của năm."))
def objectives(ctx: InputContext) -> dict | None:
    """Each indicator's figure and status for the year, as the quality objectives feature computes them."""
    results = objective_services.year_results(ctx.year, ctx.until)
    if not results:
        return None
    rows = [[obj["code"], ind["name"], _target(ind), ind["label"], ind["status"]]
            for obj in results for ind in obj["indicators"]]
    count = {status: sum(1 for r in rows if r[4] == status) for status in OBJECTIVE_STATUS}
    return {"figures": [{"label": N_("Chỉ tiêu đạt"), "value": count["met"]},
                        {"label": N_("Có nguy cơ không đạt"), "value": count["at_risk"]},
                        {"label": N_("Không đạt"), "value": count["not_met"]},
                        {"label": N_("Chưa có số liệu"), "value": count["no_data"]}],
            "columns": [N_("Mục tiêu"), N_("Chỉ tiêu"), N_("Chỉ tiêu phải đạt"), N_("Kết quả"), N_("Đánh giá")],
            "rows": rows, "labels": {"4": OBJECTIVE_STATUS}}


def _target(ind: dict) -> str:
    target = ind.get("target")
    number = f"{target:g}" if isinstance(target, (int, float)) else str(target or "")
    return " ".join(p for p in (ind.get("direction") or "", number, ind.get("measure") or "") if p)


LEGAL_CHANGE = {"amended": N_("Được sửa đổi, bổ sung"), "partly_replaced": N_("Bị thay thế một phần"),
                "replaced": N_("Bị thay thế"), "repealed": N_("Bị bãi bỏ")}


@input_provider("legal_changes", title=N_("Thay đổi của văn bản pháp luật làm căn cứ cho quy trình"),
                clause="9.3.2 b", order=21)
def legal_changes(ctx: InputContext) -> dict:
    """Legal documents amended, replaced or repealed since the previous review, and the reviews they set off."""
    changes = legal_queries.changes_between(ctx.since, ctx.until)
    rows = [[pc.change.recorded_on, pc.change.document.number, pc.change.kind,
             pc.change.by_document.number if pc.change.by_document else "",
             ", ".join(r.procedure.code for r in pc.reviews), f"{pc.done}/{len(pc.reviews)}"] for pc in changes]
    return {"figures": [{"label": N_("Văn bản thay đổi"), "value": len(changes)},
                        {"label": N_("Quy trình phải rà soát lại"), "value": sum(len(pc.reviews) for pc in changes)},
                        {"label": N_("Đã rà soát xong"), "value": sum(pc.done for pc in changes)}],
            "columns": [N_("Ngày ghi nhận"), N_("Văn bản"), N_("Thay đổi"), N_("Văn bản thay đổi"),
                        N_("Quy trình bị ảnh hưởng"), N_("Đã rà soát")],
            "rows": rows, "labels": {"2": LEGAL_CHANGE}}


@input_provider("objective4", title=N_("Mục tiêu 4: rà soát quy trình hằng năm"), clause="9.3.2 c 2", order=32)
def objective4(ctx: InputContext) -> dict:
    result = compliance.year_compliance(ctx.year, ctx.until)
    return {"figures": [{"label": N_("Quy trình phải rà soát"), "value": result.total},
                        {"label": N_("Đã rà soát"), "value": result.reviewed},
                        {"label": N_("Tỷ lệ (%)"), "value": result.pct},
                        {"label": N_("Quá hạn"), "value": result.overdue}],
            "columns": [N_("Đơn vị"), N_("Phải rà soát"), N_("Đã rà soát"), N_("Tỷ lệ (%)")],
            "rows": [[u.code, u.total, u.reviewed, u.pct] for u in result.units]}


manual_input("satisfaction", title=N_("Sự hài lòng của tổ chức, cá nhân và phản hồi (Mục tiêu 3)"),
             clause="9.3.2 c 1", order=40,
             hint=N_("Kết quả khảo sát, số phản ánh, kiến nghị, khiếu nại và cách đã xử lý."))
manual_input("on_time", title=N_("Hồ sơ thủ tục hành chính trả đúng hạn (Mục tiêu 2)"), clause="9.3.2 c 2",
             order=45, hint=N_("Số hồ sơ tiếp nhận, trả đúng hạn, trễ hạn theo hệ thống một cửa (iGate); "
                                "xếp loại theo phiếu chấm điểm."))


@input_provider("capa", title=N_("Sự không phù hợp và hành động khắc phục"), clause="9.3.2 c 3", order=50)
def capa(ctx: InputContext) -> dict:
    year_start, end = _utc(date(ctx.year, 1, 1)), _utc(ctx.until + timedelta(days=1))
    open_count = db.session.scalar(select(func.count()).select_from(Capa).where(Capa.status.not_in(TERMINAL))) or 0
    overdue = db.session.scalar(
        select(func.count(func.distinct(Capa.id))).select_from(Capa).join(CapaAction)
        .where(Capa.status.not_in(TERMINAL), CapaAction.done_on.is_(None), CapaAction.due_on < ctx.until)) or 0
    raised = db.session.scalar(select(func.count()).select_from(Capa).where(Capa.year == ctx.year)) or 0
    closed = db.session.scalar(select(func.count()).select_from(Capa).where(
        Capa.status == CLOSED, Capa.closed_at >= year_start, Capa.closed_at < end)) or 0
    cancelled = db.session.scalar(select(func.count()).select_from(Capa).where(
        Capa.status == CANCELLED, Capa.cancelled_at >= year_start, Capa.cancelled_at < end)) or 0
    checks = dict(db.session.execute(
        select(CapaVerification.effective, func.count()).where(
            CapaVerification.verified_on >= date(ctx.year, 1, 1), CapaVerification.verified_on <= ctx.until)
        .group_by(CapaVerification.effective)).all())
    by_source = db.session.execute(select(Capa.source, func.count()).where(Capa.year == ctx.year)
                                   .group_by(Capa.source).order_by(Capa.source)).all()
    return {"figures": [{"label": N_("Phiếu lập trong năm"), "value": raised},
                        {"label": N_("Đang mở"), "value": open_count},
                        {"label": N_("Quá hạn"), "value": overdue},
                        {"label": N_("Đã đóng trong năm"), "value": closed},
                        {"label": N_("Đã hủy trong năm"), "value": cancelled},
                        {"label": N_("Kiểm tra: có hiệu quả"), "value": checks.get(True, 0)},
                        {"label": N_("Kiểm tra: chưa hiệu quả"), "value": checks.get(False, 0)}],
            "columns": [N_("Nguồn"), N_("Số phiếu")], "rows": [[s, n] for s, n in by_source],
            "source_column": 0}


@input_provider("procedures", title=N_("Kết quả theo dõi, đo lường quá trình: danh mục quy trình"),
                clause="9.3.2 c 4", order=55)
def procedures(ctx: InputContext) -> dict:
    in_force = db.session.scalar(select(func.count()).select_from(Procedure).where(Procedure.status == ISSUED)) or 0
    drafts = db.session.scalar(select(func.count()).select_from(Procedure)
                               .where(Procedure.draft_state.is_not(None))) or 0
    total, stale = compliance.stale_procedures(ctx.until, limit=20)
    return {"figures": [{"label": N_("Quy trình đang hiệu lực"), "value": in_force},
                        {"label": N_("Đang soạn thảo, sửa đổi"), "value": drafts},
                        {"label": N_("Chưa rà soát trong 12 tháng"), "value": total}],
            "columns": [N_("Mã hiệu"), N_("Tên quy trình"), N_("Rà soát gần nhất")],
            "rows": [[p.code, p.title, p.last_reviewed_on or p.issued_on] for p in stale]}


@input_provider("audits", title=N_("Kết quả đánh giá nội bộ"), clause="9.3.2 c 5", order=60)
def audits(ctx: InputContext) -> dict:
    stmt = (select(Audit).join(AuditProgramme).where(AuditProgramme.year == ctx.year)
            .order_by(Audit.starts_on, Audit.seq))
    rows, totals = [], dict.fromkeys(FINDING_KINDS, 0)
    for a in db.session.scalars(stmt):
        counts = {k: a.count(k) for k in FINDING_KINDS}
        for k, n in counts.items():
            totals[k] += n
        rows.append([a.number, a.unit_code, a.starts_on, a.status, counts["nc"], counts["observation"],
                     counts["ofi"], a.conclusion])
    return {"figures": [{"label": N_("Cuộc đánh giá"), "value": len(rows)},
                        {"label": N_("Điểm không phù hợp"), "value": totals["nc"]},
                        {"label": N_("Điểm cần lưu ý"), "value": totals["observation"]},
                        {"label": N_("Cơ hội cải tiến"), "value": totals["ofi"]}],
            "columns": [N_("Số"), N_("Đơn vị"), N_("Ngày"), N_("Trạng thái"), N_("KPH"), N_("Lưu ý"),
                        N_("Cải tiến"), N_("Kết luận")],
            "rows": rows, "audit_status_column": 3}


manual_input("external_providers", title=N_("Kết quả thực hiện của nhà cung cấp bên ngoài"), clause="9.3.2 c 6",
             order=65, hint=N_("Dịch vụ thuê ngoài (phần mềm một cửa, bưu chính công ích...) và đánh giá."))
manual_input("resources", title=N_("Sự đầy đủ của nguồn lực"), clause="9.3.2 d", order=70,
             hint=N_("Nhân sự, kinh phí, trang thiết bị, hạ tầng công nghệ thông tin."))
manual_input("risks", title=N_("Hiệu lực của các hành động giải quyết rủi ro và cơ hội"), clause="9.3.2 e",
             order=80, hint=N_("Rủi ro đã nhận diện, biện pháp đã thực hiện và kết quả."))
manual_input("improvements", title=N_("Cơ hội cải tiến"), clause="9.3.2 f", order=90,
             hint=N_("Đề xuất cải tiến của các phòng, đơn vị."))
