"""Forms as files: limits told and enforced, content checked, safe names, versioned and issued with the text."""
from __future__ import annotations

import io
import re
import openpyxl
import pytest

from app.office import files
from app.procedures import core
from app.store.attachments import Attachments
from tests.conftest import login
from tests.office.conftest import reissue

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Sổ theo dõi hồ sơ"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, name, data, code="QT-QLKH-02"):
    return client.post(f"/procedures/{code}/forms", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_the_draft_page_tells_the_limits_and_takes_a_checked_file(client, db, people, draft):
    login(client, people.member)
    page = client.get("/procedures/QT-QLKH-02/draft").data.decode()
    assert "tối đa 3 MB" in page and "DOCX, XLSX, PDF, ODT hoặc ODS" in page
    resp = _upload(client, "Sổ theo dõi.xlsx", _xlsx())
    assert "Đã đính kèm Sổ theo dõi.xlsx".encode() in resp.data
    assert [a.name for a in files.files_of(draft, None)] == ["Sổ theo dõi.xlsx"]


@pytest.mark.parametrize("name,data,message", [
    ("BM-01.pdf", b"%PDF-" + b"0" * (3 * 1024 * 1024), "tối đa 3 MB"),
    ("BM-01.docx", PDF, "không đúng với phần mở rộng"),                 # a PDF behind a Word name
    ("BM-01.xlsx", b"PK\x03\x04 not really a zip", "không đúng với phần mở rộng"),
    ("BM-01.pdf", b"<html><script>alert(1)</script>", "không đúng với phần mở rộng"),
    ("BM-01.exe", PDF, "Tên tệp không hợp lệ"),
    ("BM-01.pdf", b"", "Hãy chọn một tệp"),
])
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(client, db, people, draft, name, data, message):
    login(client, people.member)
    before = core.store().head("QT-QLKH-02"), len(Attachments(core.store()).history("QT-QLKH-02"))
    resp = _upload(client, name, data)
    assert resp.status_code == 200 and message.encode() in resp.data
    assert files.files_of(draft, None) == []
    assert (core.store().head("QT-QLKH-02"), len(Attachments(core.store()).history("QT-QLKH-02"))) == before


def test_path_tricks_in_names_stay_inside_the_procedures_folder(client, db, people, draft):
    login(client, people.member)
    _upload(client, "../../QT-QLKH-01.md.pdf", PDF)
    _upload(client, "..\\..\\.git\\config.pdf", PDF)
    names = sorted(a.name for a in files.files_of(draft, None))
    assert names[0] == "QT-QLKH-01.md.pdf" and names[1].endswith("config.pdf")
    assert not any(ch in n for n in names for ch in "/\\") and not any(n.startswith(".") for n in names)
    root = core.store().root
    assert (root / "QT-QLKH-02.files" / names[1]).exists()
    assert not (root.parent / "QT-QLKH-01.md.pdf").exists() and core.store().codes() == ["QT-QLKH-02"]
    assert client.get("/procedures/QT-QLKH-02/forms/..%2F..%2Fqms.sqlite3").status_code == 404


def test_a_form_attached_to_a_draft_becomes_part_of_the_next_issue_and_the_old_issue_keeps_its_file(
        client, db, dc, people, issued):
    files.attach(people.member, issued, "BM-01.pdf", PDF + b"% issue 1\n")
    db.session.commit()
    reissue(db, dc, people, issued, dc.st.read(issued.code).document.body + "\nSửa.\n", "Thêm biểu mẫu")
    first_issue_rev = issued.issued_revision
    files.attach(people.member, issued, "BM-01.pdf", PDF + b"% issue 2\n")
    db.session.commit()
    reissue(db, dc, people, issued, dc.st.read(issued.code).document.body + "\nSửa lần nữa.\n", "Sửa biểu mẫu")
    assert issued.issue_number == 3

    login(client, people.other_member)
    page = client.get("/procedures/QT-QLKH-01").data.decode()
    link = re.search(r'href="(/procedures/QT-QLKH-01/forms/BM-01.pdf\?rev=[0-9a-f]+)"', page).group(1)
    assert link.endswith(issued.issued_revision)
    resp = client.get(link)
    assert resp.data.endswith(b"% issue 2\n")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"].startswith("attachment;") and resp.mimetype == "application/pdf"
    old_page = client.get(f"/procedures/QT-QLKH-01/revisions/{first_issue_rev}").data.decode()
    old_link = re.search(r'href="(/procedures/QT-QLKH-01/forms/BM-01.pdf\?rev=[0-9a-f]+)"', old_page).group(1)
    assert client.get(old_link).data.endswith(b"% issue 1\n")
    history = Attachments(core.store()).history("QT-QLKH-01")
    assert [c.message for c in history] == ["Thay biểu mẫu BM-01.pdf của QT-QLKH-01",
                                            "Đính kèm biểu mẫu BM-01.pdf của QT-QLKH-01"]
    # the history page shows both changes of the file to those who follow the drafts
    client.post("/logout")
    login(client, people.member)
    page = client.get("/procedures/QT-QLKH-01/history").data.decode()
    assert "Thay biểu mẫu BM-01.pdf" in page and "Đính kèm biểu mẫu BM-01.pdf" in page


def test_draft_files_stay_hidden_from_other_units_until_issued(client, db, people, issued):
    files.attach(people.member, issued, "BM-09.pdf", PDF)
    db.session.commit()
    login(client, people.other_member)
    assert "BM-09.pdf" not in client.get("/procedures/QT-QLKH-01").data.decode()
    assert client.get("/procedures/QT-QLKH-01/forms/BM-09.pdf").status_code == 404
    assert client.get(f"/procedures/QT-QLKH-01/forms/BM-09.pdf?rev={issued.issued_revision}").status_code == 404


def test_removing_a_form_needs_the_draft_rights(client, db, people, draft):
    files.attach(people.member, draft, "BM-01.pdf", PDF)
    db.session.commit()
    login(client, people.other_member)
    assert client.post("/procedures/QT-QLKH-02/forms/BM-01.pdf/delete").status_code == 403
    client.post("/logout")
    login(client, people.member)
    resp = client.post("/procedures/QT-QLKH-02/forms/BM-01.pdf/delete", follow_redirects=True)
    assert "Đã gỡ BM-01.pdf".encode() in resp.data and files.files_of(draft, None) == []
    assert Attachments(core.store()).history("QT-QLKH-02")[0].message.startswith("Gỡ biểu mẫu BM-01.pdf")


def _docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_words_of_a_form_are_searchable_once_its_issue_is_in_force(client, db, dc, people, issued):
    files.attach(people.member, issued, "BM-03.docx", _docx_with("Phiếu thẩm định quỹ phát triển khoa học"))
    files.attach(people.member, issued, "BM-04.xlsx", _xlsx())
    db.session.commit()
    login(client, people.other_member)
    assert "QT-QLKH-01" not in client.get("/search?q=thẩm định quỹ").data.decode()  # still the draft's file
    reissue(db, dc, people, issued, dc.st.read(issued.code).document.body + "\nSửa.\n", "Thêm phiếu thẩm định")
    assert "QT-QLKH-01" in client.get("/search?q=thẩm định quỹ").data.decode()
    assert "QT-QLKH-01" in client.get("/search?q=so theo doi ho so").data.decode()  # without diacritics too
