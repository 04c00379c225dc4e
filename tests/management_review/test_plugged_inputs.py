"""The quality objectives and the legal register feed the management review's input pack and the yearly report."""
from __future__ import annotations

from flask_babel import force_locale

from app.extensions import db
from app.management_review import services
from app.reports import services as reports
from app.reports.yearly import labelled_rows
from app.timeutil import local_today
from tests.legal.conftest import decree_61, decree_107, dc, issued, people  # noqa: F401  (fixtures)


def _meeting(people):
    review = services.create(people.secretary, year=local_today().year, title="Họp", meeting_on=local_today(),
                             chair=people.leader)
    db.session.commit()
    return review


def test_legal_changes_since_the_previous_review_are_an_input_with_the_procedures_they_flag(
        people, issued, decree_61, decree_107):
    from app.legal import services as legal

    issued("QT-QLKH-09")
    legal.record_change(people.secretary, decree_61, "amended", by_document=decree_107)
    db.session.commit()
    review = _meeting(people)
    services.hold(people.secretary, review)
    data = review.input("legal_changes").data
    assert data["rows"][0][1] == "61/2018/NĐ-CP" and data["rows"][0][4] == "QT-QLKH-09"
    with force_locale("vi"):
        assert labelled_rows(data)[0][2] == "Được sửa đổi, bổ sung"
    assert {f["label"]: f["value"] for f in data["figures"]}["Quy trình phải rà soát lại"] == 1


def test_the_years_objectives_are_an_input_and_part_of_the_yearly_report(people):
    from app.objectives import services as objectives

    plan = objectives.create_plan(people.secretary, local_today().year)
    goal = objectives.add_objective(people.secretary, plan, "MT2", "100% hồ sơ trả đúng hạn")
    objectives.add_indicator(people.secretary, goal, name="Tỷ lệ hồ sơ trả đúng hạn", measure="%", kind="number",
                             scale="", target=100, direction=">=", margin=0, frequency="month", source="unit")
    db.session.commit()
    review = _meeting(people)
    services.hold(people.secretary, review)
    row = review.input("objectives").data["rows"][0]
    assert row[:3] == ["MT2", "Tỷ lệ hồ sơ trả đúng hạn", ">= 100 %"]
    data = reports.figures(None, local_today().year, local_today())
    assert data["objectives"]["rows"][0][1] == "Tỷ lệ hồ sơ trả đúng hạn"
