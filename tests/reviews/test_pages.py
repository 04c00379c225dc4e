"""The review pages: dashboard, per-procedure table with filters, a review's page, my tasks, the home indicator."""
from __future__ import annotations

import re
from datetime import date

from app.extensions import db
from app.reviews import routes, services
from app.reviews.models import CONFIRMED, MAINTAINED, RECORDED
from tests.reviews.conftest import IN_2022, review_of


def _text(resp) -> str:
    return resp.get_data(as_text=True)


def _codes(html: str) -> list[str]:
    return re.findall(r'data-testid="review-row" data-code="([^"]+)"', html)


def _accept(people, review):
    services.record(people.member, review, outcome=MAINTAINED, now=IN_2022)
    services.confirm(people.head, review, now=IN_2022)
    services.accept(people.secretary, review, now=IN_2022)


def test_the_cycle_page_shows_overall_and_per_unit_progress(login_as, people, cycle_2022):
    _accept(people, review_of(cycle_2022, "QT-QLKH-01"))
    db.session.commit()
    html = _text(login_as(people.committee).get("/reviews/2022"))
    assert "Mục tiêu 4: 1/4 quy trình đã rà soát, 25%" in html
    assert 'data-testid="progress-overall" data-done="1" data-total="4" data-pct="25"' in html
    assert re.search(r'data-unit="QLKH">.*?data-done="1" data-total="3" data-pct="33"', html, re.S)
    assert re.search(r'data-unit="TTR">.*?data-done="0" data-total="1" data-pct="0"', html, re.S)
    assert "w-pct-33" in html and 'style="' not in html
    assert _codes(html) == ["QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03", "QT-TTR-01"]


def test_a_unit_sees_only_its_own_procedures(login_as, people, cycle_2022):
    client = login_as(people.other_member)
    html = _text(client.get("/reviews/2022"))
    assert _codes(html) == ["QT-TTR-01"]
    assert 'data-unit="QLKH"' not in html
    assert client.get("/reviews/2022/QT-QLKH-01").status_code == 403
    assert _codes(_text(client.get("/reviews/2022?unit=QLKH"))) == []


def test_the_table_filters_by_unit_and_status_and_is_paginated(login_as, people, cycle_2022, monkeypatch):
    services.record(people.member, review_of(cycle_2022, "QT-QLKH-02"), outcome=MAINTAINED, now=IN_2022)
    db.session.commit()
    client = login_as(people.secretary)
    assert _codes(_text(client.get("/reviews/2022?unit=TTR"))) == ["QT-TTR-01"]
    assert _codes(_text(client.get("/reviews/2022?status=recorded"))) == ["QT-QLKH-02"]
    assert _codes(_text(client.get("/reviews/2022?status=todo&unit=QLKH"))) == ["QT-QLKH-01", "QT-QLKH-03"]
    assert _codes(_text(client.get("/reviews/2022?status=overdue"))) == ["QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03",
                                                                        "QT-TTR-01"]
    monkeypatch.setattr(routes, "PER_PAGE", 3)
    first, second = _text(client.get("/reviews/2022")), _text(client.get("/reviews/2022?page=2"))
    assert _codes(first) == ["QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03"] and _codes(second) == ["QT-TTR-01"]
    assert "Tổng số: 4" in first


def test_a_member_records_maintained_and_the_page_links_the_revision_read(login_as, people, cycle_2022):
    client = login_as(people.member)
    page = _text(client.get("/reviews/2022/QT-QLKH-01"))
    assert 'data-testid="record-form"' in page
    resp = client.post("/reviews/2022/QT-QLKH-01/record", data={"outcome": "maintained", "note": "Không đổi"})
    assert resp.status_code == 302
    review = review_of(cycle_2022, "QT-QLKH-01")
    page = _text(client.get("/reviews/2022/QT-QLKH-01"))
    link = f"/procedures/QT-QLKH-01/revisions/{review.revision}"
    assert link in page and "Chờ trưởng đơn vị xác nhận" in page
    assert client.get(link).status_code == 200


def test_a_refused_record_shows_the_reason_and_keeps_what_was_typed(login_as, people, cycle_2022):
    client = login_as(people.member)
    resp = client.post("/reviews/2022/QT-QLKH-01/record",
                       data={"outcome": "updated", "note": "Sửa theo Nghị định 107/2021"})
    html = _text(resp)
    assert resp.status_code == 400
    assert "Quy trình chưa có bản sửa đổi nào đang soạn" in html
    assert "Sửa theo Nghị định 107/2021" in html
    assert review_of(cycle_2022, "QT-QLKH-01").status == "pending"


def test_the_head_confirms_several_at_once_from_the_cycle_page(login_as, people, cycle_2022):
    one, two = review_of(cycle_2022, "QT-QLKH-01"), review_of(cycle_2022, "QT-QLKH-02")
    services.record(people.member, one, outcome=MAINTAINED, now=IN_2022)
    services.record(people.member, two, outcome=MAINTAINED, now=IN_2022)
    db.session.commit()
    client = login_as(people.head)
    html = _text(client.get("/reviews/2022"))
    assert html.count('data-testid="bulk-check"') == 2
    resp = client.post("/reviews/2022/bulk-confirm", data={"review_id": [str(one.id), str(two.id)],
                                                            "next": "/reviews/2022?unit=QLKH"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/reviews/2022?unit=QLKH")
    db.session.expire_all()
    assert (one.status, two.status) == (CONFIRMED, CONFIRMED)


def test_an_outside_next_is_not_followed(login_as, people, cycle_2022):
    services.record(people.member, review_of(cycle_2022, "QT-QLKH-01"), outcome=MAINTAINED, now=IN_2022)
    db.session.commit()
    resp = login_as(people.head).post("/reviews/2022/QT-QLKH-01/confirm", data={"next": "//evil.example/x"})
    assert resp.headers["Location"].endswith("/reviews/2022/QT-QLKH-01")


def test_another_units_head_gets_403_on_record_and_confirm_and_so_does_the_secretary_on_confirm(login_as, people, cycle_2022, app):
    services.record(people.member, review_of(cycle_2022, "QT-QLKH-01"), outcome=MAINTAINED, now=IN_2022)
    db.session.commit()
    client = login_as(people.other_head)
    assert client.post("/reviews/2022/QT-QLKH-01/confirm").status_code == 403
    assert client.post("/reviews/2022/QT-QLKH-02/record", data={"outcome": "maintained"}).status_code == 403
    assert review_of(cycle_2022, "QT-QLKH-02").status == "pending"
    other = app.test_client()
    from tests.conftest import login

    login(other, people.secretary)
    assert other.post("/reviews/2022/QT-QLKH-01/confirm").status_code == 403
    assert review_of(cycle_2022, "QT-QLKH-01").status == RECORDED


def test_my_tasks_list_what_waits_for_each_person_with_the_deadline(app, people, cycle_2022):
    services.record(people.member, review_of(cycle_2022, "QT-QLKH-01"), outcome=MAINTAINED, now=IN_2022)
    confirmed = review_of(cycle_2022, "QT-QLKH-02")
    services.record(people.member, confirmed, outcome=MAINTAINED, now=IN_2022)
    services.confirm(people.head, confirmed, now=IN_2022)
    db.session.commit()
    from tests.conftest import login

    def home(user):
        client = app.test_client()
        login(client, user)
        return _text(client.get("/"))

    member, head, secretary = home(people.member), home(people.head), home(people.secretary)
    assert "Rà soát cần ghi nhận" in member and "QT-QLKH-03" in member and "QT-QLKH-01" not in member
    assert "Rà soát cần xác nhận" in head and "QT-QLKH-01 –" in head
    assert "Rà soát cần chấp nhận" in secretary and "QT-QLKH-02 –" in secretary
    assert "Quá hạn 31/12/2022" in member
    assert "QT-TTR-01" not in member + head


def test_the_steering_committee_reads_the_objective_4_indicator_on_its_home_page(login_as, people, cycle_2022):
    _accept(people, review_of(cycle_2022, "QT-QLKH-01"))
    db.session.commit()
    html = _text(login_as(people.committee).get("/"))
    assert 'data-testid="objective4-widget"' in html
    assert "Mục tiêu 4: 1/4 quy trình đã rà soát, 25%" in html


def test_a_unit_member_does_not_get_the_indicator(login_as, people, cycle_2022):
    assert 'data-testid="objective4-widget"' not in _text(login_as(people.member).get("/"))


def test_the_secretary_opens_a_cycle_from_the_cycles_page_and_a_bad_form_keeps_the_year(login_as, people, procs):
    procs.issued("QT-QLKH-01", "QLKH")
    client = login_as(people.secretary)
    bad = client.post("/reviews/", data={"year": "2022", "deadline": ""})
    assert bad.status_code == 400 and "Vui lòng chọn hạn hoàn thành." in _text(bad)
    assert 'value="2022"' in _text(bad)
    ok = client.post("/reviews/", data={"year": str(date.today().year), "deadline": f"{date.today().year}-12-31"})
    assert ok.status_code == 302
    twice = client.post("/reviews/", data={"year": str(date.today().year), "deadline": f"{date.today().year}-12-31"})
    assert twice.status_code == 400 and "đã có" in _text(twice)


def test_a_closed_cycle_is_read_only(login_as, people, cycle_2022):
    services.record(people.member, review_of(cycle_2022, "QT-QLKH-01"), outcome=MAINTAINED, now=IN_2022)
    services.close_cycle(people.secretary, cycle_2022)
    db.session.commit()
    client = login_as(people.head)
    html = _text(client.get("/reviews/2022/QT-QLKH-01"))
    assert "Đợt rà soát đã đóng" in html and 'data-testid="confirm"' not in html
    resp = client.post("/reviews/2022/QT-QLKH-01/confirm", follow_redirects=True)
    assert "kết quả chỉ xem được, không sửa được" in _text(resp)
    assert review_of(cycle_2022, "QT-QLKH-01").status == RECORDED


def test_the_year_on_year_page_and_the_stale_list(login_as, people, cycle_2022):
    _accept(people, review_of(cycle_2022, "QT-QLKH-01"))
    db.session.commit()
    html = _text(login_as(people.secretary).get("/reviews/compliance?on=01/12/2022"))
    assert 'data-year="2022" data-pct="25"' in html
    assert 'data-testid="stale-count">3<' in html and 'data-code="QT-QLKH-01"' not in html.split("stale-count")[1]
