"""The API and the pages agree on the same data: the same register rows, the same compliance figures."""
from __future__ import annotations

import re

from app.reviews import services
from app.extensions import db
from tests.api.conftest import bearer
from tests.conftest import login


def _page_codes(html: str) -> list[str]:
    table = html.split('data-testid="register"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/procedures/([A-Z0-9-]+)">', table)


def _progress(html: str, marker: str) -> dict:
    found = {}
    for unit, block in re.findall(r'<tr data-unit="([A-Z]+)">(.*?)</tr>', html, re.S) if marker == "unit" else []:
        done, total, pct = re.search(r'data-done="(\d+)" data-total="(\d+)" data-pct="(\d+)"', block).groups()
        found[unit] = (int(done), int(total), int(pct))
    if marker == "overall":
        block = html.split('data-testid="progress-overall"', 1)[1]
        done, total, pct = re.search(r'data-done="(\d+)" data-total="(\d+)" data-pct="(\d+)"', block).groups()
        found["*"] = (int(done), int(total), int(pct))
    return found


def test_the_register_rows_are_the_same(app, world, token_for):
    for who in (world.member, world.other_member, world.secretary):
        page = app.test_client()
        assert login(page, who).status_code == 302
        for query in ("", "?status=draft", "?unit=QLKH&sort=-code", "?q=quy+tr%C3%ACnh"):
            html_codes = _page_codes(page.get(f"/procedures/{query}").get_data(as_text=True))
            sep = "&" if query else "?"
            api = app.test_client().get(f"/api/v1/procedures{query}{sep}per_page=100",
                                        headers=bearer(token_for(who))).get_json()
            assert [p["code"] for p in api["items"]] == html_codes, (who.username, query)
            assert api["total"] == len(html_codes)


def test_the_compliance_figures_are_the_same(app, world, token_for):
    services.record(world.member, services.get_review(services.get_cycle(world.year), "QT-QLKH-02"),
                    outcome="maintained")
    review = services.get_review(services.get_cycle(world.year), "QT-QLKH-02")
    services.confirm(world.head, review)
    services.accept(world.secretary, review)
    db.session.commit()
    for who in (world.secretary, world.member, world.committee):
        page = app.test_client()
        assert login(page, who).status_code == 302
        html = page.get(f"/reviews/{world.year}").get_data(as_text=True)
        api = app.test_client().get(f"/api/v1/reviews/cycles/{world.year}", headers=bearer(token_for(who))).get_json()
        c = api["compliance"]
        assert _progress(html, "overall")["*"] == (c["reviewed"], c["total"], c["percent"])
        assert _progress(html, "unit") == {u["code"]: (u["reviewed"], u["total"], u["percent"]) for u in api["units"]}
    assert (c["reviewed"], c["total"], c["percent"]) == (1, 3, 33)


def test_a_draft_refused_on_the_page_is_refused_by_the_api(app, world, token_for):
    page = app.test_client()
    assert login(page, world.member).status_code == 302
    assert page.get("/procedures/QT-TTR-09").status_code == 403
    assert app.test_client().get("/api/v1/procedures/QT-TTR-09",
                                 headers=bearer(token_for(world.member))).status_code == 403
