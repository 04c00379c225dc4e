"""One rule, two doors: a unit's token reads and acts for its own unit only, as its owner does on the pages."""
from __future__ import annotations

from tests.api.conftest import bearer


def test_a_unit_members_token_cannot_read_another_units_drafts(client, world, token_for):
    h = bearer(token_for(world.member))  # QLKH
    codes = {p["code"] for p in client.get("/api/v1/procedures?per_page=100", headers=h).get_json()["items"]}
    assert "QT-QLKH-09" in codes and "QT-TTR-09" not in codes and "QT-TTR-01" in codes
    for url in ("/api/v1/procedures/QT-TTR-09", "/api/v1/procedures/QT-TTR-09/draft",
                "/api/v1/procedures/QT-TTR-09/revisions", "/api/v1/procedures/QT-TTR-09/diff"):
        resp = client.get(url, headers=h)
        assert resp.status_code == 403 and resp.mimetype == "application/problem+json", url
    hits = client.get("/api/v1/search?q=du+thao", headers=h).get_json()["items"]
    assert "QT-TTR-09" not in {hit["code"] for hit in hits}
    # the drafts' own unit reads them
    other = bearer(token_for(world.other_member))  # TTR
    assert client.get("/api/v1/procedures/QT-TTR-09/draft", headers=other).status_code == 200
    assert client.get("/api/v1/procedures/QT-QLKH-09", headers=other).status_code == 403


def test_only_issued_revisions_of_another_units_procedure_are_listed(client, world, token_for):
    own = client.get("/api/v1/procedures/QT-QLKH-01/revisions", headers=bearer(token_for(world.member))).get_json()
    other = client.get("/api/v1/procedures/QT-QLKH-01/revisions",
                       headers=bearer(token_for(world.other_member))).get_json()
    assert len(own["items"]) == 2 and len(other["items"]) == 1
    assert other["items"][0]["issue_number"] == 1
    assert client.get("/api/v1/procedures/QT-QLKH-01/draft",
                      headers=bearer(token_for(world.other_member))).status_code == 403


def test_a_unit_token_cannot_act_for_another_unit(client, world, token_for):
    h = bearer(token_for(world.other_head, "write"))  # TTR head, write scope
    base = f"/api/v1/reviews/cycles/{world.year}/reviews/QT-QLKH-02"
    assert client.get(base, headers=h).status_code == 403
    assert client.post(f"{base}/record", json={"outcome": "maintained"}, headers=h).status_code == 403
    assert client.post(f"{base}/confirm", headers=h).status_code == 403
    resp = client.post(f"/api/v1/capa/{world.capa_number}/actions",
                       json={"description": "Làm thay", "due_on": "2030-01-01"}, headers=h)
    assert resp.status_code == 403
    listed = client.get(f"/api/v1/reviews/cycles/{world.year}/reviews?unit=QLKH", headers=h).get_json()
    assert listed["items"] == [] and listed["total"] == 0


def test_a_member_records_and_only_the_head_confirms(client, world, token_for):
    base = f"/api/v1/reviews/cycles/{world.year}/reviews/QT-QLKH-02"
    member = bearer(token_for(world.member, "write"))
    resp = client.post(f"{base}/record", json={"outcome": "maintained", "note": "Không thay đổi"}, headers=member)
    assert resp.status_code == 200 and resp.get_json()["status"] == "recorded"
    assert client.post(f"{base}/confirm", headers=member).status_code == 403
    resp = client.post(f"{base}/confirm", headers=bearer(token_for(world.head, "write")))
    assert resp.status_code == 200 and resp.get_json()["status"] == "confirmed"
    again = client.post(f"{base}/confirm", headers=bearer(token_for(world.head, "write")))
    body = again.get_json()
    assert again.status_code == 409 and body["code"] == "not_recorded"
    assert body["messages"]["vi"].startswith("Rà soát chưa được ghi nhận")
    assert body["messages"]["en"] and body["messages"]["en"] != body["messages"]["vi"]


def test_the_audit_timeline_is_for_the_committee(client, world, token_for):
    assert client.get("/api/v1/audit/events", headers=bearer(token_for(world.member))).status_code == 403
    assert client.get("/api/v1/audit/verification", headers=bearer(token_for(world.head))).status_code == 403
    resp = client.get("/api/v1/audit/verification", headers=bearer(token_for(world.committee)))
    assert resp.status_code == 200 and resp.get_json()["ok"] is True and resp.get_json()["chain"]["count"] > 0
