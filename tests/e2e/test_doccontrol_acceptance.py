"""Issue #11's acceptance in the browser: a revision approved to take effect next month, read before and after
its date (the test moves the application's clock), at 1366 px and on a 390 px phone."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.timeutil import local_today, set_clock
from tests.e2e.conftest import ARTIFACTS, shot, sign_in, sign_out

CODE = "QT-QLKH-03"
ADDED = "Bổ sung: tiếp nhận hồ sơ qua Cổng dịch vụ công trực tuyến của tỉnh."


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def _signatures(page) -> str:
    return page.locator("[data-testid=signatures]").inner_text()


def test_revision_effective_next_month_keeps_the_previous_issue_in_force_until_its_date(page, live_server):
    url = live_server.url
    try:
        # a QLKH member edits; the page says what happens next
        sign_in(page, live_server, "qlkh.cv")
        page.goto(f"{url}/procedures/{CODE}")
        previous_issue = int(page.locator("[data-testid=header-block]").inner_text().split("Lần ban hành")[1]
                             .split()[0])
        page.click("[data-testid=edit]")
        body = page.locator("textarea#body")
        body.fill(body.input_value().replace("## 1. Mục đích", f"## 1. Mục đích\n\n{ADDED}", 1))
        page.fill("#message", "Tiếp nhận hồ sơ trực tuyến")
        page.click("[data-testid=save]")
        page.wait_for_url(f"{url}/procedures/{CODE}/draft")
        assert "trưởng đơn vị" in page.locator("[data-testid=next-step]").inner_text()
        assert _no_sideways_scroll(page), "the draft watermark widens the page at 1366 px"
        shot(page, "doccontrol-1-draft-1366")
        sign_out(page)

        # the head sees it on the home page and submits it
        sign_in(page, live_server, "qlkh.tp")
        assert CODE in page.content()
        page.goto(f"{url}/procedures/{CODE}")
        page.once("dialog", lambda d: d.accept())
        page.click("[data-testid=submit]")
        assert "Chờ phê duyệt" in page.locator("[data-testid=draft-state]").inner_text()
        sign_out(page)

        # leadership reads the rendered change, the drafter and the reviewer, and approves for next month
        sign_in(page, live_server, "lanhdao")
        page.goto(f"{url}/procedures/{CODE}")
        review = page.locator("[data-testid=approval-review]")
        assert "Võ Thị Mỹ Linh" in review.locator("[data-testid=approval-drafters]").inner_text()
        assert "Đặng Văn Khoa" in review.locator("[data-testid=approval-reviewer]").inner_text()
        diff = review.locator("[data-testid=approval-diff]").inner_text()
        assert "Cổng dịch vụ công" in diff and "## " not in diff and "---" not in diff
        shot(page, "doccontrol-2-approval-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        page.locator("[data-testid=approve]").scroll_into_view_if_needed()
        assert page.locator("[data-testid=approve]").is_visible()
        shot(page, "doccontrol-2-approval-390")
        page.screenshot(path=str(ARTIFACTS / "doccontrol-2-approval-390-screen.png"))  # what the phone shows
        page.set_viewport_size({"width": 1366, "height": 900})
        effective = local_today() + timedelta(days=31)
        page.fill("#effective_on", effective.isoformat())
        page.fill("#approve-message", "Tiếp nhận hồ sơ trực tuyến")
        page.once("dialog", lambda d: d.accept())
        page.click("[data-testid=approve]")
        page.wait_for_selector("text=Đến ngày đó lần ban hành trước vẫn đang hiệu lực")
        sign_out(page)

        # before the date: the previous issue is the text in force, the new one pending with its own names
        sign_in(page, live_server, "bcd")
        page.goto(f"{url}/procedures/{CODE}")
        assert f"Đang hiệu lực: lần {previous_issue}" in page.locator("[data-testid=status]").inner_text()
        pending = page.locator("[data-testid=pending-status]").inner_text()
        assert f"Lần {previous_issue + 1}" in pending and effective.strftime("%d/%m/%Y") in pending
        assert ADDED not in page.locator("[data-testid=procedure-body]").inner_text()
        assert "Võ Thị Mỹ Linh" not in _signatures(page)
        shot(page, "doccontrol-3-before-date-1366")
        page.click("[data-testid=pending-link]")
        assert ADDED in page.locator("[data-testid=procedure-body]").inner_text()
        names = _signatures(page)
        assert "Võ Thị Mỹ Linh" in names and "Đặng Văn Khoa" in names and "Lê Hoàng Nam" in names
        page.goto(f"{url}/procedures/?q={CODE}")
        row = page.locator("[data-testid=register] tbody tr").first.inner_text()
        assert f"Đang hiệu lực: lần {previous_issue}" in row
        page.set_viewport_size({"width": 390, "height": 844})
        assert _no_sideways_scroll(page), "the register scrolls sideways on a phone"
        shot(page, "doccontrol-4-register-390")
        page.goto(f"{url}/procedures/{CODE}")
        shot(page, "doccontrol-4-before-date-390")
        page.set_viewport_size({"width": 1366, "height": 900})

        # after the date (the clock moves): the new issue is in force with the right names
        set_clock(datetime(effective.year, effective.month, effective.day, 3, 0, tzinfo=timezone.utc))
        page.goto(f"{url}/procedures/{CODE}")
        assert ADDED in page.locator("[data-testid=procedure-body]").inner_text()
        assert page.locator("[data-testid=pending-banner]").count() == 0
        assert page.locator("[data-testid=status]").inner_text().strip() == "Đang hiệu lực"
        names = _signatures(page)
        assert "Võ Thị Mỹ Linh" in names and "Đặng Văn Khoa" in names and "Lê Hoàng Nam" in names
        shot(page, "doccontrol-5-after-date-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "doccontrol-5-after-date-390")
        page.screenshot(path=str(ARTIFACTS / "doccontrol-5-after-date-390-screen.png"))
    finally:
        set_clock(None)
