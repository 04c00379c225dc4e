"""Words the review pages, the report and the reminders show for states, outcomes and errors (translatable)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "pending": _l("Chờ rà soát"),
    "recorded": _l("Chờ trưởng đơn vị xác nhận"),
    "confirmed": _l("Chờ Thư ký ISO chấp nhận"),
    "accepted": _l("Đã chấp nhận"),
    "returned": _l("Bị trả lại"),
}
STATUS_BADGES = {
    "pending": "bg-light text-dark border",
    "recorded": "bg-info text-dark",
    "confirmed": "bg-primary",
    "accepted": "bg-success",
    "returned": "bg-warning text-dark",
}
OUTCOME_LABELS = {
    "maintained": _l("Duy trì (không thay đổi)"),
    "updated": _l("Cập nhật"),
    "withdraw": _l("Đề nghị bãi bỏ"),
}
CYCLE_STATUS_LABELS = {"open": _l("Đang mở"), "closed": _l("Đã đóng")}
SOURCE_LABELS = {"unit": _l("Đơn vị rà soát"), "issue": _l("Ban hành sửa đổi"),
                 "change": _l("Rà soát khi có thay đổi")}

ERRORS = {
    "forbidden": _l("Bạn không có quyền thực hiện thao tác này với rà soát này."),
    "cycle_exists": _l("Đợt rà soát năm %(year)s đã có."),
    "another_open": _l("Đợt rà soát năm %(year)s đang mở; hãy đóng đợt đó trước khi mở đợt mới."),
    "bad_year": _l("Năm rà soát không hợp lệ."),
    "deadline_before_year": _l("Hạn hoàn thành không được trước ngày 01/01 của năm rà soát."),
    "meeting_before_year": _l("Ngày họp xem xét của lãnh đạo không được trước ngày 01/01 của năm rà soát."),
    "cycle_closed": _l("Đợt rà soát đã đóng: kết quả chỉ xem được, không sửa được."),
    "already_closed": _l("Đợt rà soát này đã đóng."),
    "procedure_withdrawn": _l("Quy trình đã bãi bỏ nên không cần rà soát."),
    "not_recordable": _l("Rà soát này đã được xác nhận hoặc chấp nhận nên không ghi nhận lại được."),
    "not_recorded": _l("Rà soát chưa được ghi nhận hoặc đã được xác nhận."),
    "not_confirmed": _l("Rà soát chưa được trưởng đơn vị xác nhận."),
    "bad_outcome": _l("Vui lòng chọn kết quả rà soát."),
    "reason_required": _l("Vui lòng nêu lý do đề nghị bãi bỏ."),
    "comment_required": _l("Vui lòng ghi ý kiến khi trả lại."),
    "no_new_revision": _l("Quy trình chưa có bản sửa đổi nào đang soạn: hãy soạn bản cập nhật trước, "
                          "hoặc ghi nhận kết quả “Duy trì”."),
    "not_issued": _l("Quy trình chưa có bản ban hành để rà soát."),
    "nothing_selected": _l("Chưa chọn rà soát nào."),
}


def error_message(exc) -> str:
    template = ERRORS.get(getattr(exc, "key", ""), ERRORS["forbidden"])
    return str(template) % exc.params if exc.params else str(template)


def accepted_by_text(review) -> str:
    """Who accepted: a person, or for a review counted by an issue, the issue itself (never the secretary)."""
    if review.source == "issue":
        if review.accepted_by:
            return _("%(name)s (phê duyệt ban hành lần %(n)s)", name=review.accepted_by.full_name, n=review.issue_number)
        return _("Tự động theo lần ban hành %(n)s", n=review.issue_number)
    return review.accepted_by.full_name if review.accepted_by else ""
