"""Words the management review and report pages show for states, kinds and errors (translatable)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {"planned": _l("Chuẩn bị họp"), "held": _l("Đã họp"), "approved": _l("Biên bản đã phê duyệt")}
STATUS_BADGES = {"planned": "bg-info text-dark", "held": "bg-warning text-dark", "approved": "bg-success"}

OUTPUT_KIND_LABELS = {
    "improvement": _l("Cơ hội cải tiến"),
    "change": _l("Thay đổi hệ thống quản lý chất lượng"),
    "resources": _l("Nhu cầu nguồn lực"),
    "other": _l("Quyết định khác"),
}
OUTPUT_STATUS_LABELS = {"open": _l("Đang thực hiện"), "done": _l("Đã hoàn thành"), "cancelled": _l("Đã hủy")}

ERRORS = {
    "forbidden": _l("Bạn không có quyền thực hiện thao tác này."),
    "invalid_year": _l("Năm không hợp lệ."),
    "title_required": _l("Hãy nhập tên cuộc họp."),
    "date_required": _l("Hãy nhập ngày."),
    "chair_required": _l("Hãy chọn người chủ trì."),
    "inputs_frozen": _l("Cuộc họp đã diễn ra: đầu vào đã được chốt, không thể sửa."),
    "unknown_input": _l("Mục đầu vào không tồn tại."),
    "wrong_state": _l("Cuộc họp không ở trạng thái cho phép thao tác này."),
    "meeting_in_future": _l("Chưa đến ngày họp: chỉ ghi nhận cuộc họp sau khi đã diễn ra."),
    "minutes_required": _l("Hãy ghi biên bản trước khi trình phê duyệt."),
    "invalid_kind": _l("Loại kết luận không hợp lệ."),
    "description_required": _l("Hãy nhập nội dung."),
    "due_required": _l("Hãy nhập hạn hoàn thành."),
    "owner_required": _l("Hãy chọn đơn vị hoặc người phụ trách."),
    "output_closed": _l("Kết luận này đã hoàn thành."),
    "result_required": _l("Hãy ghi kết quả thực hiện."),
    "future_date": _l("Ngày không được sau hôm nay."),
    "capa_exists": _l("Kết luận này đã có phiếu CAPA."),
    "owner_unit_required": _l("Kết luận cần có đơn vị phụ trách để lập phiếu CAPA."),
    # yearly report and announcement
    "report_final": _l("Báo cáo đã phát hành: không thể sửa."),
    "report_not_saved": _l("Hãy lưu báo cáo trước khi phát hành."),
    "number_required": _l("Hãy nhập số văn bản."),
    "number_exists": _l("Số quyết định này đã được ghi nhận."),
    "signer_required": _l("Hãy nhập người ký."),
    "scope_required": _l("Hãy chọn các quy trình thuộc phạm vi công bố."),
}


def error_message(exc) -> str:
    message = str(ERRORS.get(getattr(exc, "key", ""), ERRORS["wrong_state"]))
    return message % exc.params if getattr(exc, "params", None) else message
