"""What a store object remembers between calls (parsed texts, each file's history, each procedure's tags)
never differs from what git says, also when another process changes the store meanwhile."""
from __future__ import annotations

from datetime import date

from app.store import Author, ProcedureStore

from .helpers import git, make_doc



def _fresh(store: ProcedureStore) -> ProcedureStore:
    """Another process's view: a new store object on the same repository, remembering nothing yet."""
    return ProcedureStore(store.root)


def test_history_follows_saves_made_by_another_process(tmp_path, drafter, reviewer):
    here = ProcedureStore(tmp_path / "store")
    there = _fresh(here)
    try:
        rev = here.create(make_doc(body="1\n"), drafter, "Tạo mới")
        there.create(make_doc("QT-VP-02"), drafter, "Thủ tục khác")
        assert [h.sha for h in here.history("QT-VP-01")] == [rev]  # remembered from here on
        for n in range(2, 6):  # the other process saves this file and another, in turns
            rev = there.save(make_doc(body=f"{n}\n"), rev, reviewer if n % 2 else drafter, f"Lần {n}\n\nChi tiết.")
            other = there.head("QT-VP-02")
            there.save(make_doc("QT-VP-02", body=f"khác {n}\n"), other, drafter, "Việc khác")
        rev = here.save(make_doc(body="6\n"), rev, drafter, "Lần 6")
        with _fresh(here) as reference:
            assert here.history("QT-VP-01") == reference.history("QT-VP-01")
            assert there.history("QT-VP-01") == reference.history("QT-VP-01")
            assert here.history("QT-VP-02") == reference.history("QT-VP-02")
        log = git(here, "log", "--format=%H", "main", "--", "QT-VP-01.md").split()
        assert [h.sha for h in here.history("QT-VP-01")] == log and len(log) == 6
        assert here.history("QT-VP-01")[1].message == "Lần 5\n\nChi tiết."
        assert here.history("QT-VP-01")[1].authored_at.utcoffset() is not None
    finally:
        here.close()
        there.close()


def test_history_after_the_file_went_back_to_an_older_text(store, drafter):
    r1 = store.create(make_doc(body="A\n"), drafter, "A")
    store.history("QT-VP-01")
    r2 = store.save(make_doc(body="B\n"), r1, drafter, "B")
    r3 = store.save(make_doc(body="A\n"), r2, drafter, "A again")
    assert [h.sha for h in store.history("QT-VP-01")] == [r3, r2, r1]


def test_tags_made_or_removed_elsewhere_are_seen(tmp_path, drafter, approver):
    here = ProcedureStore(tmp_path / "store")
    there = _fresh(here)
    try:
        rev = here.create(make_doc(), drafter, "Tạo mới")
        assert here.issues("QT-VP-01") == []
        there.issue("QT-VP-01", rev, 1, date(2024, 5, 1), approver, "Ban hành")
        assert [i.number for i in here.issues("QT-VP-01")] == [1]
        assert here.history("QT-VP-01")[0].tags == ("QT-VP-01/issue-1",)
        there.maintain()  # packs the refs: the same tags from another file
        assert [i.number for i in here.issues("QT-VP-01")] == [1]
        git(here, "tag", "-d", "QT-VP-01/issue-1")
        assert here.issues("QT-VP-01") == [] and here.history("QT-VP-01")[0].tags == ()
        there.withdraw("QT-VP-01", approver, "Hết hiệu lực", date(2024, 6, 1))
        assert [w.withdrawn_on for w in here.withdrawals("QT-VP-01")] == [date(2024, 6, 1)]
    finally:
        here.close()
        there.close()


def test_a_document_read_can_be_changed_without_changing_the_next_read(store, drafter):
    store.create(make_doc(), drafter, "Tạo mới")
    first = store.read("QT-VP-01").document
    first.title = "Đã sửa trong bộ nhớ"
    first.legal_bases.append("Luật khác")
    again = store.read("QT-VP-01").document
    assert again.title == "Quy trình kiểm soát tài liệu" and again.legal_bases == ["TCVN ISO 9001:2015"]


def test_a_save_commits_one_file_and_leaves_git_status_clean(store, drafter):
    rev = store.create(make_doc(), drafter, "Tạo mới")
    store.create(make_doc("QT-VP-02"), drafter, "Khác")
    new = store.save(make_doc(body="Mới\n"), rev, Author("Phạm Thị Dung", "dung@skhcn.example.vn"), "Sửa")
    assert git(store, "show", "--name-only", "--format=", new).split() == ["QT-VP-01.md"]
    assert git(store, "status", "--porcelain").strip() == ""
