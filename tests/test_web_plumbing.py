"""Reload-safe action URLs and the site icon (issue #11, item 9)."""
from __future__ import annotations


def test_opening_a_post_only_url_goes_to_its_page_instead_of_405(client, login_as, make):
    make.unit("QLKH")
    login_as(make.user("secretary", unit="QLKH"))
    response = client.get("/procedures/QT-QLKH-01/approve")
    assert response.status_code == 303 and response.headers["Location"].endswith("/procedures/QT-QLKH-01")
    response = client.get("/capa/2026-001/actions/1/complete")
    assert response.status_code == 303


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"
