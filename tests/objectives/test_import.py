"""The plan from an XLSX file: the template, a preview, bad rows refused with their numbers, nothing half-imported."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from app.extensions import db
from app.objectives import importer, services
from app.objectives.services import ObjectiveError

HEADER = importer.HEADER


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row + [""] * (len(HEADER) - len(row)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    ["Mục tiêu", "MT1", "Tham mưu đầy đủ và đúng thời hạn."],
    ["Chỉ số", "MT1", "Tỷ lệ nhiệm vụ đúng hạn", "%", ">=", 100, "", "tháng", "đơn vị"],
    ["Nhiệm vụ", "MT1", "Báo cáo tháng", "", "", "", "", "", "", "Tất cả", "VP", "hàng tháng", 14, "ngày 14 hàng tháng"],
    ["Mục tiêu", "MT4", "Rà soát quy trình ít nhất 01 lần."],
    ["Chỉ số", "MT4", "Quy trình được rà soát", "%", ">=", 100, "", "năm", "hệ thống"],
    ["Nhiệm vụ", "MT4", "Rà soát cuối năm", "", "", "", "", "", "", "QLKH, TTR", "", "hàng năm", "30/12/2030"],
]


@pytest.fixture
def draft(people):
    plan = services.create_plan(people.secretary, 2030)
    db.session.commit()
    return plan


def test_the_template_downloads_and_its_examples_import(draft, people):
    data = importer.template_bytes()
    wb = load_workbook(io.BytesIO(data))
    assert [c.value for c in wb.active[1]] == HEADER
    preview = importer.preview(draft, data)
    assert preview.errors == [] and len(preview.objectives) == 1 and len(preview.indicators) == 2


def test_a_good_file_is_previewed_then_imported(draft, people):
    data = _xlsx(GOOD)
    preview = importer.preview(draft, data)
    assert preview.ok and [c for _n, c, _s in preview.objectives] == ["MT1", "MT4"]
    assert draft.objectives == []           # a preview writes nothing
    importer.apply(people.secretary, draft, data)
    db.session.commit()
    plan = services.get_plan(2030)
    assert [o.code for o in plan.objectives] == ["MT1", "MT4"]
    task = plan.objectives[1].tasks[0]
    assert task.rule == "yearly" and task.rule_date.isoformat() == "2030-12-30" and len(task.units) == 2
    assert plan.objectives[0].tasks[0].all_units and plan.objectives[1].indicators[0].source == "computed"


def test_bad_rows_are_refused_with_their_numbers_and_nothing_is_imported(draft, people):
    rows = GOOD + [
        ["Chỉ số", "MT9", "Không có mục tiêu"],                                          # row 8
        ["Nhiệm vụ", "MT1", "Việc", "", "", "", "", "", "", "XYZ", "", "hàng tháng", 14],  # row 9
        ["Chỉ số", "MT1", "Chỉ tiêu sai", "%", ">=", "nhiều", "", "tháng", "đơn vị"],     # row 10
        ["Ghi chú", "MT1", "?"],                                                          # row 11
    ]
    data = _xlsx(rows)
    preview = importer.preview(draft, data)
    assert [(n, k) for n, k, _p in preview.errors] == [
        (8, "row_objective"), (9, "unknown_unit"), (10, "bad_target"), (11, "row_kind")]
    with pytest.raises(ObjectiveError) as exc:
        importer.apply(people.secretary, draft, data)
    assert exc.value.key == "import_rows"
    db.session.rollback()
    assert services.get_plan(2030).objectives == []


def test_a_file_that_is_not_xlsx_is_refused(draft):
    with pytest.raises(ObjectiveError) as exc:
        importer.preview(draft, b"not a workbook")
    assert exc.value.key == "bad_file"


def test_import_pages_preview_refuse_and_confirm(draft, people, login_as):
    client = login_as(people.secretary)
    assert client.get("/objectives/import-template.xlsx").status_code == 200
    bad = _xlsx(GOOD + [["Chỉ số", "MT9", "x"]])
    resp = client.post("/objectives/2030/import", data={"file": (io.BytesIO(bad), "ke-hoach.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400
    assert "Dòng 8: mục tiêu “MT9” chưa có" in resp.get_data(as_text=True)
    resp = client.post("/objectives/2030/import", data={"file": (io.BytesIO(_xlsx(GOOD)), "ke-hoach.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 200 and 'data-testid="import-preview"' in resp.get_data(as_text=True)
    assert services.get_plan(2030).objectives == []
    import base64

    resp = client.post("/objectives/2030/import", data={"action": "confirm",
                                                        "content": base64.b64encode(_xlsx(GOOD)).decode()})
    assert resp.status_code == 302
    assert [o.code for o in services.get_plan(2030).objectives] == ["MT1", "MT4"]
    resp = client.post("/objectives/2030/import", data={"action": "confirm", "content": "%%%"})
    assert resp.status_code == 400
