"""Errors of the API as application/problem+json (RFC 9457), each with a Vietnamese and an English message."""
from __future__ import annotations

import json
from http import HTTPStatus

from flask import Response
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

PROBLEM_TYPE = "application/problem+json"

MESSAGES = {
    "bad_request": _l("Yêu cầu không hợp lệ."),
    "unauthorized": _l("Cần mã truy cập API hợp lệ trong tiêu đề Authorization: Bearer <mã>. "
                       "Mã có thể đã hết hạn hoặc đã bị thu hồi."),
    "forbidden": _l("Tài khoản của bạn không có quyền thực hiện thao tác này."),
    "read_only_token": _l("Mã truy cập này chỉ có quyền đọc; hãy dùng mã có quyền đọc và ghi."),
    "not_found": _l("Không tìm thấy tài nguyên yêu cầu."),
    "method_not_allowed": _l("Tài nguyên này không nhận phương thức đó."),
    "not_acceptable": _l("Không có định dạng phù hợp với yêu cầu."),
    "conflict": _l("Thao tác không thực hiện được ở trạng thái hiện tại."),
    "too_large": _l("Nội dung gửi lên vượt quá giới hạn cho phép."),
    "unsupported_media_type": _l("Nội dung gửi lên phải là JSON (Content-Type: application/json)."),
    "invalid": _l("Dữ liệu gửi lên không hợp lệ."),
    "rate_limited": _l("Quá nhiều yêu cầu với mã truy cập này. Hãy thử lại sau."),
    "server_error": _l("Đã xảy ra lỗi không mong muốn. Vui lòng thử lại sau."),
    "not_issued": _l("Quy trình chưa có bản ban hành."),
    "bad_date": _l("Ngày không hợp lệ: hãy dùng dạng ISO 8601 (YYYY-MM-DD)."),
    "bad_query": _l("Không hiểu được từ khóa tìm kiếm; hãy thử các từ đơn giản hơn."),
    "unknown_revision": _l("Không tìm thấy phiên bản này của quy trình."),
    "unknown_unit": _l("Đơn vị không tồn tại."),
    "unknown_user": _l("Người dùng không tồn tại."),
    "stale": _l("Bản ghi vừa được người khác cập nhật. Hãy tải lại rồi thử lại."),
}

STATUS_KEYS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
               415: "unsupported_media_type", 422: "invalid", 429: "rate_limited", 500: "server_error"}


class ApiProblem(Exception):
    """Raised anywhere in an API view; turned into a problem response by the blueprint's handler."""

    def __init__(self, status: int, code: str | None = None, message=None, errors: dict | None = None,
                 headers: dict | None = None):
        super().__init__(code or STATUS_KEYS.get(status, "bad_request"))
        self.status, self.code = status, code or STATUS_KEYS.get(status, "bad_request")
        self.message, self.errors, self.headers = message, errors, headers or {}


def _in(locale: str, message) -> str:
    with force_locale(locale):
        return str(message)


def problem(status: int, code: str | None = None, message=None, errors: dict | None = None,
            headers: dict | None = None) -> Response:
    """`message` is a lazy Vietnamese string (translated through the catalogue) or a dict {vi, en}."""
    code = code or STATUS_KEYS.get(status, "bad_request")
    message = message if message is not None else MESSAGES.get(code, MESSAGES[STATUS_KEYS.get(status, "bad_request")])
    if isinstance(message, dict):
        vi, en = message["vi"], message["en"]
    else:
        vi, en = _in("vi", message), _in("en", message)
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {"type": f"urn:qms:problem:{code}", "title": title, "status": status, "code": code,
            "detail": vi, "messages": {"vi": vi, "en": en}}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def from_exception(exc: ApiProblem) -> Response:
    return problem(exc.status, exc.code, exc.message, exc.errors, exc.headers)
