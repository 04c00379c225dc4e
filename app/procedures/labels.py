"""Words the procedure pages show for states and errors (translatable)."""
from __future__ import annotations

import re

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
    "issue_pending": _l("Lần ban hành %(number)s chưa đến ngày hiệu lực (%(on)s). Lần ban hành tiếp theo chỉ "
                        "được phê duyệt sau ngày đó."),
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
    "unit_required": _l("Vui lòng chọn đơn vị chủ trì (mã quy trình không cho biết đơn vị)."),
    "unit_mismatch": _l("Mã %(code)s thuộc đơn vị %(named)s nhưng đơn vị chủ trì được chọn là %(chosen)s. "
                        "Hãy chọn đúng đơn vị hoặc sửa mã."),
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
    text = str(STORE_ERRORS.get(getattr(exc, "code", ""), _l("Dữ liệu quy trình không hợp lệ.")))
    params = getattr(exc, "params", None)
    return text % params if params else text


def database_error_message(exc) -> str:
    text = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in text or "read-only" in text or "disk" in text and "full" in text or "no space" in text:
        return str(STORE_UNAVAILABLE)
    return str(DATABASE_BUSY)


# the store's own commit messages, recognised so that history reads in the interface language
# (a message someone typed is shown as typed)
_COMMIT_TITLES = [
    (re.compile(r"^Cập nhật dự thảo (?P<code>\S+)$"), _l("Cập nhật dự thảo %(code)s")),
    (re.compile(r"^Tạo dự thảo (?P<code>\S+): (?P<title>.+)$"), _l("Tạo dự thảo %(code)s: %(title)s")),
    (re.compile(r"^Sửa thông tin quy trình (?P<code>\S+)$"), _l("Sửa thông tin quy trình %(code)s")),
    (re.compile(r"^Ban hành (?P<code>\S+) lần (?P<n>\d+)$"), _l("Ban hành %(code)s lần %(n)s")),
    (re.compile(r"^Nhập quy trình (?P<code>\S+): (?P<title>.+)$"), _l("Nhập quy trình %(code)s: %(title)s")),
]


def commit_title(summary: str) -> str:
    for pattern, template in _COMMIT_TITLES:
        found = pattern.match(summary or "")
        if found:
            return str(template) % found.groupdict()
    return summary or ""
