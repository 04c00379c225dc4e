"""A month of quality objectives in the browser: QLKH drafts and sends, Thanh tra does not, the secretary
consolidates, raises the proposed CAPA, closes the period and exports it; the XLSX holds the page's figures."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.auth.models import Unit, User
from app.extensions import db
from app.objectives import reports, services
from app.objectives.models import Period
from app.timeutil import local_today
from tests.e2e.conftest import shot, sign_in, sign_out


def _month_past_due(app):
    """The current year's plan (copied from 2022 by the demo): its latest monthly period already past due."""
    today = local_today()
    with app.app_context():
        plan = services.get_plan(today.year)
        period = db.session.scalar(select(Period).where(Period.plan_id == plan.id, Period.kind == "month",
                                                        Period.due_on < today).order_by(Period.due_on.desc()))
        return plan.year, period.key


def _others_send(app, key, skip=("QLKH", "TTR")):
    """Every other unit sends on time through the services, so that Thanh tra alone is missing."""
    with app.app_context():
        plan = services.get_plan(int(key[:4]))
        period = services.get_period(plan, key)
        for unit in db.session.scalars(select(Unit).where(Unit.code.not_in(skip))):
            member = db.session.scalar(select(User).where(User.username == f"{unit.code.lower()}.cv"))
            head = db.session.scalar(select(User).where(User.username == f"{unit.code.lower()}.tp"))
            draft = reports.Draft()
            for task in reports.tasks_for_unit(plan, unit.id, period.kind):
                draft.entries[task.id] = {"done_text": "Đã thực hiện", "status": "done"}
            for ind in reports.indicators_owed(plan, unit.id, period.kind):
                draft.values[ind.id] = "0" if ind.direction == "<=" else "100"
            rep = reports.save_draft(member, period, unit, draft)
            reports.send(head, rep, today=period.due_on)
        db.session.commit()


def test_a_month_from_the_units_reports_to_the_exported_consolidation(page, live_server):
    url = live_server.url
    page.on("dialog", lambda d: d.accept())
    year, key = _month_past_due(live_server.app)
    _others_send(live_server.app, key)
    report_url = f"{url}/objectives/{year}/periods/{key}/reports/QLKH"

    # a QLKH member finds the report among her tasks and drafts it
    sign_in(page, live_server, "qlkh.cv")
    page.click(f"text=Báo cáo mục tiêu chất lượng kỳ {key}")
    page.wait_for_url(report_url)
    for select_el in page.locator("select[name^=status-]").all():
        select_el.select_option("done")
    page.locator("textarea[name^=done_text-]").first.fill("Đã xây dựng và gửi kế hoạch triển khai của phòng.")
    page.locator("tr", has_text="Nội dung chỉ đạo").locator("input").fill("100")
    page.locator("tr", has_text="Phản ánh, kiến nghị").locator("input").fill("một")
    page.click("[data-testid=save-report]")
    assert "không phải là một số hợp lệ" in page.content()               # refused, nothing lost
    assert page.locator("textarea[name^=done_text-]").first.input_value().startswith("Đã xây dựng")
    page.locator("tr", has_text="Phản ánh, kiến nghị").locator("input").fill("1")
    shot(page, "objectives-1-member-draft")
    page.click("[data-testid=save-report]")
    page.wait_for_selector("text=Đã lưu dự thảo báo cáo.")
    sign_out(page)

    # the head reads it and sends it to the Office
    sign_in(page, live_server, "qlkh.tp")
    assert "Báo cáo mục tiêu chất lượng cần gửi" in page.content()
    page.goto(report_url)
    page.click("[data-testid=send-report]")
    page.wait_for_selector("text=Đã gửi báo cáo cho Văn phòng Sở.")
    assert page.locator("[data-report-status=sent]").count() == 1
    assert page.locator("[data-testid=late]").count() == 1              # sent after the due date: late, by days
    shot(page, "objectives-2-head-sent")
    sign_out(page)

    # the secretary consolidates: Thanh tra is missing, the complaints indicator is not met
    sign_in(page, live_server, "thuky")
    page.goto(f"{url}/objectives/{year}/periods/{key}")
    assert "TTR" in page.locator("[data-testid=missing-units]").inner_text()
    not_met = page.locator("[data-testid=figure][data-status=not_met]", has_text="Phản ánh, kiến nghị")
    assert not_met.locator("[data-testid=figure-value]").inner_text() == "1 phản ánh"
    page.click("[data-testid=accept-QLKH]")
    page.wait_for_selector("text=Đã chấp nhận báo cáo của QLKH.")
    shot(page, "objectives-3-consolidation")
    page.locator("[data-testid=proposal][data-kind=not_met]").locator("[data-testid=raise-capa]").click()
    page.wait_for_selector("text=Đã lập phiếu")
    capa = page.locator("[data-testid=proposal][data-kind=not_met] [data-testid=proposal-capa]").inner_text()
    assert capa.startswith(f"CAPA-{year}-")
    page.fill("#summary", "Các phòng, đơn vị thực hiện đầy đủ nhiệm vụ; Thanh tra Sở chưa gửi báo cáo; "
              f"có 01 phản ánh chưa hài lòng, đã lập phiếu {capa}.")
    page.click("[data-testid=close-period]")
    page.wait_for_selector(f"text=Đã khoá kỳ {key}")
    assert page.locator("[data-testid=period-status]").inner_text() == "Đã khoá"
    shot(page, "objectives-4-closed")
    page_figures = {row.locator("td").nth(1).inner_text(): row.locator("[data-testid=figure-value]").inner_text()
                    for row in page.locator("[data-testid=figure]").all()}

    with page.expect_download() as info:
        page.click("[data-testid=export-period]")
    download = info.value
    assert download.suggested_filename == f"muc-tieu-chat-luong-{key}.xlsx"
    with open(download.path(), "rb") as fh:
        rows = list(load_workbook(io.BytesIO(fh.read())).active.iter_rows(values_only=True))
    xlsx_figures = {r[1]: r[4] for r in rows if r[1] in page_figures}
    assert xlsx_figures == page_figures
    assert any(r[0] == "TTR" and r[2] == "Chưa có" for r in rows)
    assert any(r[0] == capa for r in rows)

    # the CAPA points back at the period; the year's page lists it under the objective
    page.goto(f"{url}/capa/{capa}")
    assert page.locator("[data-testid=capa-origin]").get_attribute("href") == f"/objectives/{year}/periods/{key}"
    page.goto(f"{url}/objectives/{year}")
    assert capa in page.locator("[data-testid=objective][data-code=MT3] [data-testid=objective-capas]").inner_text()
    shot(page, "objectives-5-year")
    page.goto(f"{url}/objectives/{year}/periods/{key}/print")
    shot(page, "objectives-6-print")


def test_next_years_plan_starts_as_a_copy_and_its_forms_are_accessible(browser, live_server):
    """The secretary copies this year's plan into next year's draft; the editing and import pages pass axe."""
    from tests.e2e.a11y import AXE_SOURCE, BLOCKING, WCAG_TAGS, describe

    def axe_violations(page):
        """The page's own content (#main): the shared navigation is checked by test_accessibility.py."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=AXE_SOURCE)
        result = page.evaluate("tags => axe.run('#main', {runOnly: {type: 'tag', values: tags}, "
                               "resultTypes: ['violations']})", WCAG_TAGS)
        return [v for v in result["violations"] if v.get("impact") in BLOCKING]

    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    url, year = live_server.url, local_today().year + 1
    try:
        sign_in(page, live_server, "thuky")
        page.goto(f"{url}/objectives/")
        page.fill("#year", str(year))
        page.select_option("#copy_from", str(year - 1))
        page.click("[data-testid=new-plan] button[type=submit]")
        page.wait_for_url(f"{url}/objectives/{year}/edit")
        shot(page, "objectives-7-copied")
        assert page.locator("section[data-code]").count() == 4
        problems = describe("edit", axe_violations(page))
        page.locator("details summary", has_text="Thêm chỉ số").first.click()
        page.locator("details[open] button[type=submit]").first.click()       # empty: refused, kept, explained
        page.wait_for_selector(".invalid-feedback")
        problems += describe("edit with errors", axe_violations(page))
        shot(page, "objectives-7-edit-errors")
        page.goto(f"{url}/objectives/{year}/import")
        problems += describe("import", axe_violations(page))
        assert not problems, "\n".join(problems)
    finally:
        context.close()
