"""Small helpers shared by the trust tests."""
from __future__ import annotations

import re


def edit_form(client, code: str) -> dict:
    """The editor's hidden fields for a procedure, as a browser would post them back."""
    html = client.get(f"/procedures/{code}/edit").get_data(as_text=True)
    base = re.search(r'name="base_revision"[^>]*value="([0-9a-f]+)"', html) or \
        re.search(r'value="([0-9a-f]{40})"[^>]*name="base_revision"', html)
    assert base, html[:300]
    return {"base_revision": base.group(1), "message": ""}
