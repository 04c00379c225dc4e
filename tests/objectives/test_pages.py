"""The pages people use: a refused report keeps what was typed, the consolidation names the missing unit, the XLSX
holds the page's figures, and due reports reach the home page and the reminder digest."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from app.extensions import db
from app.objectives import figures
from app.objectives.hooks import objective_digest, objective_tasks
from tests.objectives.conftest import fill, indicator, period, send, unit


def test_a_refused_report_keeps_what_was_typed(plan, people, login_as):
    client = login_as(people.member)
    march = period(plan, "2022-03")
    mt1 = indicator(plan, "MT1")
    task = plan.objectives[0].tasks[0]
    resp = client.post("/objectives/2022/periods/2022-03/reports/QLKH",
                       data={f"value-{mt1.id}": "chín mươi", f"done_text-{task.id}": "Đã xây dựng kế hoạch",
                             f"status-{task.id}": "done", "note": "Ghi chú của phòng"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "không phải là một số hợp lệ" in html
    assert 'value="chín mươi"' in html and "Đã xây dựng kế hoạch" in html and "Ghi chú của phòng" in html
    assert march.id is not None


def test_consolidation_page_shows_missing_and_late_units(plan, people, login_as, monkeypatch):
    march = period(plan, "2022-03")
    send(fill(plan, march, "QLKH", people.member), people.head, date(2022, 3, 16))
    monkeypatch.setattr("app.objectives.routes_periods.local_today", lambda: date(2022, 3, 20))
    html = login_as(people.secretary).get("/objectives/2022/periods/2022-03").get_data(as_text=True)
    assert 'data-testid="missing-units"' in html and "TTR" in html
    assert "Trễ 2 ngày" in html


def test_the_xlsx_export_holds_the_pages_figures(plan, people, login_as, monkeypatch):
    march = period(plan, "2022-03")
    mt1 = indicator(plan, "MT1")
    send(fill(plan, march, "QLKH", people.member, values={mt1.id: "96,5"}), people.head, date(2022, 3, 14))
    monkeypatch.setattr("app.objectives.routes_periods.local_today", lambda: date(2022, 3, 20))
    resp = login_as(people.secretary).get("/objectives/2022/periods/2022-03/export.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data)).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    row = next(r for r in cells if r[1] == mt1.name)
    view = figures.period_view(plan, march, date(2022, 3, 20))
    fig = next(f for f in view.figures if f.indicator.id == mt1.id)
    assert row[3] == fig.value == 96.5 and row[5] == "Có nguy cơ không đạt"
    assert any(r[0] == "TTR" and r[2] == "Chưa có" for r in cells)


def test_the_year_page_draws_a_chart_without_scripts(plan, people, login_as):
    mt1 = indicator(plan, "MT1")
    for key in ("2022-01", "2022-02"):
        send(fill(plan, period(plan, key), "QLKH", people.member, values={mt1.id: "100"}), people.head,
             period(plan, key).due_on)
    html = login_as(people.committee).get("/objectives/2022").get_data(as_text=True)
    assert "<svg" in html and 'class="trend-chart"' in html and "stroke-dasharray" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_due_reports_reach_the_home_page_and_the_digest(plan, people):
    march = period(plan, "2022-03")
    week_before = date(2022, 3, 8)
    tasks = objective_tasks(people.member, week_before)
    assert any(t.url == "/objectives/2022/periods/2022-03/reports/QLKH" and not t.overdue for t in tasks)
    fill(plan, march, "QLKH", people.member)
    head_tasks = objective_tasks(people.head, date(2022, 3, 15))
    assert any(t.group == "Báo cáo mục tiêu chất lượng cần gửi" and t.overdue for t in head_tasks)
    digest = objective_digest(unit("TTR"), date(2022, 3, 15))
    assert any("2022-03" in t.title and t.overdue for t in digest)
    assert objective_digest(unit("TTR"), date(2022, 1, 1)) == [] or all(not t.overdue for t in
                                                                         objective_digest(unit("TTR"), date(2022, 1, 1)))
    send(fill(plan, march, "TTR", people.ttr_member), people.ttr_head, date(2022, 3, 15))
    assert not any("2022-03" in t.title for t in objective_digest(unit("TTR"), date(2022, 3, 15)))
    secretary = objective_tasks(people.secretary, date(2022, 3, 15))
    assert any(t.group == "Báo cáo mục tiêu chất lượng cần chấp nhận" for t in secretary)
    assert any(t.url == "/objectives/2022/periods/2022-03" for t in secretary)
    db.session.rollback()


def test_objective_4_on_the_objectives_page_is_the_reviews_figure(plan, people, login_as, monkeypatch):
    import re

    from app.procedures import core
    from app.procedures.services import DocumentControl
    from app.reviews import services as review_services
    from tests.reviews.conftest import IN_2022, NoIndex, Procedures

    procs = Procedures(DocumentControl(core.store(), index=NoIndex()))
    for code in ("QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03", "QT-QLKH-04"):
        procs.issued(code, "QLKH")
    cycle = review_services.open_cycle(people.secretary, year=2022, deadline=date(2022, 12, 31), now=IN_2022)
    for code in ("QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03"):
        review = review_services.get_review(cycle, code)
        review_services.record(people.member, review, outcome="maintained", now=IN_2022)
        review_services.confirm(people.head, review, now=IN_2022)
        review_services.accept(people.secretary, review, now=IN_2022)
    db.session.commit()
    client = login_as(people.committee)
    reviews_html = client.get("/reviews/2022").get_data(as_text=True)
    reviews_pct = re.search(r'data-testid="progress-overall"[^>]*data-pct="(\d+)"', reviews_html).group(1)
    html = client.get("/objectives/2022").get_data(as_text=True)
    mt4 = html.split('data-code="MT4"', 1)[1]
    value = re.search(r'data-testid="indicator-value">([^<(]+)', mt4).group(1).strip()
    assert reviews_pct == "75" and value == f"{reviews_pct}%"


def test_qms_remind_tells_a_unit_of_its_overdue_report(plan, people, runner, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="app.mail"):
        result = runner.invoke(args=["qms", "remind", "--date", "2022-03-15"])
    assert result.exit_code == 0, result.output
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "app.mail")
    assert "Báo cáo mục tiêu chất lượng kỳ 2022-03" in logged and "[QUÁ HẠN]" in logged
    assert "/objectives/2022/periods/2022-03/reports/TTR" in logged
