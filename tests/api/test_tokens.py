"""Personal access tokens: shown once, stored hashed, scoped, expiring, revocable; every change audited."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from app.api import tokens
from app.api.models import ApiToken
from app.audit.models import AuditEvent
from app.extensions import db
from app.timeutil import utcnow
from tests.api.conftest import bearer


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_the_profile_page_shows_a_new_token_once_and_stores_only_its_hash(app, world, login_as):
    client = login_as(world.member)
    resp = client.post("/account/tokens", data={"name": "Bảng điều khiển", "scope": "read", "days": "30"})
    assert resp.status_code == 201
    page = resp.get_data(as_text=True)
    secret = page.split('data-testid="token-secret"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert secret.startswith("qms_") and len(secret) > 40
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == world.member.id))
    assert row.token_hash == tokens.hash_secret(secret) and secret not in (row.token_hash, row.prefix)
    again = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in again and "Bảng điều khiển" in again and row.prefix in again
    event = _events("api_token.create")[-1]
    assert event.actor_id == world.member.id and event.data["token_id"] == row.id and secret not in event.payload


def test_a_bad_form_keeps_what_was_typed(app, world, login_as):
    client = login_as(world.member)
    resp = client.post("/account/tokens", data={"name": "Tập lệnh", "scope": "read", "days": "9999"})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert 'value="Tập lệnh"' in page and "Số ngày hiệu lực từ 1 đến 366" in page
    assert db.session.scalar(select(ApiToken)) is None


def test_revoked_and_expired_tokens_are_refused(client, world, token_for, login_as):
    secret = token_for(world.member)
    assert client.get("/api/v1/procedures", headers=bearer(secret)).status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == tokens.hash_secret(secret)))
    assert row.last_used_at is not None
    web = login_as(world.member)
    assert web.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    resp = client.get("/api/v1/procedures", headers=bearer(secret))
    assert resp.status_code == 401 and resp.mimetype == "application/problem+json"
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert _events("api_token.revoke")[-1].data["token_id"] == row.id

    expired = token_for(world.member)
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == tokens.hash_secret(expired)))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/procedures", headers=bearer(expired)).status_code == 401


def test_a_token_of_a_deactivated_account_is_refused(client, world, token_for):
    secret = token_for(world.member)
    world.member.active = False
    db.session.commit()
    assert client.get("/api/v1/procedures", headers=bearer(secret)).status_code == 401


def test_nobody_revokes_someone_elses_token(app, world, token_for, login_as):
    token_for(world.member)
    row = db.session.scalar(select(ApiToken))
    client = login_as(world.other_member)
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, row.id).revoked_at is None


def test_a_read_token_cannot_write(client, world, token_for):
    secret = token_for(world.head, "read")
    resp = client.post(f"/api/v1/reviews/cycles/{world.year}/reviews/QT-QLKH-02/record",
                       json={"outcome": "maintained"}, headers=bearer(secret))
    assert resp.status_code == 403 and resp.get_json()["code"] == "read_only_token"
    assert client.post("/api/v1/capa", json={"kind": "corrective", "source": "other", "title": "x",
                                             "description": "y"}, headers=bearer(secret)).status_code == 403


def test_every_write_through_a_token_is_an_audit_event_naming_the_token(client, world, token_for):
    secret = token_for(world.head, "write")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == tokens.hash_secret(secret)))
    resp = client.post(f"/api/v1/reviews/cycles/{world.year}/reviews/QT-QLKH-02/record",
                       json={"outcome": "maintained", "note": "Không thay đổi"}, headers=bearer(secret))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    event = _events("review.record")[-1]
    assert event.actor_id == world.head.id
    assert json.loads(event.payload)["via_api_token"] == {"id": row.id, "name": row.name, "prefix": row.prefix}
    # the same user acting in the browser afterwards is not credited to the token
    from app.reviews import services

    services.confirm(world.head, services.get_review(services.get_cycle(world.year), "QT-QLKH-02"))
    db.session.commit()
    assert "via_api_token" not in _events("review.confirm")[-1].data


def test_a_session_cookie_does_not_authorise_the_api(app, world, login_as):
    client = login_as(world.secretary)
    assert client.get("/procedures/").status_code == 200
    resp = client.get("/api/v1/procedures")
    assert resp.status_code == 401 and resp.mimetype == "application/problem+json"


def test_the_api_needs_no_csrf_token_but_the_token_pages_do(csrf_app, make):
    from tests.api.conftest import bearer as b
    from tests.conftest import login

    make.unit("QLKH")
    user = make.user("member", unit="QLKH")
    secret = tokens.create(user, name="t", scope="write", days=1).secret
    db.session.commit()
    client = csrf_app.test_client()
    resp = client.post("/api/v1/capa", json={"kind": "corrective", "source": "other", "title": "Tiêu đề",
                                             "description": "Mô tả"}, headers=b(secret))
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert login(client, user).status_code == 400  # the login form itself wants its CSRF token
    assert client.post("/account/tokens", data={"name": "x", "scope": "read", "days": "1"}).status_code == 400
