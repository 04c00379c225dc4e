"""Administrators manage units and accounts; mistakes get clear messages and keep the typed input."""
from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Unit, User
from app.extensions import db
from tests.conftest import login


def _admin(make, login_as):
    return login_as(make.user("admin"))


def test_admin_creates_a_unit_and_it_is_audited(client, make, login_as):
    _admin(make, login_as)
    resp = client.post("/admin/units/new", data={"code": "PKT", "name": "Phòng Kế hoạch – Tài chính",
                                                 "active": "y"})
    assert resp.status_code == 302
    assert db.session.scalar(select(Unit).where(Unit.code == "PKT")).name == "Phòng Kế hoạch – Tài chính"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.create"))


def test_duplicate_unit_code_is_refused_and_the_name_typed_is_kept(client, make, login_as):
    make.unit("QLKH")
    _admin(make, login_as)
    resp = client.post("/admin/units/new", data={"code": "QLKH", "name": "Tên tôi vừa gõ"})
    assert resp.status_code == 200
    assert "Mã đơn vị này đã tồn tại.".encode() in resp.data
    assert "Tên tôi vừa gõ".encode() in resp.data


def test_admin_creates_a_user_with_several_roles(client, make, login_as):
    unit = make.unit("QLKH")
    _admin(make, login_as)
    resp = client.post("/admin/users/new", data={"username": "mai", "full_name": "Lê Thị Mai", "unit_id": unit.id,
                                                 "roles": ["member", "head"], "active": "y",
                                                 "password": "mai-password"})
    assert resp.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "mai"))
    assert user.roles == {"member", "head"}
    assert login(client.application.test_client(), "mai", "mai-password").status_code == 302


def test_taken_username_shows_an_error_and_keeps_the_form(client, make, login_as):
    make.user("member", unit="QLKH", username="mai")
    _admin(make, login_as)
    resp = client.post("/admin/users/new", data={"username": "mai", "full_name": "Người khác", "unit_id": 0,
                                                 "password": "long-enough-1"})
    assert "Tên đăng nhập này đã được dùng.".encode() in resp.data
    assert "Người khác".encode() in resp.data


def test_deactivating_a_user_signs_them_out_and_blocks_login(app, client, make, login_as):
    member = make.user("member", unit="QLKH")
    theirs = app.test_client()
    login(theirs, member)
    _admin(make, login_as)
    resp = client.post(f"/admin/users/{member.id}", data={"full_name": member.full_name, "email": "",
                                                           "unit_id": member.unit_id, "roles": ["member"]})
    assert resp.status_code == 302
    assert theirs.get("/").status_code == 302
    assert login(app.test_client(), member).status_code == 401


def test_admin_cannot_deactivate_themselves(client, make, login_as):
    admin = make.user("admin")
    login_as(admin)
    resp = client.post(f"/admin/users/{admin.id}", data={"full_name": "A", "unit_id": 0, "roles": ["admin"]})
    assert "Bạn không thể tự khóa tài khoản".encode() in resp.data
    assert db.session.get(User, admin.id).active


def test_reset_password_lets_the_user_in_with_the_new_one(app, client, make, login_as):
    member = make.user("member", unit="QLKH")
    _admin(make, login_as)
    resp = client.post(f"/admin/users/{member.id}/password", data={"reset-password": "fresh-password-9"})
    assert resp.status_code == 302
    assert login(app.test_client(), member, "fresh-password-9").status_code == 302


def test_too_short_reset_password_is_refused_with_a_message(client, make, login_as):
    member = make.user("member", unit="QLKH")
    _admin(make, login_as)
    resp = client.post(f"/admin/users/{member.id}/password", data={"reset-password": "short"})
    assert resp.status_code == 400
    assert "Mật khẩu phải có ít nhất 8 ký tự.".encode() in resp.data
