"""Flask-Login wiring: session ids carry a version so password changes end old sessions, and each
signed-in browser has a login session row that logout ends (server-side logout)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str):
    from flask import session
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from app.auth.models import LoginSession, User
    from app.auth.services import SESSION_KEY, token_id

    try:
        ident, version = (int(x) for x in user_id.split(":", 1))
    except ValueError:
        return None
    # one statement: the user with unit and roles, only if this browser's login session is still open
    token = session.get(SESSION_KEY)
    if not token or not isinstance(token, str):
        return None
    user = db.session.scalars(
        select(User).options(joinedload(User.role_rows))
        .where(User.id == ident, User.active.is_(True), User.session_version == version,
               select(LoginSession.id).where(LoginSession.id == token_id(token), LoginSession.user_id == ident,
                                             LoginSession.ended_at.is_(None)).exists())).unique().first()
    return user


login_manager.login_view = "auth.login"
login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
login_manager.login_message_category = "warning"
login_manager.session_protection = "basic"
