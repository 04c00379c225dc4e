"""What API clients rely on: problem+json in two languages, page links, ETags, rate limits, size limits, docs."""
from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db as _db
from tests.api.conftest import bearer
from tests.conftest import make_config, reset_schema


def test_errors_are_problem_json_in_vietnamese_and_english(client, world, token_for):
    h = bearer(token_for(world.member))
    resp = client.get("/api/v1/procedures/QT-KHONG-CO", headers=h)
    body = resp.get_json(force=True)
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"
    assert body["status"] == 404 and body["code"] == "not_found"
    assert body["detail"] == body["messages"]["vi"] == "Không tìm thấy tài nguyên yêu cầu."
    assert body["messages"]["en"] == "The requested resource was not found."
    resp = client.get("/api/v1/procedures?per_page=1000&status=nope", headers=h)
    body = resp.get_json(force=True)
    assert resp.status_code == 422 and set(body["errors"]["query"]) == {"per_page", "status"}
    assert client.get("/api/v1/khong-co", headers=h).mimetype == "application/problem+json"
    assert client.delete("/api/v1/procedures", headers=h).status_code == 405


def test_pages_carry_links_in_the_body_and_the_link_header(client, world, token_for):
    h = bearer(token_for(world.secretary))
    first = client.get("/api/v1/procedures?per_page=2&sort=code", headers=h)
    body = first.get_json()
    assert body["total"] == 5 and body["pages"] == 3 and len(body["items"]) == 2 and body["links"]["prev"] is None
    assert 'rel="next"' in first.headers["Link"] and "page=2" in body["links"]["next"]
    second = client.get(body["links"]["next"], headers=h).get_json()
    assert second["page"] == 2 and {p["code"] for p in second["items"]}.isdisjoint({p["code"] for p in body["items"]})


def test_the_audit_timeline_pages_by_keyset(client, world, token_for):
    h = bearer(token_for(world.committee))
    first = client.get("/api/v1/audit/events?per_page=3", headers=h).get_json()
    assert len(first["items"]) == 3 and first["links"]["prev"] is None
    ids = [e["id"] for e in first["items"]]
    assert ids == sorted(ids, reverse=True)
    older = client.get(first["links"]["next"], headers=h).get_json()
    assert max(e["id"] for e in older["items"]) < min(ids)
    newer = client.get(older["links"]["prev"], headers=h).get_json()
    assert [e["id"] for e in newer["items"]] == ids
    assert first["items"][0]["occurred_at"].endswith("+00:00") and len(first["items"][0]["hash"]) == 64


def test_issued_texts_carry_an_etag_and_answer_304_when_unchanged(client, world, token_for):
    h = bearer(token_for(world.other_member))
    first = client.get("/api/v1/procedures/QT-QLKH-01/issued", headers=h)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag and "Bước 1" in first.get_json()["markdown"]
    assert "<h2" in first.get_json()["html"] and first.get_json()["effective_on"] == "2020-03-16"
    again = client.get("/api/v1/procedures/QT-QLKH-01/issued", headers={**h, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/v1/procedures/QT-TTR-01/issued", headers={**h, "If-None-Match": etag})
    assert other.status_code == 200


def test_in_force_on_a_date_reads_the_issue_tags(client, world, token_for):
    h = bearer(token_for(world.member))
    before = client.get("/api/v1/procedures/QT-QLKH-01/in-force?on=2020-03-15", headers=h).get_json()
    after = client.get("/api/v1/procedures/QT-QLKH-01/in-force?on=2020-03-16", headers=h).get_json()
    assert before["in_force"] is False and before["issue"] is None
    assert after["in_force"] is True and after["issue"]["number"] == 1
    bad = client.get("/api/v1/procedures/QT-QLKH-01/in-force?on=16/03/2020", headers=h)
    assert bad.status_code == 422 and "on" in bad.get_json()["errors"]["query"]


def test_a_write_creates_a_capa_record_and_adds_an_action(client, world, token_for):
    secretary = bearer(token_for(world.secretary, "write"))
    resp = client.post("/api/v1/capa", json={"kind": "corrective", "source": "complaint", "title": "Phản ánh",
                                             "description": "Công dân phản ánh chậm", "unit": "QLKH",
                                             "procedures": ["QT-QLKH-01"]}, headers=secretary)
    created = resp.get_json()
    assert resp.status_code == 201 and created["status"] == "open" and created["unit"] == "QLKH"
    assert created["procedures"][0]["code"] == "QT-QLKH-01"
    head = bearer(token_for(world.head, "write"))
    early = client.post(f"/api/v1/capa/{created['number']}/actions",
                        json={"description": "Rà soát lại biểu mẫu", "due_on": "2030-06-30"}, headers=head)
    assert early.status_code == 409 and early.get_json()["code"] == "wrong_state"
    unknown = client.post("/api/v1/capa", json={"kind": "corrective", "source": "other", "title": "t",
                                                "description": "d", "unit": "KHONGCO"}, headers=secretary)
    assert unknown.status_code == 409 and unknown.get_json()["code"] == "unknown_unit"


@pytest.fixture
def small_app(tmp_path, pg_schema):
    app = create_app(make_config(tmp_path, pg_schema, QMS_API_RATE_LIMIT="3 per minute", QMS_API_MAX_BODY=1024))
    with app.app_context():
        reset_schema(pg_schema)
        yield app
        _db.session.remove()
        _db.engine.dispose()


def test_each_token_has_its_own_rate_limit_with_retry_after(small_app):
    from app.api import tokens
    from tests.conftest import Factory

    make = Factory(small_app)
    make.unit("QLKH")
    one, two = (tokens.create(make.user("member", unit="QLKH"), name="t", scope="write", days=1).secret
                for _ in range(2))
    _db.session.commit()
    client = small_app.test_client()
    answers = [client.get("/api/v1/procedures", headers=bearer(one)) for _ in range(3)]
    assert [a.status_code for a in answers] == [200] * 3
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert "Retry-After" not in answers[0].headers
    limited = client.get("/api/v1/capa", headers=bearer(one))
    assert limited.status_code == 429 and limited.mimetype == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0 and limited.get_json()["code"] == "rate_limited"
    assert client.get("/api/v1/procedures", headers=bearer(two)).status_code == 200


def test_request_bodies_have_a_size_limit(small_app):
    from app.api import tokens
    from tests.conftest import Factory

    make = Factory(small_app)
    make.unit("QLKH")
    secret = tokens.create(make.user("member", unit="QLKH"), name="t", scope="write", days=1).secret
    _db.session.commit()
    resp = small_app.test_client().post("/api/v1/capa", headers=bearer(secret),
                                        json={"kind": "corrective", "source": "other", "title": "t",
                                              "description": "x" * 5000})
    assert resp.status_code == 413 and resp.mimetype == "application/problem+json"


def test_the_docs_page_serves_its_assets_locally_under_the_strict_csp(client):
    page = client.get("/api/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<script>" not in html and "http://" not in html and "https://" not in html
    for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/swagger-ui/swagger-ui.css",
                  "/static/js/api-docs.js", "/static/vendor/swagger-ui/LICENSE"):
        assert asset in html or asset.endswith("LICENSE")
        assert client.get(asset).status_code == 200
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0" and spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
