"""Web plumbing shared by every page: security headers, error pages, template helpers."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, g, redirect, render_template, request, send_from_directory, url_for
from flask import Request as _Request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, RequestRedirect

from app.audit.messages import summary_of
from app.auth import permissions
from app.internal_audits import permissions as ia_perm
from app.management_review import permissions as mr_perm
from app.objectives import permissions as objectives_permissions
from app.params import INT_MAX, INT_MIN
from app.store import StoreBusy, StoreUnavailable
from app.timeutil import format_date, format_datetime

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

ROLE_LABELS = {
    "admin": _l("Quản trị hệ thống"),
    "secretary": _l("Thư ký ISO"),
    "member": _l("Chuyên viên"),
    "head": _l("Trưởng phòng/đơn vị"),
    "leadership": _l("Lãnh đạo Sở"),
    "committee": _l("Ban Chỉ đạo ISO"),
}


# (key, endpoint, label, who sees it, path prefix); entries whose feature is absent are skipped
NAV = [
    ("procedures", "procedures.register", _l("Danh mục quy trình"), permissions.can_read_register, "/procedures"),
    ("reviews", "reviews.index", _l("Rà soát hằng năm"), permissions.can_read_reviews, "/reviews"),
    ("objectives", "objectives.index", _l("Mục tiêu"), objectives_permissions.can_read_objectives,
     "/objectives"),
    ("legal", "legal.register", _l("Văn bản pháp luật"), permissions.signed_in, "/legal"),
    ("capa", "capa.index", _l("Khắc phục, phòng ngừa"), permissions.signed_in, "/capa"),
    ("audit", "audit.index", _l("Lịch sử"), permissions.can_read_audit, "/audit"),
]

# menus that gather related pages under one heading: (key, label, [(endpoint, label, who, path prefix)])
NAV_MENUS = [
    ("year_close", _l("Tổng kết năm"), [
        ("internal_audits.index", _l("Đánh giá nội bộ"), ia_perm.can_read_programmes, "/internal-audits"),
        ("management_review.index", _l("Xem xét của lãnh đạo"), mr_perm.can_read_management_reviews,
         "/management-reviews"),
        ("reports.index", _l("Báo cáo năm, công bố, hồ sơ kiểm tra"), mr_perm.can_read_reports, "/reports"),
    ]),
]


def _owner_page(app: Flask, path: str) -> str | None:
    """The nearest enclosing path that a GET can open (the page a POST-only action belongs to); a top-level
    action such as /logout has none and keeps its 405."""
    adapter = app.url_map.bind("localhost")
    parts = path.rstrip("/").split("/")
    while len(parts) > 2:
        parts.pop()
        candidate = "/".join(parts) or "/"
        for option in (candidate, candidate + "/"):
            try:
                adapter.match(option, method="GET")
            except RequestRedirect:
                return option + "/" if not option.endswith("/") else option
            except HTTPException:
                continue
            return option
    return None



class BoundedIntConverter(IntegerConverter):
    """<int:...> in URLs: a number beyond any id or year (the databases' integers overflow past 64 bits)
    is simply no page (404), not a 500."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits, min, INT_MAX if max is None else max, signed)


class BoundedArgs(ImmutableMultiDict):
    """request.args.get(name, type=int): an out-of-range number counts as absent, like any other bad value."""

    def get(self, key, default=None, type=None):  # noqa: A002
        value = super().get(key, default, type)
        if type is int and isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
            return default
        return value


class QmsRequest(_Request):
    parameter_storage_class = BoundedArgs


def install_parameter_checks(app: Flask) -> None:
    """Before blueprints are registered: bounded <int:> converters and query numbers; no stray uploads."""
    app.request_class = QmsRequest
    app.url_map.converters["int"] = BoundedIntConverter

    @app.before_request
    def refuse_malformed_input():
        # no form of ours takes a file: one sent where text is expected is a malformed request
        multipart = request.mimetype == "multipart/form-data"
        if multipart and request.files and request.endpoint not in app.config.get("QMS_UPLOAD_ENDPOINTS", ()):
            abort(400)
        # NUL is never typed, and PostgreSQL refuses it in any text value (the API has its own rule: its
        # filters drop NUL and its bodies are documented and checked free of it, see app/api/schemas.py)
        if request.path.startswith("/api/v1/"):
            return
        if "\x00" in request.path:
            abort(400)
        for values in (request.args, request.form if request.method not in ("GET", "HEAD") and not multipart else {}):
            if any("\x00" in v for v in values.values()):
                abort(400)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["vndate"] = format_date
    app.jinja_env.filters["vndatetime"] = format_datetime
    app.jinja_env.globals["perm"] = permissions
    app.jinja_env.globals["event_summary"] = summary_of  # an audit event's line in the reader's language
    app.jinja_env.globals["ROLE_LABELS"] = ROLE_LABELS
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("QMS_PRODUCTION"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # the user this request loaded, without reading its columns again: after a form's commit that read
        # would begin another transaction, queued for SQLite's write lock
        user = g.get("_login_user") if "_login_user" in g else current_user._get_current_object()
        if user is not None and not user.is_anonymous and response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    def page(code: int, title, message):
        if request.path.startswith("/api/v1/"):  # no API route matched: answer the API's way
            from app.api.problems import problem

            return problem(code)
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return page(400, _l("Phiên làm việc đã hết hạn"),
                    _l("Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và gửi lại."))

    @app.errorhandler(400)
    def bad_request(exc):
        return page(400, _l("Yêu cầu không hợp lệ"), _l("Dữ liệu gửi lên không hợp lệ."))

    @app.errorhandler(403)
    def forbidden(exc):
        return page(403, _l("Không có quyền truy cập"),
                    _l("Tài khoản của bạn không có quyền thực hiện thao tác này. "
                       "Nếu cần, hãy liên hệ Thư ký ISO hoặc quản trị hệ thống."))

    @app.errorhandler(404)
    def not_found(exc):
        return page(404, _l("Không tìm thấy trang"), _l("Trang bạn tìm không tồn tại hoặc đã được chuyển đi."))

    @app.errorhandler(405)
    def not_allowed(exc):
        # Opening (or reloading) the address of a form action such as /procedures/<code>/approve by GET:
        # go to the page the action belongs to instead of an error.
        if request.method in ("GET", "HEAD"):
            target = _owner_page(app, request.path)
            if target:
                return redirect(target, 303)
        return page(405, _l("Thao tác không được hỗ trợ"), _l("Trang này không nhận thao tác đó."))

    @app.get("/favicon.ico")
    def favicon():
        return send_from_directory(Path(app.static_folder) / "img", "favicon.ico",
                                   mimetype="image/vnd.microsoft.icon", max_age=86400)

    @app.errorhandler(413)
    def too_large(exc):
        return page(413, _l("Dữ liệu quá lớn"), _l("Nội dung gửi lên vượt quá giới hạn cho phép."))

    @app.errorhandler(StoreBusy)
    def store_busy(exc):
        return page(503, _l("Hệ thống đang bận"), _l("Kho quy trình đang bận vì một thao tác khác đang ghi. "
                                                     "Vui lòng quay lại trang trước và thử lại sau ít giây."))

    @app.errorhandler(StoreUnavailable)
    def store_unavailable(exc):
        return page(503, _l("Không ghi được dữ liệu"),
                    _l("Không ghi được vào kho lưu trữ (ổ đĩa chỉ đọc, đã đầy hoặc không có quyền ghi). "
                       "Chưa có gì bị thay đổi; vui lòng báo quản trị hệ thống."))

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(exc):
        # a number or date beyond what the database or Python's calendar holds, from any form or link
        from app.extensions import db

        db.session.rollback()
        return page(400, _l("Yêu cầu không hợp lệ"), _l("Dữ liệu gửi lên không hợp lệ."))

    @app.errorhandler(OperationalError)
    def database_unavailable(exc):
        from app.extensions import db

        db.session.rollback()
        app.logger.warning("database error: %s", exc)
        return page(503, _l("Hệ thống đang bận"), _l("Cơ sở dữ liệu đang bận hoặc không ghi được. "
                                                     "Vui lòng quay lại trang trước và thử lại sau ít giây."))

    @app.errorhandler(500)
    def server_error(exc):
        return page(500, _l("Lỗi hệ thống"), _l("Đã xảy ra lỗi không mong muốn. Vui lòng thử lại sau."))

    @app.context_processor
    def nav():
        from app.tasks import HOME_WIDGETS

        items = []
        if current_user.is_authenticated:
            for key, endpoint, label, predicate, prefix in NAV:
                if endpoint in app.view_functions and predicate(current_user):
                    items.append({"key": key, "url": url_for(endpoint), "label": label, "prefix": prefix})
            for key, label, entries in NAV_MENUS:
                links = [{"url": url_for(e), "label": lbl, "prefix": pre} for e, lbl, pred, pre in entries
                         if e in app.view_functions and pred(current_user)]
                if links:
                    items.append({"key": key, "label": label, "children": links,
                                  "prefix": tuple(link["prefix"] for link in links)})
        return {"request_path": request.path, "nav_items": items, "nav_endpoints": app.view_functions,
                "home_widgets": HOME_WIDGETS}
