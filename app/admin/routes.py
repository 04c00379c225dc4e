"""Administration pages: units and accounts (administrators only)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select

from app.admin import reorganise
from app.admin.forms import ReorganiseForm, ResetPasswordForm, UnitForm, UserForm
from app.choices import choices
from app.auth import services
from app.auth.models import Unit, User
from app.procedures.models import Procedure
from app.auth.permissions import can_administer, require
from app.extensions import db
from app.pagination import paginate

bp = Blueprint("admin", __name__)

ERRORS = {
    "username_taken": _l("Tên đăng nhập này đã được dùng."),
    "username_required": _l("Vui lòng nhập tên đăng nhập."),
    "password_too_short": _l("Mật khẩu quá ngắn."),
    "cannot_lock_self": _l("Bạn không thể tự khóa tài khoản hay bỏ quyền quản trị của chính mình."),
    "invalid_unit_code": _l("Mã đơn vị không hợp lệ."),
    "unit_code_taken": _l("Mã đơn vị này đã tồn tại."),
}
REORGANISE_ERRORS = {
    "forbidden": _l("Bạn không có quyền tổ chức lại đơn vị."),
    "same_unit": _l("Hãy chọn một đơn vị nhận khác đơn vị này."),
    "target_inactive": _l("Đơn vị nhận đã ngừng hoạt động."),
    "nothing_chosen": _l("Hãy chọn ít nhất một quy trình để chuyển."),
}


def _field_error(form, exc: services.AccountError) -> None:
    message = ERRORS.get(str(exc), str(exc))
    field = getattr(form, exc.field or "", None)
    if field is not None:
        field.errors = list(field.errors) + [message]
    else:
        flash(message, "danger")


def _unit_choices():
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    return [(0, _("— Không thuộc đơn vị —"))] + [(u.id, f"{u.code} – {u.name}") for u in units]


@bp.get("/")
@require(can_administer)
def index():
    q = (request.args.get("q") or "").strip()
    stmt = select(User).order_by(User.username)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(User.username).like(like), func.lower(User.full_name).like(like)))
    page = paginate(stmt, request.args.get("page", 1, type=int), 25)
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    return render_template("admin/index.html", page=page, units=units, q=q)


@bp.route("/units/new", methods=["GET", "POST"])
@require(can_administer)
def unit_new():
    form = UnitForm()
    if form.validate_on_submit():
        try:
            unit = services.create_unit(current_user, code=form.code.data, name=form.name.data,
                                        email=form.email.data, active=form.active.data)
        except services.AccountError as exc:
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã tạo đơn vị %(code)s.", code=unit.code), "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/units/<code>", methods=["GET", "POST"])
@require(can_administer)
def unit_edit(code: str):
    unit = db.session.scalar(select(Unit).where(Unit.code == code)) or abort(404)
    form = UnitForm(obj=unit)
    form.code.data = unit.code
    if form.validate_on_submit():
        services.update_unit(current_user, unit, name=form.name.data, email=form.email.data,
                             active=form.active.data)
        db.session.commit()
        flash(_("Đã lưu đơn vị %(code)s.", code=unit.code), "success")
        return redirect(url_for("admin.index"))
    return render_template("admin/unit_form.html", form=form, unit=unit)


@bp.route("/units/<code>/reorganise", methods=["GET", "POST"])
@require(can_administer)
def unit_reorganise(code: str):
    """Merge a unit into another or move some of its procedures; everything moves with its history."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code)) or abort(404)
    form = ReorganiseForm()
    others = db.session.scalars(select(Unit).where(Unit.active.is_(True), Unit.id != unit.id)
                                .order_by(Unit.code)).all()
    form.target_id.choices = choices((u.id, f"{u.code} – {u.name}") for u in others)
    procs = db.session.scalars(select(Procedure).where(Procedure.unit_id == unit.id).order_by(Procedure.code)).all()
    form.codes.choices = choices((p.code, f"{p.code} – {p.title}") for p in procs)
    if form.validate_on_submit():
        target = db.session.get(Unit, form.target_id.data)
        try:
            if form.mode.data == "merge":
                moved = reorganise.merge(current_user, unit, target)
            else:
                moved = reorganise.split(current_user, unit, target, form.codes.data or [])
        except reorganise.ReorganiseError as exc:
            db.session.rollback()
            flash(str(REORGANISE_ERRORS.get(exc.key, exc.key)), "danger")
        else:
            db.session.commit()
            flash(_("Đã chuyển sang %(target)s: %(p)s quy trình, %(r)s rà soát đang mở, %(c)s phiếu khắc phục, "
                    "%(u)s tài khoản.", target=target.code, p=len(moved.procedures), r=len(moved.reviews),
                    c=len(moved.capas), u=len(moved.users)), "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/unit_reorganise.html", form=form, unit=unit, procs=procs,
                           has_target=bool(others))


@bp.route("/users/new", methods=["GET", "POST"])
@require(can_administer)
def user_new():
    form = UserForm()
    form.unit_id.choices = choices(_unit_choices())
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_("Vui lòng đặt mật khẩu ban đầu.")]
        else:
            try:
                user = services.create_user(
                    current_user, username=form.username.data, full_name=form.full_name.data,
                    password=form.password.data, email=form.email.data,
                    unit=db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None,
                    roles=form.roles.data, active=form.active.data)
            except services.AccountError as exc:
                _field_error(form, exc)
            else:
                db.session.commit()
                flash(_("Đã tạo tài khoản %(u)s.", u=user.username), "success")
                return redirect(url_for("admin.index"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(can_administer)
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    form.unit_id.choices = choices(_unit_choices())
    if request.method == "GET":
        form.unit_id.data = user.unit_id or 0
        form.roles.data = sorted(user.roles)
    form.username.data = user.username
    reset = ResetPasswordForm(prefix="reset")
    if form.validate_on_submit():
        try:
            services.update_user(current_user, user, full_name=form.full_name.data, email=form.email.data,
                                 unit=db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None,
                                 roles=form.roles.data, active=form.active.data)
        except services.AccountError as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu tài khoản %(u)s.", u=user.username), "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/user_form.html", form=form, user=user, reset=reset)


@bp.post("/users/<int:user_id>/password")
@require(can_administer)
def user_reset_password(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    reset = ResetPasswordForm(prefix="reset")
    if reset.validate_on_submit():
        services.reset_password(current_user, user, reset.password.data)
        db.session.commit()
        flash(_("Đã đặt lại mật khẩu cho %(u)s.", u=user.username), "success")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    form = UserForm(obj=user)
    form.unit_id.choices = choices(_unit_choices())
    form.unit_id.data = user.unit_id or 0
    form.roles.data = sorted(user.roles)
    return render_template("admin/user_form.html", form=form, user=user, reset=reset), 400
