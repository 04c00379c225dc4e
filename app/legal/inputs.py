"""The management review's input item on legal changes (ISO 9001 9.3.2 b: changes in external issues)."""
from __future__ import annotations

from app.legal.queries import changes_between
from app.management_review.inputs import N_, InputContext, input_provider

# the same Vietnamese source strings as the register's labels, so the frozen pack translates when shown
CHANGE_MSGIDS = {"amended": N_("Được sửa đổi, bổ sung"), "partly_replaced": N_("Bị thay thế một phần"),
                 "replaced": N_("Bị thay thế"), "repealed": N_("Bị bãi bỏ")}


@input_provider("legal_changes", title=N_("Thay đổi của văn bản pháp luật mà quy trình viện dẫn"), clause="9.3.2 b",
                order=22)
def legal_changes(ctx: InputContext) -> dict:
    """Legal documents recorded as amended, replaced or repealed since the previous review, with the reviews of
    the procedures they flagged (done / flagged)."""
    rows, flagged, done = [], 0, 0
    for pc in changes_between(ctx.since, ctx.until):
        c = pc.change
        flagged += len(pc.reviews)
        done += pc.done
        rows.append([c.recorded_on, c.document.number, c.document.title, c.kind,
                     c.by_document.number if c.by_document else "", c.effective_on,
                     ", ".join(r.procedure.code for r in pc.reviews), f"{pc.done}/{len(pc.reviews)}"])
    return {"figures": [{"label": N_("Văn bản thay đổi"), "value": len(rows)},
                        {"label": N_("Quy trình phải rà soát"), "value": flagged},
                        {"label": N_("Đã rà soát xong"), "value": done}],
            "columns": [N_("Ngày ghi nhận"), N_("Văn bản"), N_("Trích yếu"), N_("Thay đổi"), N_("Bởi văn bản"),
                        N_("Hiệu lực từ"), N_("Quy trình"), N_("Đã rà soát")],
            "rows": rows, "labels": {"3": CHANGE_MSGIDS}}
