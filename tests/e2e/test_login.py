"""Signing in as each demo role shows the navigation that role may use; a wrong password tells nothing more."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import shot, sign_in, sign_out

NAV = {
    "thuky": {"home", "procedures", "reviews", "capa", "audit", "legal", "year_close"},
    "lanhdao": {"home", "procedures", "reviews", "capa", "audit", "legal", "year_close"},
    "bcd": {"home", "procedures", "reviews", "capa", "audit", "legal", "year_close"},
    "admin": {"home", "procedures", "reviews", "capa", "audit", "admin", "legal", "year_close"},
    "qlkh.cv": {"home", "procedures", "reviews", "capa", "legal", "year_close"},
    "qlkh.tp": {"home", "procedures", "reviews", "capa", "legal", "year_close"},
}


def _nav_keys(page, server):
    keys = set(page.eval_on_selector_all("[data-testid=main-nav] [data-nav]", "els => els.map(e => e.dataset.nav)"))
    endpoints = server.app.view_functions
    # features not built yet have no navigation entry
    optional = {"reviews": "reviews.index", "capa": "capa.index", "audit": "audit.index", "legal": "legal.register",
                "year_close": "internal_audits.index"}
    return keys, {k for k, ep in optional.items() if ep not in endpoints}


def test_each_demo_role_signs_in_sees_its_navigation_and_signs_out(page, live_server):
    for username, expected in NAV.items():
        sign_in(page, live_server, username)
        assert page.locator("html").get_attribute("lang") == "vi"
        assert "Việc cần xử lý" in page.content()
        keys, missing = _nav_keys(page, live_server)
        assert keys == expected - missing, username
        shot(page, f"home-{username}")
        sign_out(page)
        assert "Đăng nhập" in page.title()


@pytest.mark.parametrize("username", ["thuky", "khong-ton-tai"])
def test_wrong_password_shows_a_vietnamese_error_that_does_not_reveal_the_account(page, live_server, username):
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("[data-testid=login-submit]")
    error = page.locator("[data-testid=login-error]")
    assert error.inner_text().strip() == "Tên đăng nhập hoặc mật khẩu không đúng."
    shot(page, f"login-error-{username}")


def test_login_page_switches_to_english_and_back(page, live_server):
    page.goto(f"{live_server.url}/login")
    assert "Tên đăng nhập" in page.content()
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("text=Tiếng Việt")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "login-en")
    page.click("[data-testid=lang-switch]")
    page.wait_for_selector("text=English")
    assert page.locator("html").get_attribute("lang") == "vi"
