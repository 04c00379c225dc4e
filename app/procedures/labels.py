"""Words the procedure pages show for states and errors (translatable)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "draft": _l("Dự thảo"),
    "issued": _l("Đang hiệu lực"),
    "withdrawn": _l("Đã bãi bỏ"),
}
DRAFT_STATE_LABELS = {
    "editing": _l("Đang soạn thảo"),
    "submitted": _l("Chờ phê duyệt"),
}
STATUS_BADGES = {"draft": "bg-warning text-dark", "issued": "bg-success", "withdrawn": "bg-secondary"}

WORKFLOW_ERRORS = {
    "forbidden": _l("Bạn không có quyền thực hiện thao tác này với quy trình này."),
    "draft_submitted": _l("Dự thảo đang chờ phê duyệt nên không sửa được. Lãnh đạo cần trả lại trước."),
    "nothing_to_submit": _l("Không có dự thảo nào để trình phê duyệt (có thể dự thảo vừa được người khác trình). "
                            "Hãy xem trạng thái mới trên trang này."),
    "not_submitted": _l("Dự thảo không ở trạng thái chờ phê duyệt (có thể vừa được người khác phê duyệt hoặc "
                        "trả lại). Hãy xem trạng thái mới trên trang này."),
    "comment_required": _l("Vui lòng ghi ý kiến khi trả lại dự thảo."),
    "effective_before_issue": _l("Ngày hiệu lực không được trước ngày ban hành."),
    "already_withdrawn": _l("Quy trình này đã bị bãi bỏ."),
    "reason_required": _l("Vui lòng nêu lý do bãi bỏ."),
    "already_handled": _l("Quy trình vừa được người khác xử lý trước bạn (trình, phê duyệt, trả lại hoặc bãi bỏ). "
                          "Thao tác của bạn không được thực hiện; hãy xem trạng thái mới trên trang này."),
}

STORE_ERRORS = {
    "invalid_code": _l("Mã quy trình không hợp lệ. Dạng đúng: QT-VP-01 (chữ in hoa không dấu, số, gạch nối)."),
    "exists": _l("Mã quy trình này đã tồn tại."),
    "too_large": _l("Nội dung quá lớn (tối đa 1 MB)."),
    "missing_field": _l("Thiếu thông tin bắt buộc."),
    "invalid_field": _l("Thông tin không hợp lệ."),
    "invalid_unit": _l("Mã đơn vị không hợp lệ."),
    "unknown_unit": _l("Đơn vị không tồn tại."),
    "bad_front_matter": _l("Phần thông tin đầu tệp không đúng định dạng."),
}


STORE_BUSY = _l("Kho quy trình đang bận vì một thao tác khác đang ghi. Nội dung bạn nhập vẫn được giữ nguyên; "
                "vui lòng thử lại sau ít giây.")
STORE_UNAVAILABLE = _l("Không ghi được vào kho lưu trữ (ổ đĩa chỉ đọc, đã đầy hoặc không có quyền ghi). Nội dung "
                       "bạn nhập vẫn được giữ nguyên và chưa có gì bị thay đổi; vui lòng báo quản trị hệ thống.")
DATABASE_BUSY = _l("Cơ sở dữ liệu đang bận. Nội dung bạn nhập vẫn được giữ nguyên; vui lòng thử lại sau ít giây.")


def store_error_message(exc) -> str:
    from app.store import StoreBusy, StoreUnavailable

    if isinstance(exc, StoreBusy):
        return str(STORE_BUSY)
    if isinstance(exc, StoreUnavailable):
        return str(STORE_UNAVAILABLE)
    return str(STORE_ERRORS.get(getattr(exc, "code", ""), _l("Dữ liệu quy trình không hợp lệ.")))


def database_error_message(exc) -> str:
    text = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in text or "read-only" in text or "disk" in text and "full" in text or "no space" in text:
        return str(STORE_UNAVAILABLE)
    return str(DATABASE_BUSY)
