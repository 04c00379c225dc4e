"""Markup a screen reader relies on: errors tied to their fields, messages announced, the page's language."""
from __future__ import annotations

import re

from tests.conftest import login


def test_a_form_error_is_tied_to_its_field_and_the_field_is_marked_invalid(app, client, make):
    user = make.user("member", unit="QLKH")
    login(client, user)
    html = client.post("/account/password", data={"current_password": "", "new_password": "x", "confirm": "y"},
                       follow_redirects=True).get_data(as_text=True)
    field = re.search(r'<input[^>]*id="current_password"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert f'id="{described}"' in html
    error = re.search(rf'<div class="invalid-feedback d-block" id="{described}">(.*?)</div>\s*</div>', html, re.S)
    assert error and error.group(1).strip()


def test_a_field_without_error_carries_no_invalid_state(app, client, make):
    login(client, make.user("member", unit="QLKH"))
    html = client.get("/account/password").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="current_password"[^>]*>', html).group(0)
    assert "aria-invalid" not in field and "aria-describedby" not in field


def test_the_page_language_follows_the_locale(app, client, make):
    login(client, make.user("member", unit="QLKH"))
    html = client.post("/lang/en", data={"next": "/"}, follow_redirects=True).get_data(as_text=True)
    assert '<html lang="en">' in html
    html = client.post("/lang/vi", data={"next": "/"}, follow_redirects=True).get_data(as_text=True)
    assert '<html lang="vi">' in html


def test_a_success_message_is_announced_as_a_status(app, client, make):
    user = make.user("member", unit="QLKH")
    login(client, user)
    new = "another-horse-22"
    html = client.post("/account/password", data={"current_password": make.password, "new_password": new,
                                                  "confirm": new}, follow_redirects=True).get_data(as_text=True)
    alert = re.search(r'<div class="alert alert-success[^"]*"[^>]*>', html)
    assert alert and 'role="status"' in alert.group(0)


def test_every_page_starts_with_a_skip_link_to_the_main_content(app, client, make):
    login(client, make.user("member", unit="QLKH"))
    html = client.get("/").get_data(as_text=True)
    body = html[html.index("<body"):]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#main"' in first_link
    assert '<main id="main" tabindex="-1"' in html
