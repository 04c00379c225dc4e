"""Keyboard only: sign in, skip to content, filter the register, open a procedure, record a review, sign out."""
from __future__ import annotations

from datetime import date

from tests.e2e.conftest import shot
from tests.e2e.test_accessibility import _open_review_cycle_and_a_draft


def _active(page, expr: str):
    return page.evaluate(f"() => {{ const el = document.activeElement; return el ? ({expr}) : null; }}")


def _tab_to(page, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies `test` (a JS expression over `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _active(page, test):
            return
    raise AssertionError(f"no focusable element matched {test!r} within {limit} tabs")


def test_a_keyboard_user_does_the_daily_work_without_a_mouse(page, live_server):
    url, year = live_server.url, date.today().year
    _open_review_cycle_and_a_draft(live_server)

    # sign in: type, Tab, type, Enter
    page.goto(f"{url}/login")
    _tab_to(page, "el.name === 'username'")
    page.keyboard.type("qlkh.cv")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/")

    # the first Tab stop is the skip link, visible when focused; Enter moves focus to the content
    page.keyboard.press("Tab")
    assert _active(page, "el.dataset.testid") == "skip-link"
    box = page.locator("[data-testid=skip-link]").bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10
    shot(page, "keyboard-1-skip-link")
    page.keyboard.press("Enter")
    assert _active(page, "el.id") == "main"

    # menu links show a focus ring that stands out on the bar
    page.keyboard.press("Shift+Tab")
    _tab_to(page, "el.dataset.nav === 'procedures'")
    ring = _active(page, "[getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineColor, "
                         "parseFloat(getComputedStyle(el).outlineWidth)]")
    assert ring[0] == "solid" and ring[1] == "rgb(255, 212, 59)" and ring[2] >= 2
    shot(page, "keyboard-2-menu-focus")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/procedures/")

    # the unit filter: arrow keys move through the options without reloading; the button applies it
    _tab_to(page, "el.name === 'unit'")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.url == f"{url}/procedures/"
    page.keyboard.type("QLKH")  # type-ahead picks the option that starts with what is typed
    assert page.eval_on_selector("select[name=unit]", "el => el.value") == "QLKH"
    _tab_to(page, "el.type === 'submit' && el.closest('form') && el.closest('form').method === 'get'")
    page.keyboard.press("Enter")
    page.wait_for_url("**unit=QLKH**")
    units = page.locator("[data-testid=register] tbody tr td:nth-child(3)").all_inner_texts()
    assert units and set(units) == {"QLKH"}

    # open a procedure from the list
    _tab_to(page, "el.getAttribute('href') === '/procedures/QT-QLKH-02'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/procedures/QT-QLKH-02")

    # record the yearly review from the home page's task list
    _tab_to(page, "el.dataset.nav === 'home'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/")
    _tab_to(page, f"el.getAttribute('href') === '/reviews/{year}/QT-QLKH-02'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/reviews/{year}/QT-QLKH-02")
    _tab_to(page, "el.dataset.testid === 'outcome-maintained'")
    page.keyboard.press("Space")
    _tab_to(page, "el.id === 'note'")
    page.keyboard.type("Căn cứ pháp lý không thay đổi.")
    _tab_to(page, "el.dataset.testid === 'record-submit'")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=chờ trưởng đơn vị xác nhận")
    shot(page, "keyboard-3-review-recorded")

    # sign out through the account menu
    _tab_to(page, "el.dataset.testid === 'user-menu'")
    page.keyboard.press("Enter")
    _tab_to(page, "el.dataset.testid === 'logout'", limit=20)
    page.keyboard.press("Enter")
    page.wait_for_url("**/login")
