"""Signing in: right and wrong passwords, throttling, safe redirects, logout, password change."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.conftest import login

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def test_right_password_signs_in_and_lands_on_home(client, make):
    user = make.user("secretary", unit="VP", full_name="Nguyễn Thị Lan")
    resp = login(client, user)
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    home = client.get("/")
    assert "Xin chào, Nguyễn Thị Lan".encode() in home.data


def test_wrong_password_and_unknown_user_get_the_same_vietnamese_error(client, make):
    user = make.user("member", unit="QLKH")
    wrong = login(client, user, "not-the-password")
    unknown = login(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert WRONG.encode() in wrong.data and WRONG.encode() in unknown.data


def test_login_successes_and_failures_are_audit_events(client, db, make):
    user = make.user("member", unit="QLKH")
    login(client, user, "bad")
    login(client, user)
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["auth.login_failed", "auth.login"]


def test_sixth_wrong_password_in_a_row_is_throttled_even_with_the_right_password(client, db, make):
    user = make.user("member", unit="QLKH")
    for _ in range(5):
        assert login(client, user, "wrong-password").status_code == 401
    sixth = login(client, user)  # the right password, but too late
    assert sixth.status_code == 401
    assert "Đăng nhập sai quá nhiều lần".encode() in sixth.data
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "auth.login_throttled"))


def test_unknown_names_are_throttled_too_so_nothing_is_revealed(client):
    for _ in range(5):
        login(client, "ghost", "x")
    assert "Đăng nhập sai quá nhiều lần".encode() in login(client, "ghost", "x").data


@pytest.mark.parametrize("target", [
    "https://example.org/", "//example.org/", "/\\example.org", "http:/example.org", "javascript:alert(1)",
    "https:example.org", " //example.org",
])
def test_next_never_redirects_off_site(client, make, target):
    user = make.user("member", unit="QLKH")
    resp = client.post(f"/login?next={target}", data={"username": user.username, "password": make.password})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"


def test_next_to_a_page_of_the_site_is_followed(client, make):
    user = make.user("member", unit="QLKH")
    resp = client.post("/login?next=/account/password", data={"username": user.username,
                                                                "password": make.password})
    assert resp.headers["Location"] == "/account/password"


def test_anonymous_user_is_sent_to_login_with_next(client):
    resp = client.get("/account/password")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login?next=")


def test_logout_is_a_post_and_ends_the_session(client, make, login_as):
    login_as(make.user("member", unit="QLKH"))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_deactivated_user_cannot_sign_in(client, db, make):
    user = make.user("member", unit="QLKH")
    user.active = False
    db.session.commit()
    assert login(client, user).status_code == 401


def test_changing_password_requires_the_current_one_and_ends_other_sessions(app, client, make, login_as):
    user = make.user("member", unit="QLKH")
    other = app.test_client()
    login(other, user)
    login_as(user)
    bad = client.post("/account/password", data={"current_password": "nope", "new_password": "brand-new-pass",
                                                   "confirm": "brand-new-pass"})
    assert "Mật khẩu hiện tại không đúng.".encode() in bad.data
    ok = client.post("/account/password", data={"current_password": make.password,
                                                 "new_password": "brand-new-pass", "confirm": "brand-new-pass"})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200          # this session goes on
    assert other.get("/").status_code == 302            # the other one ended
    assert login(app.test_client(), user, "brand-new-pass").status_code == 302


def test_a_post_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    resp = client.post("/login", data={"username": "x", "password": "y"})
    assert resp.status_code == 400
    assert "Biểu mẫu đã hết hạn hoặc không hợp lệ".encode() in resp.data


def test_a_post_with_the_csrf_token_is_accepted(csrf_app):
    import re

    client = csrf_app.test_client()
    page = client.get("/login").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    resp = client.post("/login", data={"username": "x", "password": "y", "csrf_token": token})
    assert resp.status_code == 401


def test_the_slow_password_check_does_not_hold_the_write_lock(client, db, make, monkeypatch):
    """SQLite: a sign-in checks the password hash (slow on purpose) before its transaction takes the
    database's write lock, so saves by others do not queue behind it."""
    import sqlite3

    from app.auth.models import User

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the write lock of the whole database is SQLite's")
    user = make.user("member", unit="QLKH")
    original, others_wrote = User.check_password, []

    def checking(self, password):
        other = sqlite3.connect(db.engine.url.database, timeout=0)  # another worker, not waiting at all
        try:
            other.execute("BEGIN IMMEDIATE")
            others_wrote.append(True)
            other.rollback()
        finally:
            other.close()
        return original(self, password)

    monkeypatch.setattr(User, "check_password", checking)
    assert login(client, user).status_code == 302
    assert others_wrote == [True]
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first() == "auth.login"


def test_a_password_changed_while_it_was_being_checked_does_not_sign_in(client, db, make, monkeypatch):
    from sqlalchemy import update
    from werkzeug.security import generate_password_hash

    from app.auth.models import User

    user = make.user("member", unit="QLKH")
    uid, original = user.id, User.check_password

    def checking(self, password):
        ok = original(self, password)
        with db.engine.begin() as conn:  # an administrator resets the password meanwhile
            conn.execute(update(User).where(User.id == uid)
                         .values(password_hash=generate_password_hash("another-password", "pbkdf2:sha256:1000")))
        return ok

    monkeypatch.setattr(User, "check_password", checking)
    assert login(client, user).status_code == 401
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first() == \
        "auth.login_failed"


def test_signing_in_keeps_what_the_session_wrote_before(client, db, make):
    """Checking the password first ends the open transaction only when nothing was written in it."""
    from app.auth.models import Unit

    user = make.user("member", unit="QLKH")
    db.session.add(Unit(code="TTR", name="Thanh tra", active=True))
    db.session.flush()  # written, not yet committed
    assert login(client, user).status_code == 302
    db.session.commit()
    assert db.session.scalar(select(Unit.id).where(Unit.code == "TTR")) is not None
