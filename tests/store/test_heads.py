"""The branch tip once git has packed its refs, and every file's last commit learnt in one walk."""
from __future__ import annotations

from app.store import ProcedureStore

from .helpers import git, make_doc


def test_the_tip_is_read_from_packed_refs_without_starting_git(tmp_path, drafter, monkeypatch):
    with ProcedureStore(tmp_path / "store") as st:
        first = st.create(make_doc(), drafter, "Tạo mới")
        git(st, "pack-refs", "--all")  # what git's maintenance does
        assert not (st.root / ".git" / "refs" / "heads" / "main").exists()

        def no_git(*_a, **_k):
            raise AssertionError("git rev-parse started")

        monkeypatch.setattr(type(st._pool.get().git), "rev_parse", no_git, raising=False)
        assert st._objects.tip() == first
        assert st.read("QT-VP-01").revision == first
        monkeypatch.undo()
        second = st.save(make_doc(body="Sửa.\n"), first, drafter, "Sửa")  # a loose ref again, newer
        assert st._objects.tip() == second
        git(st, "pack-refs", "--all")
        assert st._objects.tip() == second  # the packed file was replaced: read again


def test_priming_gives_each_file_the_commit_git_log_names(tmp_path, drafter):
    with ProcedureStore(tmp_path / "store") as st:
        a = st.create(make_doc("QT-VP-01"), drafter, "Tạo mới")
        st.create(make_doc("QT-VP-02"), drafter, "Tạo mới")
        st.save(make_doc("QT-VP-01", body="Lần 2.\n"), a, drafter, "Sửa")
        st.create(make_doc("QT-VP-03"), drafter, "Tạo mới")
        tip = st._objects.tip()
        heads = st._pool.heads()
        heads.prime(st._git, tip)
        for code in ("QT-VP-01", "QT-VP-02", "QT-VP-03"):
            rel = st._rel(code)
            assert heads.heads[rel] == git(st, "log", "-1", "--format=%H", tip, "--", rel).strip()
            assert st.read(code).revision == heads.heads[rel]
