"""The CAPA register: who sees which records, filters, sorting, paging and the XLSX/CSV exports."""
from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from app.capa import services
from app.extensions import db
from app.timeutil import local_today
from tests.capa.conftest import drive, unit


def numbers_in(resp) -> list[str]:
    import re

    return re.findall(r'data-testid="capa-row" data-number="([^"]+)"', resp.data.decode())


def _other_unit_record(people, **kwargs):
    capa = services.propose(people.secretary, kind=kwargs.get("kind", "preventive"),
                            source=kwargs.get("source", "audit"), title="Phiếu của Thanh tra",
                            description="Mô tả", unit=unit("TTR"), year=kwargs.get("year"))
    db.session.commit()
    return capa


def test_units_see_their_own_records_and_the_committee_sees_all(client, login_as, people):
    mine = drive(people, "open")
    theirs = _other_unit_record(people)
    login_as(people.member)
    assert numbers_in(client.get("/capa/")) == [mine.number]
    client.post("/logout")
    login_as(people.committee)
    assert sorted(numbers_in(client.get("/capa/"))) == sorted([mine.number, theirs.number])


def test_the_proposer_finds_their_proposal_in_the_register(client, login_as, people):
    capa = services.propose(people.leader, kind="preventive", source="other", title="Rủi ro mất dữ liệu",
                            description="Mô tả")
    db.session.commit()
    drive(people, "open")
    login_as(people.other)
    assert numbers_in(client.get("/capa/")) == []
    client.post("/logout")
    login_as(people.leader)
    assert capa.number in numbers_in(client.get("/capa/"))


def test_filters_by_year_status_unit_kind_source_and_overdue(client, login_as, people):
    qlkh = drive(people, "analysed", kind="corrective", source="review")
    services.add_action(people.member, qlkh, description="Trễ", due_on=local_today() - timedelta(days=2),
                        planned_on=local_today() - timedelta(days=20))
    db.session.commit()
    ttr = _other_unit_record(people, kind="preventive", source="audit")
    old = _other_unit_record(people, year=2022)
    login_as(people.secretary)
    get = lambda query: sorted(numbers_in(client.get(f"/capa/?{query}")))  # noqa: E731
    assert get("year=2022") == [old.number]
    assert get("status=analysed") == [qlkh.number]
    assert get("unit=TTR") == sorted([ttr.number, old.number])
    assert get("kind=corrective") == [qlkh.number]
    assert get("source=audit") == sorted([ttr.number, old.number])
    assert get("overdue=1") == [qlkh.number]
    assert get(f"q={qlkh.number}") == [qlkh.number]
    html = client.get("/capa/?overdue=1").data.decode()
    assert "1 quá hạn" in html


def test_closed_and_cancelled_records_are_never_overdue(client, login_as, people):
    capa = drive(people, "analysed")
    services.add_action(people.member, capa, description="Trễ", due_on=local_today() - timedelta(days=2),
                        planned_on=local_today() - timedelta(days=20))
    services.cancel(people.secretary, capa, "Không còn cần thiết")
    db.session.commit()
    login_as(people.secretary)
    assert numbers_in(client.get("/capa/?overdue=1")) == []


def test_sorting_and_paging(client, login_as, people):
    created = [_other_unit_record(people).number for _ in range(27)]
    login_as(people.secretary)
    first = numbers_in(client.get("/capa/"))
    assert first == sorted(created, reverse=True)[:25]
    assert numbers_in(client.get("/capa/?page=2")) == sorted(created, reverse=True)[25:]
    assert numbers_in(client.get("/capa/?sort=number"))[:3] == sorted(created)[:3]


def test_export_to_csv_and_xlsx_follows_the_filters(client, login_as, people):
    capa = drive(people, "open")
    _other_unit_record(people)
    login_as(people.secretary)
    resp = client.get("/capa/export.csv?unit=QLKH")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    text = resp.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Số phiếu,Loại,Nguồn,Tiêu đề")
    assert capa.number in text and "Phiếu của Thanh tra" not in text
    resp = client.get("/capa/export.xlsx")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    rows = list(sheet.iter_rows(values_only=True))[1:]  # below the title row
    assert rows[0][0] == "Số phiếu" and len(rows) == 3
    assert client.get("/capa/export.pdf").status_code == 404


def test_an_export_only_holds_what_the_user_may_read(client, login_as, people):
    drive(people, "open")
    theirs = _other_unit_record(people)
    login_as(people.member)
    text = client.get("/capa/export.csv").data.decode("utf-8-sig")
    assert theirs.number not in text
