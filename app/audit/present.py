"""How audit events read on the page: labels of actions and objects, and what changed (before -> after)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.audit.timeline import KINDS

ACTION_LABELS = {
    "procedure.create": _l("Tạo quy trình"),
    "procedure.import": _l("Nhập quy trình"),
    "procedure.save": _l("Lưu dự thảo"),
    "procedure.metadata": _l("Sửa thông tin quy trình"),
    "procedure.submit": _l("Trình phê duyệt"),
    "procedure.reject": _l("Trả lại dự thảo"),
    "procedure.issue": _l("Ban hành"),
    "procedure.withdraw": _l("Bãi bỏ"),
    "procedure.recovered": _l("Ghi nhận lại thay đổi chưa có nhật ký"),
    "auth.login": _l("Đăng nhập"),
    "auth.login_failed": _l("Đăng nhập sai"),
    "auth.login_throttled": _l("Đăng nhập bị tạm khóa"),
    "account.create": _l("Tạo tài khoản"),
    "account.update": _l("Sửa tài khoản"),
    "account.reset_password": _l("Đặt lại mật khẩu"),
    "account.change_password": _l("Đổi mật khẩu"),
    "unit.create": _l("Tạo đơn vị"),
    "unit.update": _l("Sửa đơn vị"),
    "unit.merge": _l("Sáp nhập đơn vị"),
    "unit.split": _l("Chuyển quy trình sang đơn vị khác"),
    "procedure.transfer": _l("Chuyển quy trình sang đơn vị khác"),
    "capa.transfer": _l("Chuyển phiếu sang đơn vị khác"),
    "review_cycle.open": _l("Mở đợt rà soát"),
    "review_cycle.update": _l("Sửa đợt rà soát"),
    "review_cycle.close": _l("Đóng đợt rà soát"),
    "review.record": _l("Ghi nhận rà soát"),
    "review.confirm": _l("Xác nhận rà soát"),
    "review.accept": _l("Chấp nhận rà soát"),
    "review.return": _l("Trả lại rà soát"),
    "review.join": _l("Tham gia đợt rà soát"),
    "review.issue_counted": _l("Ban hành được tính là rà soát"),
    "review.transfer": _l("Chuyển rà soát sang đơn vị khác"),
    "store.commit": _l("Commit trong kho"),
    "store.issue": _l("Thẻ ban hành"),
    "store.withdrawal": _l("Thẻ bãi bỏ"),
}

OBJECT_LABELS = {
    "procedure": _l("Quy trình"),
    "account": _l("Tài khoản"),
    "unit": _l("Đơn vị"),
    "review": _l("Rà soát"),
    "review_cycle": _l("Đợt rà soát"),
    "cycle": _l("Đợt rà soát"),
    "unit_review": _l("Rà soát của đơn vị"),
    "capa": _l("Khắc phục, phòng ngừa"),
    "capa_action": _l("Hành động khắc phục"),
    "user": _l("Tài khoản"),
    "objectives": _l("Mục tiêu chất lượng"),
}

SOURCE_LABELS = {
    "event": _l("Nhật ký"),
    "commit": _l("Commit"),
    "issue": _l("Ban hành"),
    "withdrawal": _l("Bãi bỏ"),
}

FIELD_LABELS = {
    "title": _l("Tên"), "unit": _l("Đơn vị"), "legal_bases": _l("Căn cứ pháp lý"), "username": _l("Tên đăng nhập"),
    "full_name": _l("Họ và tên"), "email": _l("Thư điện tử"), "active": _l("Đang hoạt động"),
    "roles": _l("Vai trò"), "name": _l("Tên"), "code": _l("Mã"), "revision": _l("Phiên bản (commit)"),
    "base": _l("Phiên bản gốc"), "message": _l("Ghi chú"), "issue": _l("Lần ban hành"),
    "effective_on": _l("Ngày hiệu lực"), "issued_on": _l("Ngày ban hành"), "reason": _l("Lý do"),
    "withdrawn_on": _l("Ngày bãi bỏ"), "comment": _l("Ý kiến"), "ip": _l("Địa chỉ IP"), "locked": _l("Bị khóa"),
    "status": _l("Trạng thái"), "drafted_by": _l("Người soạn thảo"), "reviewed_by": _l("Người xem xét"),
}


def _feature_labels() -> dict:
    """Features name their own events (CAPA, quality objectives)."""
    from app.capa.labels import EVENT_LABELS
    from app.objectives.labels import EVENT_LABELS as OBJECTIVE_EVENTS

    return {**EVENT_LABELS, **OBJECTIVE_EVENTS}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action) or _feature_labels().get(action)
    return str(label) if label else action


def object_label(object_type: str) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type))


def kind_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, (label, _types) in KINDS.items()]


def show(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_l("Có")) if value else str(_l("Không"))
    if isinstance(value, list):
        return ", ".join(show(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass
class Change:
    field: str
    before: str
    after: str
    changed: bool


@dataclass
class Changes:
    """What an event's payload says changed: field rows (before/after) and other recorded values."""

    rows: list[Change] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)
    has_before: bool = False
    has_after: bool = False

    @property
    def empty(self) -> bool:
        return not self.rows and not self.other


def _label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def changes(payload: dict) -> Changes:
    if not isinstance(payload, dict):
        return Changes()
    before, after = payload.get("before"), payload.get("after")
    out = Changes(has_before=isinstance(before, dict), has_after=isinstance(after, dict))
    if out.has_before or out.has_after:
        before, after = before if out.has_before else {}, after if out.has_after else {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        for key in keys:
            b, a = before.get(key), after.get(key)
            out.rows.append(Change(_label(key), show(b), show(a), changed=out.has_before and out.has_after and b != a))
    for key, value in payload.items():
        if key in ("before", "after") and isinstance(value, dict):
            continue
        out.other.append((_label(key), show(value)))
    return out
