"""Session cookies are verified once per process: a changed cookie, an expired one and a changed session are
still what they were before."""
from __future__ import annotations

import time

from flask import request, session


def _cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_changed_by_one_character_signs_nobody_in_even_after_the_real_one_was_used(
        client, app, login_as, make):
    login_as(make.user("member", unit="QLKH"))
    assert client.get("/procedures/").status_code == 200  # the real cookie, verified and kept
    real = _cookie(client)
    # the signature's first character: all six of its bits count (the last one's lowest bits may be padding,
    # which base64 decoding ignores, so changing it may change nothing)
    head, _, signature = real.rpartition(".")
    forged = f"{head}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"
    other = app.test_client()
    other.set_cookie("session", forged)
    resp = other.get("/procedures/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    again = app.test_client()
    again.set_cookie("session", real)
    assert again.get("/procedures/").status_code == 200


def _open(app, cookie: str):
    with app.test_request_context("/procedures/", headers={"Cookie": f"session={cookie}"}):
        return app.session_interface.open_session(app, request)


def test_a_kept_cookie_still_expires(client, app, login_as, make, monkeypatch):
    login_as(make.user("member", unit="QLKH"))
    assert client.get("/procedures/").status_code == 200  # verified and kept
    cookie = _cookie(client)
    assert _open(app, cookie).get("_user_id")
    lifetime = app.permanent_session_lifetime.total_seconds()
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + lifetime + 60)
    assert "_user_id" not in _open(app, cookie)
    resp = client.get("/procedures/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_change_to_one_request_session_is_not_seen_by_the_next_request_with_the_same_cookie(
        client, app, login_as, make):
    login_as(make.user("member", unit="QLKH"))
    with client.session_transaction() as sess:
        sess["_flashes"] = [("success", "Đã lưu")]
    cookie = _cookie(client)
    first = _open(app, cookie)
    first["_flashes"].append(("error", "Lỗi"))  # as flash() does, in place
    first["_user_id"] = "someone else"
    second = _open(app, cookie)
    assert second["_flashes"] == [("success", "Đã lưu")]
    assert second["_user_id"] != "someone else"


def test_a_flashed_message_is_shown_once(client, app, login_as, make):
    login_as(make.user("member", unit="QLKH"))
    with client.session_transaction() as sess:
        sess["_flashes"] = [("success", "Thông báo thử")]
    assert "Thông báo thử" in client.get("/procedures/").data.decode()
    assert "Thông báo thử" not in client.get("/procedures/").data.decode()
    with app.test_request_context("/"):
        assert "_flashes" not in session
