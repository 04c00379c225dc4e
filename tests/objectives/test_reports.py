"""A unit's report: the member drafts, the head sends (late is marked with how late), the secretary accepts or
returns it; a closed period freezes it; a missing report shows after its due date."""
from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.objectives import consolidation, figures, reports
from app.objectives.services import ObjectiveError
from tests.objectives.conftest import fill, indicator, period, send, unit


def test_member_drafts_and_head_sends_on_time(plan, people):
    march = period(plan, "2022-03")
    rep = fill(plan, march, "QLKH", people.member)
    assert rep.status == "draft"
    with pytest.raises(ObjectiveError) as exc:
        reports.send(people.member, rep, today=date(2022, 3, 14))
    assert exc.value.key == "forbidden"
    send(rep, people.head, date(2022, 3, 14))
    assert rep.status == "sent" and rep.days_late == 0 and rep.sent_on == date(2022, 3, 14)


def test_a_late_report_says_how_late(plan, people):
    rep = send(fill(plan, period(plan, "2022-03"), "QLKH", people.member), people.head, date(2022, 3, 18))
    assert rep.days_late == 4


def test_a_unit_cannot_write_another_units_report(plan, people):
    with pytest.raises(ObjectiveError) as exc:
        fill(plan, period(plan, "2022-03"), "QLKH", people.ttr_member)
    assert exc.value.key == "forbidden"


def test_bad_values_are_refused_before_anything_is_written(plan, people):
    march = period(plan, "2022-03")
    mt1 = indicator(plan, "MT1")
    with pytest.raises(ObjectiveError) as exc:
        fill(plan, march, "QLKH", people.member, values={mt1.id: "một trăm"})
    assert exc.value.key == "bad_value" and f"value-{mt1.id}" in exc.value.params["fields"]
    db.session.rollback()
    assert reports.get_report(march, unit("QLKH")) is None
    with pytest.raises(ObjectiveError) as exc:
        fill(plan, march, "QLKH", people.member, status="not_done")
    assert exc.value.key == "reason_required"


def test_decimal_comma_and_rating_labels_are_read(plan, people):
    q1 = period(plan, "2022-Q1")
    rating = indicator(plan, "MT2", frequency="quarter")
    assert reports.parse_value(rating, "khá") == 3.0
    assert reports.parse_value(indicator(plan, "MT1"), "97,5") == 97.5
    with pytest.raises(ObjectiveError):
        reports.parse_value(rating, "Rất tốt")
    vp = unit("VP")
    assert rating in reports.indicators_owed(plan, vp.id, q1.kind)
    assert rating not in reports.indicators_owed(plan, unit("QLKH").id, q1.kind)


def test_sending_needs_every_owed_value(plan, people):
    march = period(plan, "2022-03")
    mt1 = indicator(plan, "MT1")
    rep = fill(plan, march, "QLKH", people.member, values={mt1.id: ""})
    with pytest.raises(ObjectiveError) as exc:
        reports.send(people.head, rep, today=date(2022, 3, 10))
    assert exc.value.key == "values_missing" and mt1.name in exc.value.params["names"]


def test_secretary_returns_with_a_comment_and_the_unit_sends_again(plan, people):
    march = period(plan, "2022-03")
    rep = send(fill(plan, march, "QLKH", people.member), people.head, date(2022, 3, 14))
    with pytest.raises(ObjectiveError) as exc:
        reports.return_report(people.secretary, rep, "  ")
    assert exc.value.key == "comment_required"
    reports.return_report(people.secretary, rep, "Bổ sung minh chứng")
    assert rep.status == "returned" and rep.return_comment == "Bổ sung minh chứng"
    fill(plan, march, "QLKH", people.member)
    send(rep, people.head, date(2022, 3, 15))
    reports.accept(people.secretary, rep)
    assert rep.status == "accepted" and rep.days_late == 1


def test_missing_reports_show_only_after_the_due_date(plan, people):
    march = period(plan, "2022-03")
    send(fill(plan, march, "QLKH", people.member), people.head, date(2022, 3, 14))
    before = figures.period_view(plan, march, date(2022, 3, 14))
    assert before.missing == [] and "TTR" in [u.code for u in before.not_sent]
    after = figures.period_view(plan, march, date(2022, 3, 15))
    assert "TTR" in [u.code for u in after.missing] and "QLKH" not in [u.code for u in after.missing]


def test_a_closed_period_freezes_its_reports(plan, people):
    march = period(plan, "2022-03")
    rep = fill(plan, march, "QLKH", people.member)
    with pytest.raises(ObjectiveError) as exc:
        consolidation.close_period(people.secretary, march, "", date(2022, 3, 20))
    assert exc.value.key == "summary_required"
    consolidation.close_period(people.secretary, march, "Tổng hợp tháng 3", date(2022, 3, 20))
    db.session.commit()
    assert march.is_closed
    with pytest.raises(ObjectiveError) as exc:
        fill(plan, march, "QLKH", people.member)
    assert exc.value.key == "period_closed"
    with pytest.raises(ObjectiveError):
        reports.send(people.head, rep, today=date(2022, 3, 21))
