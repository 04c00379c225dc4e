"""Exports for the committee's records: the filtered timeline as CSV and XLSX, with the chain hashes."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from types import SimpleNamespace

from openpyxl import load_workbook

from app.audit.models import hash_material
from app.audit.services import audit_key
from tests.audit.conftest import event_at, utc

HEADER = ["Mã sự kiện", "Thời gian", "Thời điểm UTC", "Nguồn", "Mã người thực hiện", "Người thực hiện", "Đơn vị",
          "Loại đối tượng", "Đối tượng", "Hành động", "Nội dung", "Dữ liệu (JSON)", "Commit", "prev_hash", "hash"]


def _csv(resp) -> list[list[str]]:
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _seed(monkeypatch, make):
    actor = make.user("member", unit="QLKH", full_name="Võ Thị Mỹ Linh")
    event_at(monkeypatch, utc(2022, 4, 2, 3, 4, 5, 678901), actor=actor, unit_code="QLKH",
             summary="Lưu dự thảo QT-QLKH-01", payload={"revision": "a" * 40, "message": "Cập nhật căn cứ"})
    event_at(monkeypatch, utc(2022, 5, 1), actor=actor, unit_code="QLKH", action="procedure.submit")
    event_at(monkeypatch, utc(2022, 5, 2), unit_code="VP", object_id="QT-VP-01")
    return actor


def test_the_csv_export_streams_the_filtered_timeline_with_every_hashed_field(app, make, client_for, monkeypatch):
    actor = _seed(monkeypatch, make)
    resp = client_for(make.user("committee")).get("/audit/export.csv?unit=QLKH&year=2022")
    assert resp.status_code == 200 and resp.is_streamed
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="nhat-ky-he-thong-')
    rows = _csv(resp)
    assert rows[0] == HEADER
    body = rows[1:]
    assert [r[9] for r in body] == ["procedure.save", "procedure.submit"]          # oldest first, VP left out
    first = dict(zip(HEADER, body[0]))
    assert first["Thời gian"] == "02/04/2022 10:04"                                 # Hà Nội time for people
    assert first["Thời điểm UTC"] == "2022-04-02T03:04:05.678901+00:00"
    assert first["Người thực hiện"] == "Võ Thị Mỹ Linh" and first["Mã người thực hiện"] == str(actor.id)
    assert first["Commit"] == "a" * 40
    assert body[1][13] == first["hash"]                                            # the chain reads down the file
    # everything the hash covers is in the row: whoever holds the audit key can re-verify the export
    ev = SimpleNamespace(occurred_at=datetime.fromisoformat(first["Thời điểm UTC"]), actor_id=first["Mã người thực hiện"],
                         actor_name=first["Người thực hiện"], action=first["Hành động"],
                         object_type=first["Loại đối tượng"], object_id=first["Đối tượng"], unit_code=first["Đơn vị"],
                         summary=first["Nội dung"], payload=first["Dữ liệu (JSON)"], prev_hash=first["prev_hash"])
    assert audit_key().sign(hash_material(ev)) == first["hash"]


def test_the_xlsx_export_has_the_same_columns(app, make, client_for, monkeypatch):
    _seed(monkeypatch, make)
    resp = client_for(make.user("secretary", unit="VP")).get("/audit/export.xlsx?unit=QLKH&year=2022")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)][1:]  # below the title row
    assert rows[0] == HEADER
    assert [r[9] for r in rows[1:]] == ["procedure.save", "procedure.submit"]
    assert all(len(r[14]) == 64 and len(r[13]) == 64 for r in rows[1:])


def test_an_unknown_export_format_is_not_found(app, make, client_for):
    assert client_for(make.user("committee")).get("/audit/export.pdf").status_code == 404


def test_a_procedures_export_holds_its_commits_tags_and_events(app, make, client_for, workflow):
    proc = workflow.create()
    workflow.save(proc)
    workflow.issue(proc)
    resp = client_for(make.user("committee")).get("/audit/object/procedure/QT-QLKH-09/export.csv")
    rows = _csv(resp)
    assert rows[0] == HEADER
    kinds = [r[9] for r in rows[1:]]
    assert kinds == ["store.commit", "procedure.create", "store.commit", "procedure.save", "procedure.submit",
                     "store.commit", "store.issue", "procedure.issue"]
    commit = dict(zip(HEADER, rows[1]))
    assert commit["Nguồn"] == "Kho quy trình (git)" and len(commit["Commit"]) == 40 and commit["hash"] == ""
    xlsx = client_for(make.user("leadership")).get("/audit/object/procedure/QT-QLKH-09/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == len(rows) + 1  # and the title row


def test_a_units_export_is_limited_to_that_unit(app, make, client_for, monkeypatch):
    _seed(monkeypatch, make)
    rows = _csv(client_for(make.user("head", unit="VP")).get("/audit/unit/VP/export.csv"))
    assert {r[6] for r in rows[1:]} == {"VP"}
    assert "QT-VP-01" in {r[8] for r in rows[1:]}
