"""Every page, as each role that uses it, holds to WCAG 2.1 AA (axe-core: no serious or critical violation)."""
from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.e2e.a11y import axe_violations, describe
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, shot, sign_in  # noqa: F401

ROLES = ["thuky", "lanhdao", "bcd", "admin", "qlkh.cv", "qlkh.tp"]
# links that change state or are not pages: files, sign-out, language switch
SKIP_SUFFIXES = (".xlsx", ".csv", ".docx", ".pdf", ".zip", ".json", ".ico")
SKIP_PARTS = ("/logout", "/static/", "/language/", "export", "download", "/api/")


@pytest.fixture
def axe_page(browser):
    # the audit script comes in through the test's own context; users keep the strict CSP
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _endpoint(app, path: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except Exception:  # redirects, 404s, methods: not a page to check
        return None
    return endpoint


def _open_review_cycle_and_a_draft(server) -> None:
    """The demo starts with no cycle and no draft; open this year's cycle and save a draft of QT-QLKH-01
    so that the review pages and the draft page are part of the walk."""
    from datetime import date

    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db
    from app.reviews import services

    with server.app.app_context():
        secretary = db.session.scalar(select(User).where(User.username == "thuky"))
        year = date.today().year
        if services.get_cycle(year) is None:
            services.open_cycle(secretary, year=year, deadline=date(year, 12, 31))
            db.session.commit()
        from app.procedures.services import DocumentControl

        dc = DocumentControl()
        proc = dc.get("QT-QLKH-01")
        member = db.session.scalar(select(User).where(User.username == "qlkh.cv"))
        body = dc.st.read(proc.code).document.body
        dc.save_draft(member, proc, body=body + "\nBổ sung.\n", base_revision=proc.current_revision)
        db.session.commit()


# pages no link leads to directly
EXTRA_STARTS = ["/search?q=%C4%91%C4%83ng+k%C3%BD", "/procedures/QT-QLKH-01/diff", "/procedures/QT-QLKH-01/draft"]


def _crawl(page, server, starts=("/",), limit: int = 80) -> tuple[list[str], list[str]]:
    """Breadth-first over the links a user can follow, one page per endpoint; axe on each."""
    seen_endpoints, visited, problems = set(), [], []
    queue = deque(starts)
    while queue and len(visited) < limit:
        path = queue.popleft()
        endpoint = _endpoint(server.app, urlsplit(path).path)
        if endpoint is None or endpoint in seen_endpoints or endpoint == "static":
            continue
        seen_endpoints.add(endpoint)
        response = page.goto(server.url + path)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(f"{path} ({endpoint})")
        problems += describe(path, axe_violations(page))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            href = urldefrag(href)[0]
            if not href.startswith("/") or href.startswith("//"):
                continue
            if href.endswith(SKIP_SUFFIXES) or any(p in href for p in SKIP_PARTS):
                continue
            queue.append(href)
    return visited, problems


def test_the_login_page_and_error_pages_have_no_serious_violation(axe_page, live_server):
    problems = []
    for path in ("/login", "/no-such-page"):
        axe_page.goto(live_server.url + path)
        problems += describe(path, axe_violations(axe_page))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_has_no_serious_violation(axe_page, live_server, username):
    _open_review_cycle_and_a_draft(live_server)
    sign_in(axe_page, live_server, username)
    visited, problems = _crawl(axe_page, live_server, ["/", *EXTRA_STARTS])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"a11y-pages-{username}.txt").write_text("\n".join(visited) + "\n", encoding="utf-8")
    assert len(visited) >= 5, visited
    assert not problems, "\n".join(problems)


def test_a_broken_label_is_caught(axe_page, live_server):
    """The check can fail: an unlabelled filter field on the register is reported."""
    sign_in(axe_page, live_server, "thuky")
    axe_page.goto(f"{live_server.url}/procedures/")
    assert not axe_violations(axe_page)
    axe_page.evaluate("() => { const el = document.querySelector('select[name=unit]');"
                      " el.removeAttribute('aria-label'); }")
    ids = {v["id"] for v in axe_violations(axe_page)}
    assert "select-name" in ids


@pytest.mark.parametrize("width", [1280, 1366, 1920])
def test_the_menu_bar_fits_the_screen_with_every_entry_reachable(axe_page, live_server, width):
    """The administrator sees the longest menu; nothing may be pushed off the bar or widen the page."""
    axe_page.set_viewport_size({"width": width, "height": 900})
    sign_in(axe_page, live_server, "admin")
    assert axe_page.evaluate("() => document.documentElement.scrollWidth") <= width
    for selector in ("[data-testid=user-menu]", "[data-nav=admin]", "[data-nav=procedures]"):
        box = axe_page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    shot(axe_page, f"menu-bar-{width}")
