"""Words the internal audit pages show for states, kinds, answers and errors (translatable)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

PROGRAMME_STATUS_LABELS = {"draft": _l("Chờ phê duyệt"), "approved": _l("Đã phê duyệt")}

AUDIT_STATUS_LABELS = {
    "planned": _l("Đã lập kế hoạch"),
    "notified": _l("Đã thông báo"),
    "in_progress": _l("Đang đánh giá"),
    "reported": _l("Đã báo cáo"),
    "closed": _l("Đã kết thúc"),
}

AUDIT_STATUS_BADGES = {"planned": "bg-light text-dark border", "notified": "bg-info text-dark",
                       "in_progress": "bg-warning text-dark", "reported": "bg-primary", "closed": "bg-secondary"}

FINDING_KIND_LABELS = {
    "nc": _l("Điểm không phù hợp"),
    "observation": _l("Điểm cần lưu ý"),
    "ofi": _l("Cơ hội cải tiến"),
}

CHECK_RESULT_LABELS = {"conform": _l("Phù hợp"), "nonconform": _l("Không phù hợp"), "na": _l("Không áp dụng")}

ERRORS = {
    "forbidden": _l("Bạn không có quyền thực hiện thao tác này."),
    "invalid_year": _l("Năm không hợp lệ."),
    "programme_exists": _l("Năm %(year)s đã có chương trình đánh giá."),
    "title_required": _l("Hãy nhập tên chương trình."),
    "already_approved": _l("Chương trình đã được phê duyệt."),
    "programme_empty": _l("Chương trình chưa có cuộc đánh giá nào."),
    "auditor_own_unit": _l("%(name)s thuộc đơn vị được đánh giá: chuyên gia không được đánh giá đơn vị mình."),
    "unit_required": _l("Hãy chọn đơn vị được đánh giá."),
    "dates_required": _l("Hãy nhập ngày bắt đầu và ngày kết thúc."),
    "dates_order": _l("Ngày kết thúc phải sau ngày bắt đầu."),
    "date_outside_year": _l("Cuộc đánh giá phải diễn ra trong năm %(year)s."),
    "lead_required": _l("Hãy chọn trưởng đoàn đánh giá."),
    "scope_required": _l("Hãy chọn ít nhất một quy trình trong phạm vi đánh giá."),
    "procedure_not_issued": _l("Quy trình %(code)s chưa ban hành hoặc đã bãi bỏ."),
    "wrong_state": _l("Cuộc đánh giá không ở trạng thái cho phép thao tác này."),
    "programme_not_approved": _l("Chương trình đánh giá chưa được Lãnh đạo phê duyệt."),
    "findings_frozen": _l("Cuộc đánh giá đã báo cáo: các phát hiện không thể thay đổi."),
    "not_in_progress": _l("Chỉ ghi nhận khi cuộc đánh giá đang diễn ra."),
    "unknown_item": _l("Câu hỏi không thuộc cuộc đánh giá này."),
    "invalid_result": _l("Hãy chọn kết quả."),
    "question_required": _l("Hãy nhập câu hỏi."),
    "invalid_kind": _l("Loại phát hiện không hợp lệ."),
    "description_required": _l("Hãy mô tả phát hiện."),
    "evidence_required": _l("Hãy ghi bằng chứng khách quan."),
    "procedure_not_in_scope": _l("Quy trình không thuộc phạm vi cuộc đánh giá."),
    "conclusion_required": _l("Hãy nhập kết luận của đoàn đánh giá."),
    "capa_not_verified": _l("Các phiếu %(numbers)s chưa được kiểm tra hiệu quả: hãy ghi lý do kết thúc."),
}


def error_message(exc) -> str:
    message = str(ERRORS.get(getattr(exc, "key", ""), ERRORS["wrong_state"]))
    return message % exc.params if getattr(exc, "params", None) else message
