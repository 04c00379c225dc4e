"""Generated lines of the audit log, stored as a message key with parameters inside the event's payload
("msg", "msg_params") and rendered in the reader's language. Events recorded before keys existed (or with an
unknown key) show the Vietnamese summary they were written with, which stays in the hashed record as well."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "procedure.create": _l("Tạo quy trình %(code)s"),
    "procedure.save": _l("Lưu dự thảo %(code)s"),
    "procedure.metadata": _l("Sửa thông tin quy trình %(code)s"),
    "procedure.submit": _l("Trình phê duyệt %(code)s"),
    "procedure.reject": _l("Trả lại dự thảo %(code)s"),
    "procedure.issue": _l("Ban hành %(code)s lần %(issue)s"),
    "procedure.withdraw": _l("Bãi bỏ %(code)s"),
    "procedure.import": _l("Nhập quy trình %(code)s"),
    "procedure.transfer": _l("Chuyển %(code)s từ %(old)s sang %(new)s"),
    "unit.merge": _l("Sáp nhập đơn vị %(old)s vào %(new)s"),
    "unit.split": _l("Chuyển %(n)s quy trình từ %(old)s sang %(new)s"),
    "review.record": _l("Ghi nhận rà soát %(code)s năm %(year)s"),
    "review.confirm": _l("Xác nhận rà soát %(code)s năm %(year)s"),
    "review.accept": _l("Chấp nhận rà soát %(code)s năm %(year)s"),
    "review.return": _l("Trả lại rà soát %(code)s năm %(year)s"),
    "review.issue_counted": _l("%(code)s: ban hành lần %(issue)s được tính là rà soát năm %(year)s"),
    "review.join": _l("%(code)s tham gia đợt rà soát năm %(year)s"),
    "capa.action_edit": _l("Sửa hành động %(seq)s của phiếu %(number)s"),
    "capa.action_remove": _l("Bỏ hành động %(seq)s khỏi phiếu %(number)s"),
}


def message(key: str, **params) -> dict:
    """The payload entries that name a generated line: merge into the event's payload."""
    return {"msg": key, "msg_params": params}


def summary_of(event) -> str:
    """The event's line in the current interface language."""
    data = event.data if hasattr(event, "data") else {}
    key = data.get("msg") if isinstance(data, dict) else None
    template = MESSAGES.get(key) if isinstance(key, str) else None
    params = data.get("msg_params") if template is not None else None
    if template is not None and isinstance(params, dict):
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            pass
    return event.summary or ""
