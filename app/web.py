"""Web plumbing shared by every page: security headers, error pages, template helpers."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, redirect, render_template, request, send_from_directory, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app.audit.messages import summary_of
from app.auth import permissions
from app.internal_audits import permissions as ia_perm
from app.management_review import permissions as mr_perm
from app.objectives import permissions as objectives_permissions
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
        if current_user.is_authenticated and response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    def page(code: int, title, message):
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
