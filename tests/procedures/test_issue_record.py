"""The issued record is right: names, dates and the text in force, for each issue shown (issue #11, 1-5)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.procedures.models import Procedure
from app.timeutil import local_today
from tests.procedures.conftest import BODY


def _issue_four(db, dc, people, proc, effective_on, body_change="Tiếp nhận hồ sơ điện tử"):
    """The member drafts, the head submits, leadership approves."""
    dc.save_draft(people.member, proc, body=BODY + f"\n| 2 | Chuyên viên | {body_change} |\n",
                  base_revision=proc.current_revision, message="Bổ sung tiếp nhận điện tử")
    dc.submit(people.head, proc)
    dc.approve(people.leader, proc, effective_on=effective_on, message="Bổ sung bước tiếp nhận điện tử")
    db.session.commit()


def test_a_new_issue_records_its_own_drafter_reviewer_and_approver(client, db, dc, login_as, people, issued):
    # issue 1 (imported from paper) was drafted by someone else entirely
    _issue_four(db, dc, people, issued, local_today())
    login_as(people.committee)
    html = client.get("/procedures/QT-QLKH-01").data.decode()
    block = html[html.index('data-testid="signatures"'):]
    block = block[:block.index("</table>")]
    assert "Võ Thị Mỹ Linh" in block          # the member who drafted issue 2
    assert "Đặng Văn Khoa" in block            # the head who reviewed and submitted it
    assert "Lê Hoàng Nam" in block             # the leader who approved it
    printed = client.get("/procedures/QT-QLKH-01/print").data.decode()
    assert "Võ Thị Mỹ Linh" in printed and "Đặng Văn Khoa" in printed


def test_the_previous_issue_keeps_its_own_names(client, db, dc, login_as, people, issued):
    first = issued.issued_revision
    _issue_four(db, dc, people, issued, local_today())
    login_as(people.committee)
    old = client.get(f"/procedures/QT-QLKH-01/revisions/{first}").data.decode()
    block = old[old.index('data-testid="signatures"'):]
    block = block[:block.index("</table>")]
    assert "Võ Thị Mỹ Linh" not in block and "Đặng Văn Khoa" not in block


def test_an_issue_effective_later_leaves_the_previous_one_in_force_until_its_date(
        client, db, dc, login_as, people, issued, clock):
    today = local_today()
    later = today + timedelta(days=32)
    _issue_four(db, dc, people, issued, later, body_change="Tiếp nhận hồ sơ trực tuyến mới")
    login_as(people.committee)

    page = client.get("/procedures/QT-QLKH-01").data.decode()
    assert "Tiếp nhận hồ sơ trực tuyến mới" not in page          # the text in force is issue 1
    assert 'data-testid="pending-banner"' in page and later.strftime("%d/%m/%Y") in page
    assert "Đang hiệu lực: lần 1" in page
    assert "Tiếp nhận hồ sơ trực tuyến mới" not in client.get("/procedures/QT-QLKH-01/print").data.decode()
    pending = client.get("/procedures/QT-QLKH-01/pending").data.decode()
    assert "Tiếp nhận hồ sơ trực tuyến mới" in pending and 'data-testid="viewing-pending"' in pending

    register = client.get("/procedures/").data.decode()
    assert "Đang hiệu lực: lần 1" in register and f"Lần 2 có hiệu lực từ {later:%d/%m/%Y}" in register
    assert "QT-QLKH-01" in client.get("/procedures/?status=issued").data.decode()
    assert "QT-QLKH-01" in client.get("/procedures/?status=upcoming").data.decode()
    found = client.get("/search?q=truc+tuyen+moi").data.decode()
    assert 'data-testid="search-hit"' not in found                # the pending text is not the one in force
    assert dc.st.in_force_on("QT-QLKH-01", today).number == 1

    clock(later)
    page = client.get("/procedures/QT-QLKH-01").data.decode()
    assert "Tiếp nhận hồ sơ trực tuyến mới" in page and 'data-testid="pending-banner"' not in page
    assert "Đang hiệu lực: lần 1" not in client.get("/procedures/").data.decode()
    assert 'data-testid="search-hit"' in client.get("/search?q=truc+tuyen+moi").data.decode()
    proc = db.session.get(Procedure, issued.id)
    assert proc.prior_revision is None and dc.st.in_force_on("QT-QLKH-01", later).number == 2


def test_a_second_issue_cannot_wait_behind_a_pending_one(db, dc, people, issued):
    from app.procedures.services import WorkflowError

    _issue_four(db, dc, people, issued, local_today() + timedelta(days=10))
    dc.save_draft(people.member, issued, body=BODY + "\nThêm nữa\n", base_revision=issued.current_revision)
    dc.submit(people.head, issued)
    with pytest.raises(WorkflowError) as exc:
        dc.approve(people.leader, issued, effective_on=local_today() + timedelta(days=20))
    assert exc.value.key == "issue_pending"


def test_the_amendment_log_dates_an_imported_issue_from_its_header(client, login_as, people, issued):
    login_as(people.committee)
    html = client.get("/procedures/QT-QLKH-01").data.decode()
    log = html[html.index('data-testid="amendment-log"'):]
    log = log[:log.index("</table>")]
    assert "01/03/2021" in log and local_today().strftime("%d/%m/%Y") not in log


def test_a_new_procedure_takes_its_unit_from_the_code(client, db, login_as, people, make):
    make.unit("CCTDC")
    login_as(people.secretary)
    response = client.post("/procedures/new", data={"code": "QT-QLKH-09", "title": "Quy trình mới", "unit_id": "",
                                                    "body": BODY})
    assert response.status_code == 302
    from sqlalchemy import select

    proc = db.session.scalar(select(Procedure).where(Procedure.code == "QT-QLKH-09"))
    assert proc.unit_code == "QLKH"


def test_a_unit_that_contradicts_the_code_is_refused_and_the_form_kept(client, db, login_as, people, make):
    cctdc = make.unit("CCTDC")
    login_as(people.secretary)
    html = client.post("/procedures/new", data={"code": "QT-QLKH-09", "title": "Quy trình giữ lại",
                                                "unit_id": str(cctdc.id), "body": BODY}).data.decode()
    assert "thuộc đơn vị QLKH" in html and "CCTDC" in html and "Quy trình giữ lại" in html
    from sqlalchemy import select

    assert db.session.scalar(select(Procedure).where(Procedure.code == "QT-QLKH-09")) is None


def test_a_code_without_a_unit_needs_a_chosen_unit(client, login_as, people):
    login_as(people.secretary)
    html = client.post("/procedures/new", data={"code": "QT-ABC-01", "title": "Không rõ đơn vị", "unit_id": "",
                                                "body": BODY}).data.decode()
    assert "Vui lòng chọn đơn vị chủ trì" in html


def test_the_unit_list_starts_blank_not_on_the_first_unit(client, login_as, people):
    login_as(people.secretary)
    html = client.get("/procedures/new").data.decode()
    select_html = html[html.index('name="unit_id"'):]
    first_option = select_html[select_html.index("<option"):select_html.index("</option>")]
    assert 'value=""' in first_option


def test_a_refused_approval_keeps_the_typed_change_note_and_date(client, db, dc, login_as, people, issued):
    dc.save_draft(people.member, issued, body=BODY + "\nSửa\n", base_revision=issued.current_revision)
    dc.submit(people.head, issued)
    db.session.commit()
    login_as(people.leader)
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    response = client.post("/procedures/QT-QLKH-01/approve",
                           data={"effective_on": yesterday, "message": "Cập nhật theo Nghị định 70/2026"})
    html = response.data.decode()
    assert response.status_code == 422
    assert "Ngày hiệu lực không được trước ngày ban hành" in html
    assert 'value="Cập nhật theo Nghị định 70/2026"' in html and f'value="{yesterday}"' in html


def test_the_approval_page_shows_the_change_readably_with_drafter_and_reviewer(client, db, dc, login_as, people,
                                                                               issued):
    dc.save_draft(people.member, issued, body=BODY.replace("Tiếp nhận hồ sơ", "Tiếp nhận và kiểm tra hồ sơ"),
                  base_revision=issued.current_revision, message="Thêm bước kiểm tra hồ sơ")
    dc.submit(people.head, issued)
    db.session.commit()
    login_as(people.leader)
    html = client.get("/procedures/QT-QLKH-01/draft").data.decode()
    review = html[html.index('data-testid="approval-review"'):]
    assert "Võ Thị Mỹ Linh" in review and "Đặng Văn Khoa" in review and "Thêm bước kiểm tra hồ sơ" in review
    diff = review[review.index('data-testid="approval-diff"'):]
    assert "kiểm tra" in diff and "| 1 |" not in diff and "## " not in diff  # reads as a document, not Markdown


def test_title_over_300_characters_is_refused_with_a_message_not_cut(client, login_as, people):
    login_as(people.secretary)
    long_title = "Quy trình " + "rất dài " * 50
    html = client.post("/procedures/new", data={"code": "QT-QLKH-08", "title": long_title, "unit_id": "",
                                                "body": BODY}).data.decode()
    assert "tối đa 300 ký tự" in html and long_title.strip() in html
    assert 'maxlength="300"' not in client.get("/procedures/new").data.decode()
