"""Word in: the three samples become drafts whose fields and tables match the files; bad files create nothing."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import docx
import pytest
from sqlalchemy import func, select

from app.office import importing
from app.office.docx_in import NotAProcedure, read_docx
from app.procedures import core
from app.procedures.models import Procedure
from tests.conftest import login
from tests.office.conftest import SAMPLES

EXPECTED = {
    "QT-VP-06": dict(title="Quy trình tiếp nhận và xử lý văn bản đến", issue=2, issued_on=date(2025, 1, 10),
                     effective_on=date(2025, 1, 15), drafted_by="Nguyễn Thị Hạnh", reviewed_by="Trần Quốc Bảo",
                     approved_by="Lê Văn Dũng"),
    "QT-QLKH-04": dict(title="Quy trình xét chọn nhiệm vụ khoa học và công nghệ cấp tỉnh", issue=1,
                       issued_on=date(2024, 6, 3), effective_on=date(2024, 6, 10), drafted_by="Phạm Thị Thu",
                       reviewed_by="Võ Minh Tâm", approved_by="Đặng Hữu Phước"),
    "QT-TTR-03": dict(title="Quy trình giải quyết khiếu nại, tố cáo", issue=3, issued_on=date(2023, 2, 20),
                      effective_on=date(2023, 3, 1), drafted_by="Huỳnh Văn Lực", reviewed_by="Ngô Thị Mai",
                      approved_by="Lê Văn Dũng"),
}


def _word_tables(path) -> list[list[list[str]]]:
    """The body tables of a sample as Word holds them, less the header, signature and amendment tables."""
    tables = []
    for t in docx.Document(str(path)).tables:
        rows = [[c.text for c in row.cells] for row in t.rows]
        first = " ".join(rows[0])
        header_like = re.search(r"Mã hiệu|Tên quy trình|soạn thảo|Ngày sửa đổi", first, re.IGNORECASE)
        if header_like and "Tên biểu mẫu" not in first:
            continue
        tables.append(rows)
    return tables


def _md_tables(body: str) -> list[list[list[str]]]:
    tables, current = [], None
    for line in body.split("\n"):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(set(c) <= {"-", " "} for c in cells):
                continue
            current = current if current is not None else []
            current.append(cells)
        elif current is not None:
            tables.append(current)
            current = None
    if current:
        tables.append(current)
    return tables


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_sample_reads_its_header_fields_and_tables(code):
    path = SAMPLES / f"{code}.docx"
    item = read_docx(path.name, path.read_bytes())
    assert item.code == code
    for key, value in EXPECTED[code].items():
        assert getattr(item, key) == value, key
    assert _md_tables(item.body) == _word_tables(path)
    assert "## 1." in item.body and "Mục đích".lower() in item.body.lower()
    if code != "QT-QLKH-04":
        assert "amendment_table" in item.skipped  # the log comes from the store's history, not the file


def test_lists_keep_their_numbers_and_bullets():
    item = read_docx("QT-VP-06.docx", (SAMPLES / "QT-VP-06.docx").read_bytes())
    assert "1. Văn thư tiếp nhận, kiểm tra và đóng dấu đến.\n2. Đăng ký văn bản đến trên hệ thống." in item.body
    assert "- Quy chế làm việc của Sở Khoa học và Công nghệ." in item.body
    assert "### 4.1. Các bước thực hiện" in item.body


def _count(db):
    return db.session.scalar(select(func.count(Procedure.id)))


def test_importing_the_three_samples_creates_drafts_that_match_the_files(client, db, people, make):
    make.unit("TTR")
    login(client, people.secretary)
    files = [(io.BytesIO((SAMPLES / f"{c}.docx").read_bytes()), f"{c}.docx") for c in sorted(EXPECTED)]
    resp = client.post("/procedures/import", data={"files": files}, content_type="multipart/form-data")
    assert resp.status_code == 302 and _count(db) == 0  # nothing before the preview is confirmed
    preview = client.get(resp.headers["Location"]).data.decode()
    assert preview.count('data-testid="import-item"') == 3 and "Bảng theo dõi sửa đổi" in preview
    form = {}
    for i, code in enumerate(sorted(EXPECTED)):
        form |= {f"use-{i}": "1", f"code-{i}": code, f"title-{i}": EXPECTED[code]["title"],
                 f"unit-{i}": code.split("-")[1]}
    done = client.post(resp.headers["Location"], data=form)
    assert done.status_code == 302, done.data[:2000]
    for code, fields in EXPECTED.items():
        proc = db.session.scalar(select(Procedure).where(Procedure.code == code))
        assert proc.status == "draft" and proc.draft_state == "editing"
        doc = core.store().read(code).document
        for key, value in fields.items():
            assert getattr(doc, key) == value, (code, key)
        assert _md_tables(doc.body) == _word_tables(SAMPLES / f"{code}.docx")
    # the preview is used up
    assert client.get(resp.headers["Location"]).status_code == 404


def test_a_file_can_come_in_as_the_issue_in_force(client, db, people):
    login(client, people.secretary)
    data = (SAMPLES / "QT-VP-06.docx").read_bytes()
    resp = client.post("/procedures/import", data={"files": [(io.BytesIO(data), "QT-VP-06.docx")]},
                       content_type="multipart/form-data")
    client.post(resp.headers["Location"], data={"use-0": "1", "code-0": "QT-VP-06", "title-0": "Quy trình văn bản đến",
                                                "unit-0": "VP", "in_force-0": "1"})
    proc = db.session.scalar(select(Procedure).where(Procedure.code == "QT-VP-06"))
    assert proc.status == "issued" and proc.issue_number == 2 and proc.effective_on == date(2025, 1, 15)


def _damaged() -> bytes:
    data = (SAMPLES / "QT-VP-06.docx").read_bytes()
    return data[: len(data) // 2]


def _not_a_procedure() -> bytes:
    document = docx.Document()
    document.add_paragraph("Giấy mời họp giao ban tháng 11.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name,data,reason", [
    ("hong.docx", _damaged(), "damaged"),
    ("anh.docx", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "not_docx"),
    ("bang.docx", b"%PDF-1.4 not a word file", "not_docx"),
    ("giaymoi.docx", _not_a_procedure(), "not_procedure"),
])
def test_damaged_or_non_procedure_files_are_refused_with_a_reason(client, db, people, name, data, reason):
    with pytest.raises(NotAProcedure) as exc:
        read_docx(name, data)
    assert exc.value.key == reason
    login(client, people.secretary)
    resp = client.post("/procedures/import", data={"files": [(io.BytesIO(data), name)]},
                       content_type="multipart/form-data", follow_redirects=True)
    page = resp.data.decode()
    assert resp.status_code == 200 and name in page and 'data-testid="refused"' in page
    assert 'data-testid="import-item"' not in page and _count(db) == 0


def test_a_zip_of_procedures_is_unpacked_and_its_other_files_refused(db, people):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("quy-trinh/QT-VP-06.docx", (SAMPLES / "QT-VP-06.docx").read_bytes())
        archive.writestr("quy-trinh/QT-TTR-03.docx", (SAMPLES / "QT-TTR-03.docx").read_bytes())
        archive.writestr("quy-trinh/ghi-chu.txt", "không phải quy trình")
        archive.writestr("__MACOSX/._QT-VP-06.docx", b"junk")
    items, refused = importing.read_uploads([("bo-quy-trinh.zip", buf.getvalue())])
    assert [i.code for i in items] == ["QT-VP-06", "QT-TTR-03"]
    assert [(r.filename, r.reason) for r in refused] == [("bo-quy-trinh.zip › ghi-chu.txt", "not_docx")]


def test_problems_in_the_preview_create_nothing_and_keep_what_was_typed(client, db, people, issued):
    login(client, people.secretary)
    data = (SAMPLES / "QT-VP-06.docx").read_bytes()
    two = [(io.BytesIO(data), "a.docx"), (io.BytesIO(data), "b.docx")]
    resp = client.post("/procedures/import", data={"files": two}, content_type="multipart/form-data")
    before = _count(db)
    bad = client.post(resp.headers["Location"], data={
        "use-0": "1", "code-0": "QT-VP-06", "title-0": "Tên đã sửa", "unit-0": "VP",
        "use-1": "1", "code-1": "QT-QLKH-01", "title-1": "Trùng mã", "unit-1": "QLKH"})
    page = bad.data.decode()
    assert bad.status_code == 400 and "Đã có quy trình với mã hiệu này." in page and 'value="Tên đã sửa"' in page
    assert _count(db) == before and not core.store().exists("QT-VP-06")
    assert client.post(resp.headers["Location"], data={}).status_code == 400
