"""Logout ends the session on the server; a draft's history stays with those who may see the draft."""
from __future__ import annotations

from tests.conftest import login


def _cookie(client):
    return client.get_cookie("session").value


def test_the_old_cookie_is_refused_after_logout(app, people):
    client = app.test_client()
    assert login(client, people.member).status_code == 302
    stolen = _cookie(client)
    assert client.get("/procedures/").status_code == 200
    assert client.post("/logout").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    resp = replay.get("/procedures/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_logout_ends_only_that_browsers_session(app, people):
    office, home = app.test_client(), app.test_client()
    login(office, people.member)
    login(home, people.member)
    office.post("/logout")
    assert home.get("/procedures/").status_code == 200


def test_a_password_change_ends_other_sessions_but_keeps_this_one(app, people):
    mine, other = app.test_client(), app.test_client()
    login(mine, people.member)
    login(other, people.member)
    resp = mine.post("/account/password", data={"current_password": "correct-horse-1",
                                                 "new_password": "a-new-password-9", "confirm": "a-new-password-9",
                                                 "new_password2": "a-new-password-9"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    assert mine.get("/procedures/").status_code == 200
    assert other.get("/procedures/").status_code == 302


def test_a_deactivated_account_is_signed_out_everywhere(app, db, people):
    client = app.test_client()
    login(client, people.member)
    people.member.active = False
    db.session.commit()
    assert client.get("/procedures/").status_code == 302


def test_the_history_of_a_never_issued_draft_is_hidden_from_other_units(app, people, draft, issued):
    client = app.test_client()
    login(client, people.other_member)
    resp = client.get("/procedures/QT-QLKH-02/history")
    assert resp.status_code == 403
    page = resp.get_data(as_text=True)
    assert draft.title not in page and "Lịch sử phiên bản" not in page
    assert client.get("/procedures/QT-QLKH-01/history").status_code == 200
    own = app.test_client()
    login(own, people.member)
    assert "QT-QLKH-02" in own.get("/procedures/QT-QLKH-02/history").get_data(as_text=True)
