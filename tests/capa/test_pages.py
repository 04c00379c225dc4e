"""The CAPA pages: raising a record from where the problem is seen, the record page and its timeline."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.capa import services
from app.capa.models import Capa
from app.extensions import db
from app.timeutil import local_today
from tests.capa.conftest import drive, unit


def page(resp) -> str:
    return resp.data.decode()


def test_a_procedure_page_offers_to_raise_a_capa_for_it(client, login_as, people, procedure):
    login_as(people.other)
    html = page(client.get(f"/procedures/{procedure.code}"))
    assert f'href="/capa/new?procedure={procedure.code}"' in html


def test_raising_from_a_procedure_prefills_it_and_links_its_issued_revision(client, login_as, people, procedure):
    login_as(people.other)
    html = page(client.get(f"/capa/new?procedure={procedure.code}"))
    assert f'<option selected value="{procedure.code}">' in html
    resp = client.post("/capa/new", data={
        "kind": "preventive", "source": "complaint", "title": "Người dân phản ánh thời gian chờ",
        "description": "Phản ánh qua đường dây nóng ngày 12/10.", "unit_id": str(procedure.unit_id),
        "procedures": [procedure.code]})
    assert resp.status_code == 302
    capa = db.session.scalar(select(Capa))
    assert resp.headers["Location"].endswith(f"/capa/{capa.number}")
    assert capa.status == "proposed" and capa.unit_code == "QLKH"
    assert [(link.procedure.code, link.revision) for link in capa.links] == [(procedure.code,
                                                                               procedure.issued_revision)]
    html = page(client.get(f"/capa/{capa.number}"))
    assert "Người dân phản ánh thời gian chờ" in html and procedure.code in html
    assert f"/procedures/{procedure.code}/revisions/{procedure.issued_revision}" in html


def test_raising_from_a_review_keeps_the_review_and_its_unit(client, login_as, people, procedure):
    from app.reviews.models import Review, ReviewCycle

    cycle = ReviewCycle(year=local_today().year, deadline=local_today() + timedelta(days=30))
    review = Review(cycle=cycle, procedure=procedure, unit_id=procedure.unit_id)
    db.session.add_all([cycle, review])
    db.session.commit()
    login_as(people.member)
    html = page(client.get(f"/capa/new?review={review.id}&procedure={procedure.code}"))
    assert '<option selected value="review">' in html
    assert f'value="{review.id}"' in html
    resp = client.post("/capa/new", data={
        "kind": "corrective", "source": "review", "title": "Quy trình chưa cập nhật Nghị định mới",
        "description": "Rà soát phát hiện căn cứ pháp lý đã hết hiệu lực.", "unit_id": str(procedure.unit_id),
        "procedures": [procedure.code], "review_id": str(review.id)})
    assert resp.status_code == 302
    capa = db.session.scalar(select(Capa))
    assert capa.review_id == review.id and capa.source == "review"
    html = page(client.get(f"/capa/{capa.number}"))
    assert f"Rà soát năm {cycle.year}: {procedure.code} (QLKH)" in html
    assert f'href="/reviews/{cycle.year}/{procedure.code}"' in html


def test_a_form_with_mistakes_is_shown_again_with_what_was_typed(client, login_as, people):
    login_as(people.member)
    resp = client.post("/capa/new", data={"kind": "corrective", "source": "objective",
                                          "title": "Tỷ lệ hồ sơ đúng hạn 97%", "description": ""})
    assert resp.status_code == 200
    html = page(resp)
    assert "Vui lòng mô tả sự không phù hợp hoặc rủi ro." in html
    assert "Tỷ lệ hồ sơ đúng hạn 97%" in html
    assert db.session.scalar(select(Capa)) is None


def test_the_secretary_raising_a_free_record_assigns_it_at_once(client, login_as, people):
    login_as(people.secretary)
    resp = client.post("/capa/new", data={"kind": "corrective", "source": "management_review",
                                          "title": "Kết luận họp xem xét của lãnh đạo",
                                          "description": "Chưa đạt mục tiêu 2.", "unit_id": str(unit("QLKH").id)})
    assert resp.status_code == 302
    assert db.session.scalar(select(Capa)).status == "open"


def test_the_record_page_walks_through_the_workflow_and_shows_each_step_in_the_timeline(app, login_as, people):
    capa = drive(people, "proposed")
    number, today = capa.number, local_today().isoformat()
    secretary, member = app.test_client(), app.test_client()
    from tests.conftest import login

    login(secretary, people.secretary)
    login(member, people.member)
    steps = [
        (secretary, "accept", {"accept-unit_id": str(unit("QLKH").id), "accept-note": "Giao QLKH"}),
        (member, "analyse", {"analysis-root_cause": "Không theo dõi hạn", "analysis-similar_elsewhere": "yes",
                             "analysis-similar_note": "Phòng QLCN"}),
        (member, "actions", {"action-description": "Theo dõi hạn mỗi ngày", "action-due_on": today}),
        (member, "actions", {"action-description": "Tập huấn iGate", "action-due_on": today}),
        (member, "plan", {}),
        (member, "start", {}),
        (member, "actions/1/complete", {"done1-done_on": today, "done1-evidence": "Sổ theo dõi"}),
        (member, "actions/2/complete", {"done2-done_on": today, "done2-evidence": "Danh sách tập huấn"}),
        (secretary, "verify", {"verify-verified_on": today, "verify-effective": "yes",
                               "verify-evidence": "Không còn hồ sơ trễ hạn"}),
        (secretary, "close", {}),
    ]
    for client, path, data in steps:
        resp = client.post(f"/capa/{number}/{path}", data=data)
        assert resp.status_code == 302, (path, page(resp)[:2000])
    html = page(secretary.get(f"/capa/{number}"))
    assert "Đã đóng" in html
    for label in ("Lập phiếu", "Tiếp nhận, giao đơn vị", "Phân tích nguyên nhân", "Thêm hành động",
                  "Xác nhận kế hoạch", "Bắt đầu thực hiện", "Hoàn thành hành động",
                  "Kiểm tra hiệu quả: có hiệu quả", "Đóng phiếu"):
        assert label in html
    assert html.count('data-testid="timeline-event"') == 11
    assert people.secretary.full_name in html and people.member.full_name in html


def test_a_refused_transition_explains_why_on_the_record_page(client, login_as, people):
    capa = drive(people, "in_progress")
    login_as(people.secretary)
    resp = client.post(f"/capa/{capa.number}/close", follow_redirects=True)
    assert "Còn hành động chưa hoàn thành" in page(resp)
    assert capa.status == "in_progress"


def test_verifying_without_evidence_keeps_the_typed_form(client, login_as, people):
    capa = drive(people, "done")
    login_as(people.secretary)
    resp = client.post(f"/capa/{capa.number}/verify", data={"verify-verified_on": local_today().isoformat(),
                                                             "verify-effective": "no", "verify-evidence": ""})
    assert resp.status_code == 200
    html = page(resp)
    assert "Vui lòng ghi bằng chứng." in html
    assert '<input checked class="form-check-input" id="verify-effective-1"' in html
    assert capa.status == "in_progress"


def test_not_effective_through_the_page_returns_the_record_to_the_unit(client, login_as, people):
    capa = drive(people, "done")
    login_as(people.leader)
    client.post(f"/capa/{capa.number}/verify", data={"verify-verified_on": local_today().isoformat(),
                                                     "verify-effective": "no", "verify-evidence": "Còn trễ hạn"})
    db.session.refresh(capa)
    assert capa.status == "analysed"
    html = page(client.get(f"/capa/{capa.number}"))
    assert "Kiểm tra hiệu quả: chưa hiệu quả" in html and "Còn trễ hạn" in html


def test_another_unit_can_neither_read_nor_act_on_the_record(client, login_as, people):
    capa = drive(people, "open")
    login_as(people.other)
    assert client.get(f"/capa/{capa.number}").status_code == 403
    resp = client.post(f"/capa/{capa.number}/analyse", data={"analysis-root_cause": "X",
                                                             "analysis-similar_elsewhere": "no"})
    assert resp.status_code == 403
    assert capa.status == "open"


def test_a_reader_sees_no_buttons_that_would_be_refused(client, login_as, people):
    capa = drive(people, "open")
    login_as(people.committee)
    html = page(client.get(f"/capa/{capa.number}"))
    assert capa.number in html
    for testid in ("analyse", "accept", "cancel", "close", "add-action"):
        assert f'data-testid="{testid}"' not in html


def test_the_proposer_reads_their_own_proposal(client, login_as, people):
    capa = services.propose(people.other, kind="preventive", source="other", title="Đề xuất của tôi",
                            description="Mô tả")
    db.session.commit()
    login_as(people.other)
    assert client.get(f"/capa/{capa.number}").status_code == 200


def test_an_unknown_number_is_not_found(client, login_as, people):
    login_as(people.secretary)
    assert client.get("/capa/CAPA-1999-001").status_code == 404


def test_the_record_pages_forms_carry_their_csrf_token(csrf_app):
    """With CSRF on, as in production: each prefixed form of the record page posts."""
    import re

    from tests.capa.conftest import drive as _drive
    from tests.conftest import Factory, login

    make = Factory(csrf_app)
    for code in ("VP", "QLKH"):
        make.unit(code)
    from types import SimpleNamespace

    people = SimpleNamespace(secretary=make.user("secretary", unit="VP"), member=make.user("member", unit="QLKH"))
    capa = _drive(people, "open")
    client = csrf_app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").data.decode()).group(1)
    client.post("/login", data={"username": people.member.username, "password": make.password,
                                "csrf_token": token})
    html = page(client.get(f"/capa/{capa.number}"))
    token = re.search(r'name="analysis-csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    resp = client.post(f"/capa/{capa.number}/analyse", data={
        "analysis-csrf_token": token, "analysis-root_cause": "Thiếu kiểm tra", "analysis-similar_elsewhere": "no"})
    assert resp.status_code == 302
    assert capa.status == "analysed"


def test_the_review_page_snippet_links_to_a_new_record_for_that_review(app, login_as, people):
    from types import SimpleNamespace

    from flask import render_template
    from flask_login import login_user

    with app.test_request_context("/reviews/2026/QT-QLKH-01"):
        login_user(people.member)
        html = render_template("capa/_review_action.html", review=SimpleNamespace(id=7),
                               proc=SimpleNamespace(code="QT-QLKH-01"))
    assert 'href="/capa/new?review=7&amp;procedure=QT-QLKH-01"' in html


def test_the_link_list_shows_each_reader_only_the_drafts_they_may_see_and_follows_new_drafts(
        app, people, procedure):
    """The list of procedures to link is kept between pages (pagecache.shared_value): never one reader's for
    another's, and never older than the last change."""
    from app.procedures.services import DocumentControl

    dc = DocumentControl()
    dc.create(people.secretary, code="QT-TTR-09", title="Dự thảo thanh tra", unit=unit("TTR"), body="Nội dung.")
    db.session.commit()
    capa = drive(people, upto="open")

    from tests.conftest import login

    clients = {}

    def options(user) -> set[str]:
        if user.id not in clients:  # one browser per person: signing in again does not switch user
            clients[user.id] = app.test_client()
            assert login(clients[user.id], user).status_code == 302
        html = page(clients[user.id].get(f"/capa/{capa.number}"))
        assert 'data-testid="link-procedure"' in html  # the link form is shown
        return set(re.findall(r'<option [^>]*value="(QT-[A-Z]+-\d+)"', html))

    assert options(people.secretary) == {procedure.code, "QT-TTR-09"}
    assert options(people.head) == {procedure.code}          # another unit's draft: not for QLKH
    assert options(people.secretary) == {procedure.code, "QT-TTR-09"}
    dc.create(people.secretary, code="QT-QLKH-08", title="Dự thảo mới", unit=unit("QLKH"), body="Nội dung.")
    db.session.commit()
    assert options(people.head) == {procedure.code, "QT-QLKH-08"}
