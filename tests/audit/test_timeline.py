"""The committee's timeline: newest first, narrowed by dates, unit, user, kind and action, paged by keyset."""
from __future__ import annotations

import re
from datetime import timedelta

from tests.audit.conftest import event_at, utc


def _ids(resp) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="event" data-event-id="(\d+)"', resp.get_data(as_text=True))]


def _seed(monkeypatch, make):
    """Five events across two years, three units, two people and three kinds of object."""
    alice = make.user("member", unit="QLKH", full_name="Võ Thị Mỹ Linh")
    bob = make.user("member", unit="VP", full_name="Nguyễn Thị Thu Hà")
    start = max_id(make)
    evs = {
        "qlkh_2022": event_at(monkeypatch, utc(2022, 3, 10, 2), actor=alice, unit_code="QLKH", object_id="QT-QLKH-01",
                              action="procedure.save"),
        "qlkh_2022_dec": event_at(monkeypatch, utc(2022, 12, 31, 17, 30), actor=alice, unit_code="QLKH",
                                  object_id="QT-QLKH-02", action="procedure.issue"),
        "vp_2022": event_at(monkeypatch, utc(2022, 6, 1), actor=bob, unit_code="VP", object_id="QT-VP-01",
                            action="procedure.save"),
        "qlkh_2023": event_at(monkeypatch, utc(2023, 1, 5), actor=alice, unit_code="QLKH", object_type="review",
                              object_id="2023-QLKH", action="review.record"),
        "account": event_at(monkeypatch, utc(2023, 2, 1), actor=None, unit_code="QLKH", object_type="account",
                            object_id=str(alice.id), action="account.update",
                            payload={"before": {"full_name": "Võ Linh", "active": True},
                                     "after": {"full_name": "Võ Thị Mỹ Linh", "active": True}}),
    }
    return start, alice, bob, {k: v.id for k, v in evs.items()}


def max_id(make):
    from sqlalchemy import func, select

    from app.audit.models import AuditEvent
    from app.extensions import db

    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def _mine(ids, seeded):
    wanted = set(seeded.values())
    return [i for i in ids if i in wanted]


def test_the_timeline_lists_every_event_newest_first(app, make, login_as, monkeypatch):
    _s, _a, _b, ev = _seed(monkeypatch, make)
    client = login_as(make.user("committee"))
    ids = _mine(_ids(client.get("/audit/")), ev)
    assert ids == [ev["account"], ev["qlkh_2023"], ev["qlkh_2022_dec"], ev["vp_2022"], ev["qlkh_2022"]]


def test_one_unit_and_one_year_keep_only_that_units_events_of_that_local_year(app, make, login_as, monkeypatch):
    _s, _a, _b, ev = _seed(monkeypatch, make)
    client = login_as(make.user("committee"))
    resp = client.get("/audit/?unit=QLKH&year=2022")
    # 31/12/2022 17:30 UTC is already 01/01/2023 in Hà Nội: it belongs to 2023
    assert _ids(resp) == [ev["qlkh_2022"]]
    assert _ids(client.get("/audit/?unit=QLKH&year=2023")) == [ev["account"], ev["qlkh_2023"], ev["qlkh_2022_dec"]]
    assert "1 sự kiện phù hợp" in resp.get_data(as_text=True)


def test_a_date_range_accepts_vietnamese_and_iso_dates_and_includes_the_last_day(app, make, login_as, monkeypatch):
    _s, _a, _b, ev = _seed(monkeypatch, make)
    client = login_as(make.user("leadership"))
    typed = _mine(_ids(client.get("/audit/?from=10/03/2022&to=01/06/2022")), ev)
    picked = _mine(_ids(client.get("/audit/?from=2022-03-10&to=2022-06-01")), ev)
    assert typed == picked == [ev["vp_2022"], ev["qlkh_2022"]]


def test_a_mistyped_date_is_explained_and_ignored(app, make, login_as, monkeypatch):
    _s, _a, _b, ev = _seed(monkeypatch, make)
    client = login_as(make.user("committee"))
    resp = client.get("/audit/?from=31/02/2022")
    assert resp.status_code == 200
    assert "Ngày không hợp lệ: 31/02/2022" in resp.get_data(as_text=True)
    assert len(_mine(_ids(resp), ev)) == 5


def test_filtering_by_user_kind_and_action(app, make, login_as, monkeypatch):
    _s, alice, bob, ev = _seed(monkeypatch, make)
    client = login_as(make.user("secretary", unit="VP"))
    assert _ids(client.get(f"/audit/?user={bob.id}")) == [ev["vp_2022"]]
    assert _mine(_ids(client.get(f"/audit/?user={alice.id}&kind=procedure")), ev) == [ev["qlkh_2022_dec"],
                                                                                         ev["qlkh_2022"]]
    assert _mine(_ids(client.get("/audit/?kind=review")), ev) == [ev["qlkh_2023"]]
    assert _mine(_ids(client.get("/audit/?kind=account&user=system")), ev) == [ev["account"]]
    assert _mine(_ids(client.get("/audit/?action=procedure.save")), ev) == [ev["vp_2022"], ev["qlkh_2022"]]


def test_what_changed_is_shown_on_demand_as_before_and_after(app, make, login_as, monkeypatch):
    _s, _a, _b, ev = _seed(monkeypatch, make)
    client = login_as(make.user("committee"))
    html = client.get("/audit/?kind=account&user=system").get_data(as_text=True)
    row = html[html.index(f'data-event-id="{ev["account"]}"'):]
    details = row[row.index("<details"):row.index("</details>")]
    assert "Trước" in details and "Sau" in details
    assert re.search(r'class="table-warning"><th[^>]*>Họ và tên</th><td>Võ Linh</td><td>Võ Thị Mỹ Linh</td>', details)
    assert "<script" not in html.split("</main>")[0]


def test_pages_follow_each_other_by_keyset_without_gaps_or_repeats(app, make, login_as, monkeypatch):
    for day in range(1, 121):
        event_at(monkeypatch, utc(2024, 1, 1) + timedelta(days=day), unit_code="TTR", object_id=f"QT-TTR-{day:03d}")
    client = login_as(make.user("committee"))
    seen, url = [], "/audit/?unit=TTR"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen.extend(_ids_from(html))
        older = re.search(r'href="([^"]+)" data-testid="older"', html)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert len(seen) == 120 and len(set(seen)) == 120 and seen == sorted(seen, reverse=True)
    last_page = client.get(f"/audit/?unit=TTR&after={seen[59]}").get_data(as_text=True)
    newer = re.search(r'href="([^"]+)" data-testid="newer"', last_page).group(1).replace("&amp;", "&")
    assert _ids_from(client.get(newer).get_data(as_text=True)) == seen[10:60]


def _ids_from(html):
    return [int(i) for i in re.findall(r'data-testid="event" data-event-id="(\d+)"', html)]


def test_the_page_shows_an_intact_chain(app, make, login_as, monkeypatch):
    _seed(monkeypatch, make)
    client = login_as(make.user("admin"))
    html = client.get("/audit/").get_data(as_text=True)
    assert 'data-testid="chain-status" data-ok="1"' in html
    assert "Chuỗi băm của nhật ký toàn vẹn" in html
