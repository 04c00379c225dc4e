"""CAPA in "My tasks" and in the unit digest of `qms remind`: overdue actions are flagged."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from app.capa import services
from app.extensions import db
from app.tasks import digest_for as _digest_for
from app.tasks import tasks_for as _tasks_for
from app.timeutil import local_today
from tests.capa.conftest import drive, unit


def tasks_for(user, today):
    with force_locale("vi"):  # as outside a request, like `qms remind`
        return _tasks_for(user, today)


def digest_for(unit, today):
    with force_locale("vi"):
        return _digest_for(unit, today)


def _overdue_record(people, owner_user=None):
    capa = drive(people, "analysed", actions=0)
    services.add_action(people.member, capa, description="Cập nhật sổ theo dõi hồ sơ",
                        due_on=local_today() - timedelta(days=3), owner_user=owner_user,
                        planned_on=local_today() - timedelta(days=30))  # planned a month ago, now overdue
    services.plan(people.member, capa)
    services.start(people.member, capa)
    db.session.commit()
    return capa


def test_an_overdue_action_is_flagged_on_the_owner_units_home_page(client, login_as, people):
    capa = _overdue_record(people)
    login_as(people.member)
    html = client.get("/").data.decode()
    assert f"{capa.number} – hành động 1: Cập nhật sổ theo dõi hồ sơ" in html
    assert "Quá hạn" in html and f'href="/capa/{capa.number}"' in html


def test_an_action_owned_by_a_person_goes_to_that_person_only(people):
    capa = _overdue_record(people, owner_user=people.other)
    today = local_today()
    theirs = [t for t in tasks_for(people.other, today) if capa.number in t.title]
    assert len(theirs) == 1 and theirs[0].overdue
    assert not [t for t in tasks_for(people.member, today) if "hành động" in t.title]


def test_the_unit_digest_lists_overdue_and_soon_due_actions(people):
    capa = _overdue_record(people)
    services.add_action(people.member, capa, description="Việc còn xa", due_on=local_today() + timedelta(days=60))
    services.add_action(people.member, capa, description="Việc sắp đến hạn",
                        due_on=local_today() + timedelta(days=2))
    db.session.commit()
    items = digest_for(unit("QLKH"), local_today())
    assert [(t.overdue, t.title.split(": ", 1)[1]) for t in items] == [
        (True, "Cập nhật sổ theo dõi hồ sơ"), (False, "Việc sắp đến hạn")]
    assert items[0].url == f"/capa/{capa.number}"
    assert digest_for(unit("TTR"), local_today()) == []


def test_done_and_cancelled_work_leaves_the_lists(people):
    capa = _overdue_record(people)
    services.cancel(people.secretary, capa, "Trùng phiếu")
    db.session.commit()
    assert digest_for(unit("QLKH"), local_today()) == []
    assert not [t for t in tasks_for(people.member, local_today()) if capa.number in t.title]


def test_each_role_sees_the_step_waiting_for_it(people):
    today = local_today()
    proposal = services.propose(people.other, kind="preventive", source="other", title="Đề xuất",
                                description="Mô tả")
    opened = drive(people, "open")
    done = drive(people, "done")
    db.session.commit()
    secretary = {t.title.split(":")[0] for t in tasks_for(people.secretary, today)}
    assert {proposal.number, done.number} <= secretary
    leader = {t.title.split(":")[0] for t in tasks_for(people.leader, today)}
    assert done.number in leader and proposal.number not in leader
    unit_tasks = [t for t in tasks_for(people.head, today) if t.title.startswith(opened.number)]
    assert unit_tasks and unit_tasks[0].detail == "Cần phân tích nguyên nhân"
