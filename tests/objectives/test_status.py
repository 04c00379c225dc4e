"""Status is computed, never typed: values against targets, for the unit and the department, and Objective 4
read from the yearly review."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.objectives import consolidation, figures, services
from app.reviews import compliance
from tests.objectives.conftest import fill, indicator, period, send


def _figure(view, ind):
    return next(f for f in view.figures if f.indicator.id == ind.id)


def test_only_sent_reports_count_and_the_department_value_is_aggregated(plan, people):
    march = period(plan, "2022-03")
    mt1 = indicator(plan, "MT1")
    fill(plan, march, "TTR", people.ttr_member, values={mt1.id: "80"})        # a draft: not counted
    send(fill(plan, march, "QLKH", people.member, values={mt1.id: "90"}), people.head, date(2022, 3, 14))
    fig = _figure(figures.period_view(plan, march, date(2022, 3, 20)), mt1)
    assert fig.value == 90 and fig.status == "not_met"            # margin 5: 90 is more than 5 short


def test_met_at_risk_not_met_and_no_data(plan, people):
    march = period(plan, "2022-03")
    mt1, mt3 = indicator(plan, "MT1"), indicator(plan, "MT3")
    view = figures.period_view(plan, march, date(2022, 3, 20))
    assert _figure(view, mt1).status == "no_data"
    send(fill(plan, march, "QLKH", people.member, values={mt1.id: "97", mt3.id: "0"}), people.head,
         date(2022, 3, 14))
    view = figures.period_view(plan, march, date(2022, 3, 20))
    assert _figure(view, mt1).status == "at_risk"
    assert _figure(view, mt3).status == "met"
    send(fill(plan, march, "TTR", people.ttr_member, values={mt3.id: "2"}), people.ttr_head, date(2022, 3, 14))
    view = figures.period_view(plan, march, date(2022, 3, 20))
    assert _figure(view, mt3).value == 2 and _figure(view, mt3).status == "not_met"   # counts add up


def test_a_shortfall_before_the_office_due_date_is_only_at_risk(plan, people):
    march = period(plan, "2022-03")
    mt1 = indicator(plan, "MT1")
    send(fill(plan, march, "QLKH", people.member, values={mt1.id: "50"}), people.head, date(2022, 3, 14))
    assert _figure(figures.period_view(plan, march, date(2022, 3, 15)), mt1).status == "at_risk"
    assert _figure(figures.period_view(plan, march, date(2022, 3, 18)), mt1).status == "not_met"


def test_imported_figures_are_the_departments_and_bad_rows_refuse_the_file(plan, people):
    igate = indicator(plan, "MT2", source="imported")
    periods = {p.key: p for p in services.periods_of(plan)}
    from app.objectives.services import ObjectiveError
    import pytest

    with pytest.raises(ObjectiveError) as exc:
        consolidation.import_values(people.secretary, igate, [(2, "2022-01", "100"), (3, "2022-Q1", "99"),
                                                              (4, "2022-02", "abc")], periods)
    assert [r[0] for r in exc.value.params["rows"]] == [3, 4]
    db.session.rollback()
    assert _figure(figures.period_view(plan, periods["2022-01"], date(2022, 2, 1)), igate).value is None
    consolidation.import_values(people.secretary, igate, [(2, "2022-01", "98,5")], periods)
    fig = _figure(figures.period_view(plan, periods["2022-01"], date(2022, 2, 1)), igate)
    assert fig.value == 98.5 and fig.status == "not_met"


def test_objective_4_is_the_yearly_reviews_figure_for_any_year(plan, people):
    mt4 = indicator(plan, "MT4")
    today = date(2022, 12, 20)
    expected = compliance.year_compliance(2022, today)
    fig = _figure(figures.period_view(plan, period(plan, "2022"), today), mt4)
    assert fig.value == (float(expected.pct) if expected.total else None)
    results = services.year_results(2022, today)
    mt4_result = next(r for r in results if r["code"] == "MT4")["indicators"][0]
    assert mt4_result["value"] == fig.value


def test_year_results_give_every_objective_and_its_trend(plan, people):
    mt1 = indicator(plan, "MT1")
    for key, value in (("2022-01", "100"), ("2022-02", "80")):
        send(fill(plan, period(plan, key), "QLKH", people.member, values={mt1.id: value}), people.head,
             period(plan, key).due_on)
    results = services.year_results(2022, date(2022, 3, 1))
    assert [r["code"] for r in results] == ["MT1", "MT2", "MT3", "MT4"]
    mt1_result = results[0]["indicators"][0]
    assert mt1_result["periods"]["2022-01"] == {"value": 100.0, "status": "met"}
    assert mt1_result["periods"]["2022-02"]["status"] == "not_met"
    assert mt1_result["status"] == "not_met" and results[0]["status"] == "not_met"
    assert services.year_results(1999) == []


def test_objective_4_follows_a_review_cycle_with_accepted_reviews(plan, people, app):
    from app.procedures import core
    from app.procedures.services import DocumentControl
    from app.reviews import services as review_services
    from tests.reviews.conftest import IN_2022, NoIndex, Procedures

    procs = Procedures(DocumentControl(core.store(), index=NoIndex()))
    for code in ("QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03"):
        procs.issued(code, "QLKH")
    cycle = review_services.open_cycle(people.secretary, year=2022, deadline=date(2022, 12, 31), now=IN_2022)
    review = review_services.get_review(cycle, "QT-QLKH-01")
    review_services.record(people.member, review, outcome="maintained", now=IN_2022)
    review_services.confirm(people.head, review, now=IN_2022)
    review_services.accept(people.secretary, review, now=IN_2022)
    db.session.commit()
    today = date(2022, 12, 1)
    expected = compliance.year_compliance(2022, today)
    assert expected.total == 3 and expected.pct == 33
    mt4 = indicator(plan, "MT4")
    fig = _figure(figures.period_view(plan, period(plan, "2022"), today), mt4)
    assert fig.value == 33.0 and fig.status == "at_risk"   # the year is not over
    assert fig.unit_values[people.member.unit_id][0] == 33.0
    later = _figure(figures.period_view(plan, period(plan, "2022"), date(2023, 1, 5)), mt4)
    assert later.value == float(compliance.year_compliance(2022, date(2023, 1, 5)).pct)
    assert later.status == "not_met"
