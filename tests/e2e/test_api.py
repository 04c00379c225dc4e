"""The API's docs page renders every operation from the local Swagger UI under the strict CSP, and a token
created on the profile page works with curl-like requests."""
from __future__ import annotations

import json
import urllib.request

from tests.e2e.conftest import shot, sign_in


def test_the_docs_page_renders_the_operations_without_csp_errors(page, live_server):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    outside = []
    page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock-summary-path", state="attached")
    paths = set(page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.dataset.path)"))
    assert "/api/v1/procedures" in paths and "/api/v1/reviews/cycles/{year}/reviews/{code}/record" in paths
    assert page.locator(".info .title").inner_text().startswith("QMS ISO 9001 API")
    page.locator(".opblock-summary-path[data-path='/api/v1/procedures/{code}/issued']").first.click()
    page.wait_for_selector(".opblock.is-open .responses-table")
    shot(page, "api-docs")
    page.screenshot(path=str(shot(page, "api-docs").with_name("api-docs-top.png")), clip={"x": 0, "y": 0, "width": 1366,
                                                                                       "height": 900})
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    assert outside == []


def test_a_token_made_on_the_profile_page_reads_the_register(page, live_server):
    sign_in(page, live_server, "qlkh.cv")
    page.goto(f"{live_server.url}/account/tokens")
    page.fill("input[name=name]", "Bảng điều khiển của phòng")
    page.click("button[type=submit]:has-text('Tạo mã truy cập')")
    secret = page.locator("[data-testid=token-secret]").input_value()
    shot(page, "api-tokens")
    assert secret.startswith("qms_")
    request = urllib.request.Request(f"{live_server.url}/api/v1/procedures?per_page=2",
                                     headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        body = json.loads(resp.read())
    assert resp.status == 200 and body["total"] > 2 and 'rel="next"' in resp.headers["Link"]
    page.reload()
    assert "Bảng điều khiển của phòng" in page.locator("[data-testid=token-table]").inner_text()


def test_the_docs_page_with_an_operation_open_has_no_serious_accessibility_violation(browser, live_server):
    from tests.e2e.a11y import axe_violations, describe

    # the audit script comes in through the test's own context; users keep the strict CSP
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock-summary-path", state="attached")
    page.locator(".opblock-summary-control").first.click()
    page.wait_for_selector(".opblock.is-open .responses-table")
    problems = describe("/api/docs", axe_violations(page))
    context.close()
    assert not problems, "\n".join(problems)
