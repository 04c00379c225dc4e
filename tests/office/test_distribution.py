"""Distribution register: numbered controlled copies per issue, recalled when a new issue replaces them."""
from __future__ import annotations

import pytest

from app.office import services
from app.office.hooks import office_tasks
from app.office.models import HELD, RETURNED, TO_RECALL
from app.timeutil import local_today
from tests.conftest import login
from tests.office.conftest import pdf_text, reissue


def test_copies_are_numbered_per_issue_and_print_as_controlled_copies(client, db, people, issued):
    first = services.issue_copy(people.secretary, issued, people.member.unit, "Bộ phận một cửa")
    second = services.issue_copy(people.secretary, issued, people.other_member.unit)
    db.session.commit()
    assert (first.number, second.number) == (1, 2) and first.issue_number == second.issue_number == 1
    login(client, people.member)
    text = " ".join(pdf_text(client.get("/procedures/QT-QLKH-01/export.pdf?copy=1").data))
    assert "BẢN KIỂM SOÁT SỐ 1" in text and "Đơn vị QLKH" in text and "KHÔNG KIỂM SOÁT" not in text
    # the QLKH member may print QLKH's copy, not VP's; an unknown number is no copy at all
    assert client.get("/procedures/QT-QLKH-01/export.pdf?copy=2").status_code == 403
    assert client.get("/procedures/QT-QLKH-01/export.pdf?copy=9").status_code == 404


def test_a_new_issue_lists_the_old_copies_to_recall_and_the_secretary_records_their_return(
        client, db, dc, people, issued):
    old = services.issue_copy(people.secretary, issued, people.member.unit)
    db.session.commit()
    reissue(db, dc, people, issued, "## 1. Mục đích\n\nLần hai.\n")
    assert old.status == TO_RECALL and old.recall_at is not None
    tasks = [t for t in office_tasks(people.secretary, local_today()) if "recall" in t.tags]
    assert [t.url for t in tasks] == ["/procedures/QT-QLKH-01/distribution"]
    assert not [t for t in office_tasks(people.member, local_today()) if "recall" in t.tags]
    new = services.issue_copy(people.secretary, issued, people.member.unit)
    assert (new.issue_number, new.number, new.status) == (2, 1, HELD)

    login(client, people.secretary)
    assert "Cần thu hồi".encode() in client.get("/procedures/distribution").data
    resp = client.post(f"/procedures/QT-QLKH-01/distribution/{old.id}/return")
    assert resp.status_code == 302
    db.session.refresh(old)
    assert old.status == RETURNED and old.returned_by_id == people.secretary.id
    assert not [t for t in office_tasks(people.secretary, local_today()) if "recall" in t.tags]
    # a returned copy cannot be returned twice, and no longer prints as a valid controlled copy
    with pytest.raises(services.OfficeError):
        services.record_return(people.secretary, issued, old.id)
    assert client.get("/procedures/QT-QLKH-01/export.pdf?copy=1").status_code == 200  # the new issue's copy 1


def test_withdrawal_recalls_every_copy_and_no_new_copy_is_issued(db, dc, people, issued):
    copy = services.issue_copy(people.secretary, issued, people.member.unit)
    dc.withdraw(people.leader, issued, reason="Bãi bỏ thủ tục")
    db.session.commit()
    assert copy.status == TO_RECALL
    with pytest.raises(services.OfficeError) as exc:
        services.issue_copy(people.secretary, issued, people.member.unit)
    assert exc.value.key == "not_in_force"


def test_only_the_secretary_hands_out_copies(client, db, people, issued):
    with pytest.raises(services.Forbidden):
        services.issue_copy(people.head, issued, people.member.unit)
    login(client, people.secretary)
    resp = client.post("/procedures/QT-QLKH-01/distribution", data={"unit_id": ""}, follow_redirects=True)
    assert "Hãy chọn đơn vị nhận bản kiểm soát.".encode() in resp.data
    resp = client.post("/procedures/QT-QLKH-01/distribution", data={"unit_id": people.member.unit.id},
                       follow_redirects=True)
    assert "Đã cấp bản kiểm soát số 1".encode() in resp.data
