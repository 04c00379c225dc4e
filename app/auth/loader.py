"""Flask-Login wiring: session ids carry a version so password changes end old sessions, and each
signed-in browser has a login session row that logout ends (server-side logout)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str):
    from flask import session

    from app.auth.models import User
    from app.auth.services import SESSION_KEY, session_is_live

    try:
        ident, version = (int(x) for x in user_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, ident)
    if user is None or not user.active or user.session_version != version:
        return None
    if not session_is_live(user.id, session.get(SESSION_KEY)):
        return None
    return user


login_manager.login_view = "auth.login"
login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
login_manager.login_message_category = "warning"
login_manager.session_protection = "basic"
