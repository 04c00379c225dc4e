"""Creating, saving and reading procedures; conflicts, limits and path safety."""
from __future__ import annotations

import os
import time

import pytest

from app.store import InvalidProcedure, ProcedureNotFound, ProcedureStore, StoreConflict, StoreError

from .helpers import commit_count, git, make_doc


def test_new_store_starts_with_one_empty_commit_on_main(store):
    assert git(store, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert commit_count(store) == 1
    assert store.codes() == []


def test_opening_an_existing_store_keeps_its_history(tmp_path, drafter):
    with ProcedureStore(tmp_path / "s") as first:
        rev = first.create(make_doc(), drafter, "Tạo mới")
    with ProcedureStore(tmp_path / "s") as again:
        assert again.head("QT-VP-01") == rev
        assert commit_count(again) == 2


def test_a_non_empty_directory_that_is_not_a_repository_is_refused(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "notes.txt").write_text("x")
    with pytest.raises(StoreError):
        ProcedureStore(tmp_path / "s")


def test_create_commits_the_file_with_the_author_and_message(store, drafter):
    rev = store.create(make_doc(), drafter, "Tạo mới quy trình")
    assert git(store, "log", "-1", "--format=%an|%ae|%cn|%s", rev).strip() == \
        "Nguyễn Văn An|an@skhcn.example.vn|Nguyễn Văn An|Tạo mới quy trình"
    assert git(store, "show", f"{rev}:QT-VP-01.md") == make_doc().to_text()
    assert store.codes() == ["QT-VP-01"]


def test_creating_an_existing_code_is_refused(store, drafter):
    store.create(make_doc(), drafter, "Tạo mới")
    with pytest.raises(InvalidProcedure) as err:
        store.create(make_doc(title="Khác"), drafter, "Lần nữa")
    assert err.value.code == "exists"
    assert commit_count(store) == 2


def test_save_commits_a_new_revision_and_read_returns_it(store, drafter, reviewer):
    first = store.create(make_doc(), drafter, "Tạo mới")
    second = store.save(make_doc(body="# Mục đích\n\nBản sửa.\n"), first, reviewer, "Sửa mục đích")
    assert second != first
    stored = store.read("QT-VP-01")
    assert stored.revision == second == store.head("QT-VP-01")
    assert stored.document.body == "# Mục đích\n\nBản sửa.\n"
    assert stored.blob_sha == git(store, "rev-parse", f"{second}:QT-VP-01.md").strip()
    assert stored.text == stored.document.to_text()


def test_second_save_on_same_base_is_refused_and_keeps_file(store, drafter, reviewer):
    base = store.create(make_doc(), drafter, "Tạo mới")
    winner = store.save(make_doc(body="Bản của An.\n"), base, drafter, "An sửa")
    with pytest.raises(StoreConflict) as err:
        store.save(make_doc(body="Bản của Bình.\n"), base, reviewer, "Bình sửa")
    assert err.value.current_revision == winner
    assert err.value.base_revision == base
    assert "Bản của An." in err.value.current_text
    assert store.read("QT-VP-01").document.body == "Bản của An.\n"
    assert (store.root / "QT-VP-01.md").read_text(encoding="utf-8") == store.read("QT-VP-01").text
    assert commit_count(store) == 3


def test_save_with_an_unknown_base_is_a_conflict(store, drafter):
    store.create(make_doc(), drafter, "Tạo mới")
    for base in ("0" * 40, "not-a-revision", "--all", ""):
        with pytest.raises(StoreConflict):
            store.save(make_doc(body="x\n"), base, drafter, "Sửa")


def test_saving_identical_text_makes_no_commit(store, drafter):
    rev = store.create(make_doc(), drafter, "Tạo mới")
    assert store.save(make_doc(), rev, drafter, "Không đổi") == rev
    assert commit_count(store) == 2


def test_saving_a_procedure_that_does_not_exist_is_not_found(store, drafter):
    with pytest.raises(ProcedureNotFound):
        store.save(make_doc(), "main", drafter, "Sửa")


def test_a_save_of_one_procedure_does_not_disturb_the_base_of_another(store, drafter):
    a = store.create(make_doc("QT-VP-01"), drafter, "A")
    store.create(make_doc("QT-VP-02"), drafter, "B")
    assert store.save(make_doc("QT-VP-01", body="A2\n"), a, drafter, "A2")


def test_read_at_an_old_revision_returns_the_text_of_then(store, drafter):
    first = store.create(make_doc(body="Bản 1\n"), drafter, "1")
    store.save(make_doc(body="Bản 2\n"), first, drafter, "2")
    old = store.read("QT-VP-01", first)
    assert old.document.body == "Bản 1\n" and old.revision == first


def test_read_at_a_later_commit_names_the_commit_that_last_touched_the_file(store, drafter):
    first = store.create(make_doc("QT-VP-01"), drafter, "A")
    other = store.create(make_doc("QT-VP-02"), drafter, "B")
    assert store.read("QT-VP-01", other).revision == first
    assert store.read("QT-VP-01", "main").revision == first


def test_reading_missing_procedures_and_revisions_is_not_found(store, drafter):
    with pytest.raises(ProcedureNotFound):
        store.read("QT-VP-09")
    with pytest.raises(ProcedureNotFound):
        store.head("QT-VP-09")
    before = git(store, "rev-parse", "main").strip()
    store.create(make_doc(), drafter, "Tạo mới")
    with pytest.raises(ProcedureNotFound):
        store.read("QT-VP-01", before)
    for bad in ("f" * 40, "nope", "--output=/tmp/x", "main:QT-VP-01.md", "main\nHEAD", "a..b"):
        with pytest.raises(ProcedureNotFound):
            store.read("QT-VP-01", bad)


@pytest.mark.parametrize("code", ["../etc/passwd", "qt-vp-01", "QT VP 01", "", "/etc/passwd", "../../x.md"])
def test_invalid_codes_are_refused_everywhere(store, code):
    for call in (lambda: store.read(code), lambda: store.head(code), lambda: store.history(code),
                 lambda: store.issues(code), lambda: store.path_for(code)):
        with pytest.raises(InvalidProcedure) as err:
            call()
        assert err.value.code == "invalid_code"


def test_a_symlink_planted_in_the_store_cannot_redirect_a_write(store, drafter, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("do not touch")
    os.symlink(outside, store.root / "QT-VP-01.md")
    with pytest.raises(InvalidProcedure) as err:
        store.create(make_doc(), drafter, "Tạo mới")
    assert err.value.code == "path_escape"
    assert outside.read_text() == "do not touch"


def test_paths_stay_inside_the_store(store):
    assert store.path_for("QT-VP-01") == store.root / "QT-VP-01.md"
    assert store.path_for("HD-VP-01-A") == store.root / "HD-VP-01-A.md"


def test_text_over_the_size_limit_is_refused_with_the_limit_in_the_message(tmp_path, drafter):
    with ProcedureStore(tmp_path / "s", max_bytes=2000) as small:
        with pytest.raises(InvalidProcedure) as err:
            small.create(make_doc(body="ư" * 1000), drafter, "Quá lớn")  # 2 bytes each in UTF-8
        assert err.value.code == "too_large"
        assert "2,000 bytes" in str(err.value)
        assert small.codes() == []
        rev = small.create(make_doc(), drafter, "Nhỏ")
        with pytest.raises(InvalidProcedure):
            small.save(make_doc(body="x" * 3000), rev, drafter, "Quá lớn")
        assert small.head("QT-VP-01") == rev


def test_an_empty_message_gets_a_default(store, drafter):
    rev = store.create(make_doc(), drafter, "   ")
    assert git(store, "log", "-1", "--format=%s", rev).strip() == "Create QT-VP-01"


def test_a_stale_index_lock_left_by_a_killed_process_does_not_block_saves(store, drafter):
    lock = store.root / ".git" / "index.lock"
    lock.write_text("")
    old = time.time() - 600
    os.utime(lock, (old, old))
    assert store.create(make_doc(), drafter, "Tạo mới")
    assert not lock.exists()


def test_inherited_git_variables_do_not_redirect_the_store(tmp_path, drafter, monkeypatch):
    other = tmp_path / "other"
    with ProcedureStore(other):
        pass
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    with ProcedureStore(tmp_path / "mine") as mine:
        mine.create(make_doc(), drafter, "Tạo mới")
        assert mine.codes() == ["QT-VP-01"]
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_INDEX_FILE")
    monkeypatch.delenv("GIT_WORK_TREE")
    with ProcedureStore(other) as o:
        assert o.codes() == []


def test_close_stops_the_cat_file_helpers_and_the_store_reopens_lazily(store, drafter):
    store.create(make_doc(), drafter, "Tạo mới")
    store.read("QT-VP-01")
    store.close()
    assert store.read("QT-VP-01").document.code == "QT-VP-01"


def test_a_freshly_opened_store_still_refuses_a_save_on_a_stale_base(tmp_path, drafter):
    with ProcedureStore(tmp_path / "s") as first:
        base = first.create(make_doc(), drafter, "Tạo mới")
        newer = first.save(make_doc(body="mới\n"), base, drafter, "Sửa")
        first.create(make_doc("QT-VP-02"), drafter, "Khác")
    with ProcedureStore(tmp_path / "s") as cold:  # nothing remembered about heads yet
        with pytest.raises(StoreConflict) as err:
            cold.save(make_doc(body="cũ\n"), base, drafter, "Sửa trên bản cũ")
        assert err.value.current_revision == newer
    with ProcedureStore(tmp_path / "s") as cold:
        assert cold.save(make_doc(body="tiếp\n"), newer, drafter, "Sửa tiếp")


def test_a_base_that_never_changed_the_procedure_is_a_conflict(store, drafter):
    own = store.create(make_doc("QT-VP-01"), drafter, "A")
    other = store.create(make_doc("QT-VP-02"), drafter, "B")
    with ProcedureStore(store.root) as cold:
        for s in (store, cold):  # the remembered head and the hint-guided lookup agree
            with pytest.raises(StoreConflict) as err:
                s.save(make_doc("QT-VP-01", body="x\n"), other, drafter, "Sửa")
            assert err.value.current_revision == own


def test_exists_tells_whether_a_procedure_is_on_main(store, drafter):
    assert not store.exists("QT-VP-01")
    store.create(make_doc(), drafter, "A")
    assert store.exists("QT-VP-01")
