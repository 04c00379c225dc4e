"""The plan of a year: drafted by the secretary, approved by leadership, in force, closed; copied to a new year."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.objectives import services
from app.objectives.models import APPROVED, CLOSED, DRAFT, IN_FORCE
from app.objectives.services import ObjectiveError
from tests.objectives.conftest import period


def test_the_seed_plan_has_its_four_objectives_in_its_own_words(plan):
    assert [o.code for o in plan.objectives] == ["MT1", "MT2", "MT3", "MT4"]
    mt2 = plan.objectives[1]
    assert mt2.statement.startswith("100% hồ sơ sau khi tiếp nhận được xử lý và trả kết quả đúng thời gian quy định")
    assert "Quyết định số 162/QĐ-UBND ngày 20/01/2022" in plan.objectives[0].tasks[0].content
    assert plan.objectives[0].tasks[0].rule == "monthly" and plan.objectives[0].tasks[0].rule_day == 14
    assert plan.objectives[0].tasks[2].rule == "on_assignment"
    assert plan.office_due_day == 17 and plan.window_start_day == 15
    assert "Sử dụng các hành động khắc phục và phòng ngừa" in plan.monitoring


def test_approval_generates_the_periods_with_due_dates_moved_off_holidays(plan):
    assert plan.status == IN_FORCE
    assert len(services.periods_of(plan)) == 17
    march = period(plan, "2022-03")
    assert (march.starts_on, march.ends_on, march.due_on, march.office_due_on) == (
        date(2022, 2, 15), date(2022, 3, 14), date(2022, 3, 14), date(2022, 3, 17))
    may = period(plan, "2022-05")
    assert may.due_on == date(2022, 5, 16)  # the 14th is a Saturday
    september = period(plan, "2022-09")
    assert september.office_due_on == date(2022, 9, 19)  # 17/09/2022 is a Saturday


def test_only_leadership_approves_and_only_a_draft_with_objectives(people):
    plan = services.create_plan(people.secretary, 2030)
    with pytest.raises(ObjectiveError) as exc:
        services.approve(people.leader, plan)
    assert exc.value.key == "plan_empty"
    services.add_objective(people.secretary, plan, "MT1", "Mục tiêu")
    with pytest.raises(ObjectiveError) as exc:
        services.approve(people.secretary, plan)
    assert exc.value.key == "forbidden"
    services.approve(people.leader, plan)
    assert plan.status == APPROVED
    with pytest.raises(ObjectiveError):
        services.add_objective(people.secretary, plan, "MT2", "Không sửa được nữa")
    services.put_in_force(people.secretary, plan)
    services.close_plan(people.secretary, plan)
    assert plan.status == CLOSED


def test_a_member_cannot_draft_a_plan(people):
    with pytest.raises(ObjectiveError) as exc:
        services.create_plan(people.member, 2030)
    assert exc.value.key == "forbidden"


def test_a_new_year_starts_as_a_copy_of_the_last_one(plan, people):
    copy = services.copy_plan(people.secretary, plan, 2023)
    db.session.commit()
    assert copy.status == DRAFT and copy.copied_from_id == plan.id
    assert [o.statement for o in copy.objectives] == [o.statement for o in plan.objectives]
    assert sum(len(o.tasks) for o in copy.objectives) == 7
    assert sum(len(o.indicators) for o in copy.objectives) == 5
    yearly = copy.objectives[3].tasks[0]
    assert yearly.rule_date == date(2023, 12, 30)
    assert copy.year_due_on == date(2023, 11, 5)
    with pytest.raises(ObjectiveError) as exc:
        services.copy_plan(people.secretary, plan, 2023)
    assert exc.value.key == "plan_exists"


def test_bad_holiday_line_is_named_and_settings_move_open_periods(plan, people):
    with pytest.raises(ObjectiveError) as exc:
        services.update_settings(people.secretary, plan, title=plan.title, window_start_day=1, unit_due_day=14,
                                 office_due_day=17, year_due_on=plan.year_due_on,
                                 year_office_due_on=plan.year_office_due_on, holidays="01/09/2022\nngày mai")
    assert exc.value.key == "bad_holiday" and exc.value.params["line"] == 2
    db.session.rollback()
    services.update_settings(people.secretary, plan, title=plan.title, window_start_day=1, unit_due_day=10,
                             office_due_day=17, year_due_on=plan.year_due_on,
                             year_office_due_on=plan.year_office_due_on, holidays="")
    march = period(plan, "2022-03")
    assert (march.starts_on, march.ends_on, march.due_on) == (date(2022, 3, 1), date(2022, 3, 31), date(2022, 3, 10))


def test_every_change_is_an_audit_event(plan):
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "objectives")))
    assert {"objectives.plan_create", "objectives.plan_settings", "objectives.objective_add",
            "objectives.indicator_add", "objectives.task_add", "objectives.plan_approve",
            "objectives.plan_in_force"} <= actions


def test_task_rules_are_checked(plan, people):
    draft = services.create_plan(people.secretary, 2031)
    obj = services.add_objective(people.secretary, draft, "MT1", "Mục tiêu")
    for fields, key in ((dict(rule="monthly", rule_day=None, all_units=True), "rule_day"),
                        (dict(rule="yearly", all_units=True), "rule_date"),
                        (dict(rule="monthly", rule_day=14, lead_codes=["XYZ"]), "unknown_unit"),
                        (dict(rule="monthly", rule_day=14), "lead_required")):
        with pytest.raises(ObjectiveError) as exc:
            services.add_task(people.secretary, obj, content="Việc", **fields)
        assert exc.value.key == key


def test_a_task_when_assigned_has_a_deadline_per_assignment(plan, people):
    from app.objectives import assignments
    from app.objectives.hooks import objective_tasks
    from tests.objectives.conftest import unit

    task = plan.objectives[0].tasks[2]
    assert task.rule == "on_assignment"
    row = assignments.assign(people.secretary, task, unit("QLKH"), "Báo cáo 6 tháng", date(2022, 7, 30))
    db.session.commit()
    assert (row.given_due_on, row.due_on) == (date(2022, 7, 30), date(2022, 8, 1))   # a Saturday: Monday
    with pytest.raises(ObjectiveError) as exc:
        assignments.assign(people.secretary, plan.objectives[0].tasks[0], unit("QLKH"), "x", date(2022, 7, 1))
    assert exc.value.key == "not_on_assignment"
    home = objective_tasks(people.member, date(2022, 8, 2))
    assert any(t.title == "Báo cáo 6 tháng" and t.overdue and t.due == date(2022, 8, 1) for t in home)
    with pytest.raises(ObjectiveError):
        assignments.complete(people.ttr_member, row, "Xong", date(2022, 8, 2))
    assignments.complete(people.member, row, "Đã gửi UBND tỉnh", date(2022, 8, 2))
    db.session.commit()
    assert row.done_on == date(2022, 8, 2)
    assert not any(t.title == "Báo cáo 6 tháng" for t in objective_tasks(people.member, date(2022, 8, 2)))
