"""Login, logout, change of password and language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import services
from app.auth.forms import ChangePasswordForm, LoginForm
from app.auth.permissions import require, signed_in
from app.extensions import db

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: '/x' yes; '//evil', 'https://evil', '/\\evil', 'javascript:' no."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        result = services.authenticate(
            form.username.data, form.password.data,
            max_failures=current_app.config["QMS_LOGIN_MAX_FAILURES"],
            lock_minutes=current_app.config["QMS_LOGIN_LOCK_MINUTES"],
            remote_addr=request.remote_addr or "")
        if result.ok and session.get("lang"):
            services.set_locale(result.user, session["lang"])  # the language chosen on the login page stays
        # one commit for the attempt and the new session, and the user read before it: each transaction of a
        # form's request queues for SQLite's write lock. (If the commit fails, the cookie names a session that
        # does not exist, and signs nobody in.)
        if result.ok:
            token = services.start_session(result.user)
            session.clear()
            session[services.SESSION_KEY] = token
            login_user(result.user)
        db.session.commit()
        if result.ok:
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
        if result.locked_minutes:
            error = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(n)s phút.", n=result.locked_minutes)
        else:
            error = _("Tên đăng nhập hoặc mật khẩu không đúng.")
    status = 200 if error is None else 401
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
@require(signed_in)
def logout():
    services.end_session(session.get(services.SESSION_KEY))
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@require(signed_in)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_own_password(current_user, form.current_password.data, form.new_password.data)
        except services.AccountError:
            form.current_password.errors.append(_("Mật khẩu hiện tại không đúng."))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session, now on the new version
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)


@bp.post("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["QMS_LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            services.set_locale(current_user, code)
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))
