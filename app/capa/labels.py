"""Words the CAPA pages show for kinds, sources, states, timeline events and errors (translatable)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "corrective": _l("Hành động khắc phục"),
    "preventive": _l("Hành động phòng ngừa"),
}

SOURCE_LABELS = {
    "objective": _l("Mục tiêu chất lượng không đạt"),
    "review": _l("Phát hiện khi rà soát hằng năm"),
    "audit": _l("Đánh giá nội bộ"),
    "complaint": _l("Khiếu nại, phản ánh"),
    "management_review": _l("Xem xét của lãnh đạo"),
    "other": _l("Nguồn khác"),
}

STATUS_LABELS = {
    "proposed": _l("Đề xuất"),
    "open": _l("Đã tiếp nhận"),
    "analysed": _l("Đã phân tích nguyên nhân"),
    "planned": _l("Đã lập kế hoạch"),
    "in_progress": _l("Đang thực hiện"),
    "verified": _l("Đã kiểm tra hiệu quả"),
    "closed": _l("Đã đóng"),
    "cancelled": _l("Đã hủy"),
}

STATUS_BADGES = {
    "proposed": "bg-light text-dark border",
    "open": "bg-info text-dark",
    "analysed": "bg-primary",
    "planned": "bg-primary",
    "in_progress": "bg-warning text-dark",
    "verified": "bg-success",
    "closed": "bg-secondary",
    "cancelled": "bg-dark",
}

# what comes next, shown on the record page
NEXT_STEP = {
    "proposed": _l("Thư ký ISO tiếp nhận và giao đơn vị chịu trách nhiệm."),
    "open": _l("Đơn vị chịu trách nhiệm phân tích nguyên nhân."),
    "analysed": _l("Đơn vị lập kế hoạch hành động rồi xác nhận kế hoạch."),
    "planned": _l("Đơn vị bắt đầu thực hiện các hành động."),
    "in_progress": _l("Đơn vị hoàn thành các hành động; sau đó Thư ký ISO hoặc Lãnh đạo kiểm tra hiệu quả."),
    "awaiting_verification": _l("Mọi hành động đã hoàn thành: Thư ký ISO hoặc Lãnh đạo kiểm tra hiệu quả."),
    "verified": _l("Thư ký ISO hoặc Lãnh đạo đóng phiếu."),
    "closed": _l("Phiếu đã đóng."),
    "cancelled": _l("Phiếu đã hủy."),
}

EVENT_LABELS = {
    "capa.create": _l("Lập phiếu"),
    "capa.accept": _l("Tiếp nhận, giao đơn vị"),
    "capa.action_edit": _l("Sửa hành động"),
    "capa.action_remove": _l("Bỏ hành động"),
    "capa.analyse": _l("Phân tích nguyên nhân"),
    "capa.action_add": _l("Thêm hành động"),
    "capa.plan": _l("Xác nhận kế hoạch"),
    "capa.start": _l("Bắt đầu thực hiện"),
    "capa.action_done": _l("Hoàn thành hành động"),
    "capa.verify": _l("Kiểm tra hiệu quả: có hiệu quả"),
    "capa.verify_failed": _l("Kiểm tra hiệu quả: chưa hiệu quả"),
    "capa.close": _l("Đóng phiếu"),
    "capa.cancel": _l("Hủy phiếu"),
    "capa.link_procedure": _l("Liên kết quy trình"),
}

ERRORS = {
    "forbidden": _l("Bạn không có quyền thực hiện thao tác này với phiếu này."),
    "wrong_state": _l("Phiếu đang ở trạng thái không cho phép thao tác này."),
    "unit_required": _l("Vui lòng chọn đơn vị chịu trách nhiệm."),
    "title_required": _l("Vui lòng nhập tiêu đề."),
    "description_required": _l("Vui lòng mô tả sự không phù hợp hoặc rủi ro."),
    "invalid_kind": _l("Loại hành động không hợp lệ."),
    "invalid_source": _l("Nguồn phát hiện không hợp lệ."),
    "unknown_review": _l("Không tìm thấy kết quả rà soát được liên kết."),
    "root_cause_required": _l("Vui lòng nêu nguyên nhân gốc rễ."),
    "similar_required": _l("Vui lòng cho biết vấn đề tương tự có xảy ra ở nơi khác không."),
    "action_description_required": _l("Vui lòng mô tả hành động."),
    "due_required": _l("Vui lòng chọn hạn hoàn thành."),
    "due_in_past": _l("Hạn hoàn thành không được ở trong quá khứ."),
    "no_such_action": _l("Không có hành động này trong phiếu."),
    "action_done": _l("Hành động đã hoàn thành nên không sửa hoặc bỏ được."),
    "owner_required": _l("Vui lòng chọn đơn vị hoặc người thực hiện."),
    "no_open_actions": _l("Kế hoạch cần ít nhất một hành động chưa hoàn thành."),
    "action_done": _l("Hành động này đã hoàn thành."),
    "effective_required": _l("Vui lòng chọn kết quả: có hiệu quả hay chưa hiệu quả."),
    "evidence_required": _l("Vui lòng ghi bằng chứng."),
    "future_date": _l("Ngày không được sau hôm nay."),
    "open_actions": _l("Còn hành động chưa hoàn thành: chưa thể kiểm tra hiệu quả hoặc đóng phiếu."),
    "not_verified": _l("Chưa có kết quả kiểm tra hiệu quả đạt yêu cầu: chưa thể đóng phiếu."),
    "reason_required": _l("Vui lòng nêu lý do hủy phiếu."),
    "already_linked": _l("Quy trình này đã được liên kết với phiếu."),
    "unknown_procedure": _l("Không tìm thấy quy trình."),
}


def error_message(exc) -> str:
    return str(ERRORS.get(getattr(exc, "key", ""), _l("Thao tác không thực hiện được.")))
