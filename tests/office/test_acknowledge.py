"""Read and acknowledge: the units an issue concerns confirm "đã đọc và hiểu", once per person per issue."""
from __future__ import annotations

from datetime import date

import pytest

from app.office import services
from app.office.models import Acknowledgement
from app.office.hooks import office_tasks
from app.tasks import digest_for
from app.timeutil import local_today
from tests.conftest import login
from tests.office.conftest import BODY, reissue


@pytest.fixture
def issued(db, dc, people):
    """QT-QLKH-01 issued once through the workflow (created, submitted by the head, approved)."""
    proc = dc.create(people.secretary, code="QT-QLKH-01", title="Quy trình đăng ký hoạt động khoa học",
                     unit=people.member.unit, body=BODY)
    dc.submit(people.head, proc)
    dc.approve(people.leader, proc, effective_on=date.today(), message="Ban hành lần đầu")
    db.session.commit()
    return proc


def _ack_tasks(user):
    return [t for t in office_tasks(user, local_today()) if "acknowledge" in t.tags]


def test_the_owner_unit_is_asked_on_issue_and_each_person_confirms_once(client, db, dc, people, issued):
    assert [u.code for u in services.scope_units(issued)] == ["QLKH"]
    assert [t.url for t in _ack_tasks(people.member)] == ["/procedures/QT-QLKH-01/readers"]
    assert _ack_tasks(people.other_member) == []
    digest = [t for t in digest_for(people.member.unit, local_today()) if "acknowledge" in t.tags]
    assert digest and "2 người chưa xác nhận" in digest[0].detail

    login(client, people.member)
    page = client.get("/procedures/QT-QLKH-01/readers").data.decode()
    assert "Tôi đã đọc và hiểu" in page and "Chưa xác nhận" in page
    assert client.post("/procedures/QT-QLKH-01/acknowledge", data={"issue": "1"}).status_code == 302
    assert _ack_tasks(people.member) == []
    again = client.post("/procedures/QT-QLKH-01/acknowledge", data={"issue": "1"}, follow_redirects=True)
    assert "xác nhận không sửa được".encode() in again.data
    assert db.session.query(Acknowledgement).count() == 1
    page = client.get("/procedures/QT-QLKH-01/readers").data.decode()
    assert "Bạn đã xác nhận đã đọc và hiểu" in page


def test_a_new_issue_asks_again_and_an_old_confirmation_does_not_count(client, db, dc, people, issued):
    services.acknowledge(people.member, issued, 1)
    db.session.commit()
    reissue(db, dc, people, issued, "## 1. Mục đích\n\nLần hai.\n")
    assert [t.url for t in _ack_tasks(people.member)] == ["/procedures/QT-QLKH-01/readers"]
    with pytest.raises(services.OfficeError) as exc:
        services.acknowledge(people.member, issued, 1)  # a page left open on the old issue
    assert exc.value.key == "issue_changed"
    services.acknowledge(people.member, issued, 2)
    db.session.commit()
    assert _ack_tasks(people.member) == []
    assert sorted(a.issue_number for a in db.session.query(Acknowledgement)) == [1, 2]


def test_other_units_are_not_asked_until_the_approver_names_them(client, db, people, issued):
    with pytest.raises(services.Forbidden):
        services.acknowledge(people.other_member, issued, 1)
    with pytest.raises(services.Forbidden):
        services.add_scope_unit(people.member, issued, people.other_member.unit)
    login(client, people.leader)
    resp = client.post("/procedures/QT-QLKH-01/readers", data={"unit_id": people.other_member.unit.id})
    assert resp.status_code == 302
    assert [t.url for t in _ack_tasks(people.other_member)] == ["/procedures/QT-QLKH-01/readers"]
    services.acknowledge(people.other_member, issued, 1)
    db.session.commit()
    with pytest.raises(services.OfficeError):
        services.add_scope_unit(people.leader, issued, people.other_member.unit)


def test_the_procedure_shows_who_has_and_has_not_and_the_secretary_sees_coverage(client, db, people, issued):
    services.acknowledge(people.head, issued, 1)
    db.session.commit()
    by_unit = services.readers(issued)
    (unit, readers), = by_unit.items()
    assert unit.code == "QLKH"
    assert {r.user.username: bool(r.ack) for r in readers} == {"qlkh.cv": False, "qlkh.tp": True}
    (row,) = services.coverage()
    assert (row.procedure.code, row.unit.code, row.confirmed, row.people, row.percent) == ("QT-QLKH-01", "QLKH",
                                                                                          1, 2, 50)
    login(client, people.secretary)
    page = client.get("/procedures/acknowledgements").data.decode()
    assert "QT-QLKH-01" in page and "1/2" in page
    assert "QT-QLKH-01" not in client.get("/procedures/acknowledgements?unit=VP").data.decode()


def test_a_procedure_imported_in_force_asks_nobody_until_the_secretary_does(db, dc, people):
    from app.store import ProcedureDocument

    doc = ProcedureDocument(code="QT-QLKH-05", title="Quy trình nhập từ hồ sơ giấy", unit="QLKH", body=BODY,
                            issue=2, issued_on=date(2021, 3, 1), effective_on=date(2021, 3, 15))
    proc, _ = dc.import_document(people.secretary, doc)
    db.session.commit()
    assert services.scope_units(proc) == [] and _ack_tasks(people.member) == []
    services.add_scope_unit(people.secretary, proc, people.member.unit)
    db.session.commit()
    assert [t.url for t in _ack_tasks(people.member)] == ["/procedures/QT-QLKH-05/readers"]
