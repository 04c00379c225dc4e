"""Pages of the API feature: the documentation page (Swagger UI served from here) and the user's tokens."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.api import tokens
from app.api.forms import TokenForm
from app.api.models import ApiToken
from app.auth.permissions import require, signed_in
from app.extensions import db
from app.timeutil import utcnow

bp = Blueprint("api_pages", __name__)

TOKEN_ERRORS = {
    "name_required": _l("Vui lòng đặt tên cho mã truy cập."),
    "bad_scope": _l("Quyền không hợp lệ."),
    "bad_expiry": _l("Số ngày hiệu lực không hợp lệ."),
    "too_many": _l("Bạn đã có quá nhiều mã truy cập còn hiệu lực; hãy thu hồi bớt mã không dùng."),
    "already_revoked": _l("Mã truy cập này đã bị thu hồi."),
    "forbidden": _l("Bạn chỉ thu hồi được mã truy cập của chính mình."),
}


@bp.get("/api/docs")
def docs():
    """Public, like the OpenAPI document it renders: it holds no data, only the description."""
    return render_template("api/docs.html")


def _page(form: TokenForm, created=None, status: int = 200):
    return render_template("api/tokens.html", form=form, tokens=tokens.tokens_of(current_user), created=created,
                           now=utcnow()), status


@bp.get("/account/tokens")
@require(signed_in)
def token_list():
    return _page(TokenForm())


@bp.post("/account/tokens")
@require(signed_in)
def token_create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        created = tokens.create(current_user, name=form.name.data, scope=form.scope.data, days=form.days.data)
    except tokens.TokenError as exc:
        db.session.rollback()
        getattr(form, exc.field or "name").errors.append(str(TOKEN_ERRORS[exc.key]))
        return _page(form, status=400)
    db.session.commit()
    # the secret is shown in this answer only: it is stored as a hash and cannot be shown again
    return _page(TokenForm(formdata=None), created=created, status=201)


@bp.post("/account/tokens/<int:token_id>/revoke")
@require(signed_in)
def token_revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    try:
        tokens.revoke(current_user, token)
    except tokens.TokenError as exc:
        db.session.rollback()
        flash(str(TOKEN_ERRORS[exc.key]), "warning")
    else:
        db.session.commit()
        flash(_("Đã thu hồi mã truy cập “%(name)s”.", name=token.name), "success")
    return redirect(url_for("api_pages.token_list"))
