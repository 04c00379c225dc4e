"""A procedure's files in the store: committed beside its text, fixed by the issue tag, with safe names."""
from __future__ import annotations

from datetime import date

import pytest

from app.store import InvalidProcedure, ProcedureNotFound, ProcedureStore
from app.store.attachments import Attachments, safe_name

from .helpers import git, make_doc

FORMS = ("docx", "xlsx", "pdf", "odt", "ods")


def test_a_file_attached_to_the_draft_is_part_of_the_next_issue_and_the_old_issue_keeps_its_own(
        store, drafter, approver):
    files = Attachments(store)
    r1 = store.create(make_doc(), drafter, "Tạo mới")
    files.put("QT-VP-01", "BM-01.docx", b"version one", drafter, "Biểu mẫu lần 1")
    r1 = store.save(make_doc(issue=1), r1, approver, "Ban hành lần 1")
    store.issue("QT-VP-01", r1, 1, date(2024, 1, 1), approver, "Lần 1")
    files.put("QT-VP-01", "BM-01.docx", b"version two", drafter, "Sửa biểu mẫu")
    files.put("QT-VP-01", "BM-02.pdf", b"%PDF-new", drafter, "Thêm biểu mẫu")
    r2 = store.save(make_doc(issue=2, body="Lần 2\n"), r1, approver, "Ban hành lần 2")
    store.issue("QT-VP-01", r2, 2, date(2025, 1, 1), approver, "Lần 2")

    assert files.read("QT-VP-01", "BM-01.docx", "QT-VP-01/issue-1") == b"version one"
    assert files.read("QT-VP-01", "BM-01.docx", "QT-VP-01/issue-2") == b"version two"
    assert [a.name for a in files.list("QT-VP-01", "QT-VP-01/issue-1")] == ["BM-01.docx"]
    assert [a.name for a in files.list("QT-VP-01", "QT-VP-01/issue-2")] == ["BM-01.docx", "BM-02.pdf"]
    history = files.history("QT-VP-01")
    assert [c.message for c in history] == ["Thêm biểu mẫu", "Sửa biểu mẫu", "Biểu mẫu lần 1"]
    assert history[1].paths == ("QT-VP-01.files/BM-01.docx",) and history[1].author_name == "Nguyễn Văn An"
    log = git(store, "log", "--format=%s", "--", "QT-VP-01.files/BM-01.docx").split("\n")
    assert log[:2] == ["Sửa biểu mẫu", "Biểu mẫu lần 1"]
    # the files are no procedures, and the text's own history is untouched by them
    assert store.codes() == ["QT-VP-01"]
    assert [r.message for r in store.history("QT-VP-01")] == ["Ban hành lần 2", "Ban hành lần 1", "Tạo mới"]


def test_removing_a_file_keeps_it_in_the_issue_that_had_it(store, drafter, approver):
    files = Attachments(store)
    r1 = store.create(make_doc(), drafter, "Tạo mới")
    files.put("QT-VP-01", "BM-01.pdf", b"%PDF-1", drafter, "")
    r1 = store.save(make_doc(issue=1), r1, approver, "Ban hành lần 1")
    store.issue("QT-VP-01", r1, 1, date(2024, 1, 1), approver, "Lần 1")
    files.remove("QT-VP-01", "BM-01.pdf", drafter, "Gỡ")
    assert files.list("QT-VP-01") == []
    assert files.read("QT-VP-01", "BM-01.pdf", "QT-VP-01/issue-1") == b"%PDF-1"
    with pytest.raises(ProcedureNotFound):
        files.remove("QT-VP-01", "BM-01.pdf", drafter, "Gỡ lần nữa")


def test_series_layout_keeps_files_beside_the_text(tmp_path, drafter):
    st = ProcedureStore(tmp_path / "series", layout="series")
    try:
        st.create(make_doc(), drafter, "Tạo mới")
        Attachments(st).put("QT-VP-01", "BM-01.pdf", b"%PDF", drafter, "")
        assert (st.root / "QT-VP" / "QT-VP-01.files" / "BM-01.pdf").read_bytes() == b"%PDF"
        assert st.codes() == ["QT-VP-01"]
    finally:
        st.close()


def test_limits_and_unknown_procedures(store, drafter):
    files = Attachments(store, max_bytes=10)
    store.create(make_doc(), drafter, "Tạo mới")
    with pytest.raises(InvalidProcedure) as exc:
        files.put("QT-VP-01", "BM-01.pdf", b"x" * 11, drafter, "")
    assert exc.value.code == "too_large"
    with pytest.raises(ProcedureNotFound):
        files.put("QT-VP-02", "BM-01.pdf", b"x", drafter, "")
    for bad in ("../QT-VP-01.md", ".hidden", "a/b.pdf", ""):
        with pytest.raises(InvalidProcedure):
            files.put("QT-VP-01", bad, b"x", drafter, "")


@pytest.mark.parametrize("given,safe", [
    ("../../etc/passwd.docx", "passwd.docx"),
    ("..\\..\\Windows\\win.ini.pdf", "win.ini.pdf"),
    ("Biểu mẫu 01 – đăng ký.DOCX", "Biểu mẫu 01 _ đăng ký.docx"),
    ("phiếu\x00<script>.xlsx", "phiếu_script_.xlsx"),
    ("  .bashrc.ods", "bashrc.ods"),
    ("a" * 300 + ".odt", "a" * 116 + ".odt"),
])
def test_names_become_one_safe_path_part(given, safe):
    assert safe_name(given, FORMS) == safe


@pytest.mark.parametrize("given", ["virus.exe", "report", "..", ".pdf", "trang.html", "x.docx/"])
def test_names_without_an_accepted_type_are_refused(given):
    with pytest.raises(InvalidProcedure):
        safe_name(given, FORMS)
