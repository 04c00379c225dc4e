"""A NUL character in a query string, a path or a form is refused with 400, never a server error
(PostgreSQL refuses NUL in any text; Schemathesis found it through the API first)."""
from __future__ import annotations

import pytest

from tests.conftest import login


@pytest.mark.parametrize("url", ["/procedures/?q=%00", "/procedures/?unit=A%00", "/capa/?q=%00", "/search?q=%00",
                                 "/audit/?action=%00", "/procedures/QT%00-01", "/reviews/compliance?on=%00"])
def test_a_nul_in_a_query_or_a_path_is_a_bad_request(app, make, url):
    client = app.test_client()
    make.unit("VP")
    assert login(client, make.user("secretary", unit="VP")).status_code == 302
    resp = client.get(url)
    assert resp.status_code == 400 and "Yêu cầu không hợp lệ".encode() in resp.data


def test_a_nul_in_a_form_is_a_bad_request(app, make):
    client = app.test_client()
    assert client.post("/login", data={"username": "a\x00b", "password": "x"}).status_code == 400
