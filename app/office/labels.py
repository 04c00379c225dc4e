"""Translated words of the office feature: messages for refused requests and the printed sheet's labels."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

MESSAGES = {
    "not_in_force": _l("Quy trình không có lần ban hành đang hiệu lực."),
    "unit_inactive": _l("Đơn vị này đã ngừng hoạt động."),
    "copy_not_found": _l("Không tìm thấy bản kiểm soát này."),
    "already_returned": _l("Bản kiểm soát này đã được thu hồi."),
    "unit_already_named": _l("Đơn vị này đã nằm trong danh sách cần đọc."),
    "issue_changed": _l("Quy trình đã có lần ban hành mới. Hãy đọc lần ban hành đang hiệu lực rồi xác nhận lại."),
    "already_acknowledged": _l("Bạn đã xác nhận đọc lần ban hành này; xác nhận không sửa được."),
    "draft_submitted": _l("Dự thảo đang chờ phê duyệt nên không sửa được biểu mẫu."),
    "file_empty": _l("Hãy chọn một tệp để tải lên."),
    "file_too_large": _l("Tệp quá lớn: mỗi biểu mẫu tối đa %(limit)s MB."),
    "bad_name": _l("Tên tệp không hợp lệ hoặc không phải loại được nhận (DOCX, XLSX, PDF, ODT, ODS)."),
    "wrong_content": _l("Nội dung tệp %(name)s không đúng với phần mở rộng của tên tệp, hoặc tệp bị hỏng."),
    "file_not_found": _l("Không tìm thấy tệp này."),
}

COPY_STATUS = {
    "held": _l("Đơn vị đang giữ"),
    "to_recall": _l("Cần thu hồi"),
    "returned": _l("Đã thu hồi"),
}
COPY_BADGES = {"held": "bg-success", "to_recall": "bg-warning text-dark", "returned": "bg-secondary"}


def sheet_labels() -> dict:
    """The printed sheet's words in the reader's language (Vietnamese unless they chose English)."""
    return {
        "code": _("Mã hiệu"), "issue": _("Lần ban hành"), "issued_on": _("Ngày ban hành"),
        "effective_on": _("Ngày hiệu lực"), "page": _("Trang"), "unit": _("Đơn vị chủ trì"),
        "drafted": _("Soạn thảo"), "reviewed": _("Xem xét"), "approved": _("Phê duyệt"),
        "name": _("Họ và tên"), "signature": _("Chữ ký"), "amendments": _("THEO DÕI SỬA ĐỔI TÀI LIỆU"),
        "amend_issue": _("Lần ban hành"), "amend_issued": _("Ngày ban hành"),
        "amend_effective": _("Ngày hiệu lực"), "amend_content": _("Nội dung sửa đổi"),
        "amend_approver": _("Người phê duyệt"), "no_amendments": _("Chưa ban hành lần nào."),
        "procedure": _("QUY TRÌNH"), "legal_bases": _("Căn cứ pháp lý"), "forms": _("Biểu mẫu kèm theo"),
    }

REFUSALS = {
    "damaged": _l("Tệp bị hỏng hoặc không đọc được (không phải tệp Word .docx hợp lệ)."),
    "not_docx": _l("Không phải tệp Word .docx (tệp .doc cũ hãy mở bằng Word và lưu lại dưới dạng .docx)."),
    "too_large": _l("Tệp quá lớn: mỗi tệp Word tối đa 3 MB."),
    "not_procedure": _l("Tệp không có dạng quy trình: không tìm thấy mã hiệu hay các mục Mục đích, Phạm vi, "
                        "Nội dung quy trình."),
    "too_many": _l("Quá nhiều tệp trong một lần nhập (tối đa 50)."),
}

IMPORT_PROBLEMS = {
    "unknown_file": _l("Tệp không còn trong bản xem trước."),
    "bad_code": _l("Mã hiệu không hợp lệ (ví dụ đúng: QT-VP-01)."),
    "duplicate_code": _l("Mã hiệu trùng với một tệp khác trong lần nhập này."),
    "unknown_unit": _l("Hãy chọn đơn vị chủ trì."),
    "title_required": _l("Hãy nhập tên quy trình."),
    "code_exists": _l("Đã có quy trình với mã hiệu này."),
    "in_force_needs_issue": _l("Không đọc được lần ban hành và ngày hiệu lực nên không thể nhập là bản đang hiệu lực."),
}
