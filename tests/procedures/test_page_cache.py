"""Shared rendered pages (app/pagecache.py): never one person's view for another, never stale after a change."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.auth.models import User
from app.procedures.models import Procedure
from app.timeutil import local_today
from tests.conftest import _isolate_requests, login, make_config
from tests.procedures.conftest import BODY

PAGE = "/procedures/QT-QLKH-01"


@pytest.fixture
def cache(app):
    return app.extensions["qms_pages"]


def _signed_in(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _page(client, url=PAGE) -> str:
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.data.decode()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_readers_with_other_rights_never_get_each_others_page(app, db, people, issued, cache):
    """The unit's head (may edit, sees the draft), another unit's member (may not) and leadership (may
    withdraw): each sees their own name, their own buttons, and nobody else's."""
    from app.procedures.services import DocumentControl

    DocumentControl().save_draft(people.member, issued, body=BODY + "\nThêm một dòng.\n",
                                 base_revision=issued.current_revision, message="Sửa")
    db.session.commit()
    readers = {u: _signed_in(app, u) for u in (people.head, people.other_member, people.leader)}
    for _round in range(2):  # the second round is served from the cache
        pages = {u: _page(c) for u, c in readers.items()}
        for user, html in pages.items():
            assert user.full_name in html
            for other in readers:
                if other is not user:
                    assert other.full_name not in html and f">{other.username}" not in html
        assert 'data-testid="edit"' in pages[people.head]
        assert 'data-testid="edit"' not in pages[people.other_member]
        assert "Xem dự thảo" in pages[people.head] and "Xem dự thảo" not in pages[people.other_member]
        assert "Bãi bỏ quy trình" in pages[people.leader] and "Bãi bỏ quy trình" not in pages[people.head]
    assert cache.hits >= 3


def test_a_reader_with_the_same_rights_gets_the_shared_page_with_own_name_and_token(csrf_app, make):
    app = csrf_app
    make.unit("QLKH")
    first = make.user("member", unit="QLKH", username="an", full_name="Trần Văn An")
    second = make.user("member", unit="QLKH", username="binh", full_name="Lê Thị Bình")
    clients = {}
    for user in (first, second):
        client = app.test_client()
        token = _csrf(client.get("/login").data.decode())
        assert client.post("/login", data={"username": user.username, "password": make.password,
                                           "csrf_token": token}).status_code == 302
        clients[user] = client
    cache = app.extensions["qms_pages"]
    html_first = _page(clients[first], "/procedures/")
    hits = cache.hits
    html_second = _page(clients[second], "/procedures/")
    assert cache.hits == hits + 1                       # served from the page the first reader made
    assert "Lê Thị Bình" in html_second and "Trần Văn An" not in html_second
    assert "binh" in html_second and ">an ·" not in html_second
    assert _csrf(html_second) != _csrf(html_first)
    # the token put in is this reader's own: signing out with it works, with the other's it is refused
    refused = clients[second].post("/logout", data={"csrf_token": _csrf(html_first)})
    assert refused.status_code == 400
    assert clients[second].post("/logout", data={"csrf_token": _csrf(html_second)}).status_code == 302
    assert clients[second].get("/procedures/").status_code == 302      # signed out: to the login page


def test_a_cached_issued_page_changes_when_a_new_issue_takes_effect(client, db, dc, people, issued, login_as,
                                                                     clock, cache):
    login_as(people.committee)
    today = local_today()
    later = today + timedelta(days=10)
    dc.save_draft(people.member, issued, body=BODY + "\n| 2 | Chuyên viên | Nhận hồ sơ qua cổng dịch vụ công |\n",
                  base_revision=issued.current_revision, message="Sửa đổi lần 2")
    dc.submit(people.head, issued)
    dc.approve(people.leader, issued, effective_on=later, message="Sửa đổi lần 2")
    db.session.commit()
    for _ in range(2):
        html = _page(client)
        assert "Nhận hồ sơ qua cổng dịch vụ công" not in html      # issue 1 is the text in force
        assert 'data-testid="pending-banner"' in html
    assert cache.hits >= 1
    clock(later)
    html = _page(client)
    assert "Nhận hồ sơ qua cổng dịch vụ công" in html and 'data-testid="pending-banner"' not in html


def test_a_change_made_by_another_process_is_seen_at_once(app, db, people, issued, tmp_path, pg_schema):
    """Workers share nothing but the database and the data directory: a write in one makes the pages kept
    by every other stale."""
    reader = _signed_in(app, people.committee)
    assert "ĐÃ BÃI BỎ" not in _page(reader)
    _page(reader)
    db.session.commit()  # the test keeps one app context (and its session) open across requests
    other = create_app(make_config(tmp_path, pg_schema))
    _isolate_requests(other)
    with other.app_context():
        from app.extensions import db as other_db

        proc = other_db.session.scalar(select(Procedure).where(Procedure.code == "QT-QLKH-01"))
        proc.status = "withdrawn"
        other_db.session.commit()
        other_db.session.remove()
    db.session.expire_all()
    assert "ĐÃ BÃI BỎ" in _page(reader)


def test_a_signed_out_or_deactivated_session_is_not_served_from_the_cache(app, db, people, issued):
    kept = _signed_in(app, people.head)
    cookie = kept.get_cookie("session").value
    _page(kept)
    _page(kept)                                          # identity and page are both kept now
    copy = app.test_client()
    copy.set_cookie("session", cookie)
    assert copy.get(PAGE).status_code == 200
    kept.post("/logout")
    assert copy.get(PAGE).status_code == 302             # the copied cookie no longer signs anyone in
    other = _signed_in(app, people.member)
    _page(other)
    user = db.session.get(User, people.member.id)
    user.active = False
    db.session.commit()
    assert other.get(PAGE).status_code == 302


def test_a_page_that_reads_something_personal_is_not_shared(app, db, people, issued, cache, monkeypatch):
    from app.procedures import views

    original = views.approval_context

    def personal(proc, user):
        _ = user.email                                   # something not in the key nor filled in per reader
        return original(proc, user)

    monkeypatch.setattr(views, "approval_context", personal)
    reader = _signed_in(app, people.committee)
    before = cache.unshared
    _page(reader)
    _page(reader)
    assert cache.unshared == before + 2 and cache.hits == 0


def test_a_name_changed_by_a_filter_is_never_shared(app):
    from app.pagecache import CSRF, NAME, _split

    assert _split(f"<p>{NAME}</p><input value='{CSRF}'>") == (b"<p>", NAME, b"</p><input value='", CSRF, b"'>")
    assert _split(f"<p>{NAME.upper()}</p>") is None       # |upper on a name: refused, not kept garbled
    assert _split(f"<p>{NAME[:-1]}x</p>") is None         # a placeholder cut or altered: refused


def test_a_reader_who_switches_language_gets_the_page_in_that_language(app, people, issued):
    reader = _signed_in(app, people.committee)
    assert "Danh mục tài liệu" in _page(reader)
    _page(reader)
    reader.post("/lang/en")
    english = _page(reader)
    assert "Danh mục tài liệu" not in english and 'lang="en"' in english
    reader.post("/lang/vi")
    assert "Danh mục tài liệu" in _page(reader)
