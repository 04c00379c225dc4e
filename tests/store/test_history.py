"""History of one procedure, diffs between revisions, and the whole-store audit helpers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.store import Author, ProcedureNotFound, ProcedureStore, StoreConflict

from .helpers import git, make_doc

VN = timezone(timedelta(hours=7))


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 3, 1, 8, 0, tzinfo=VN)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=5)
        return self.now


@pytest.fixture
def clocked(tmp_path):
    with ProcedureStore(tmp_path / "store", clock=Clock()) as s:
        yield s


def test_history_lists_revisions_newest_first_with_authors_and_full_messages(clocked, drafter, reviewer):
    r1 = clocked.create(make_doc(body="1\n"), drafter, "Tạo mới")
    clocked.create(make_doc("QT-VP-02"), drafter, "Thủ tục khác")
    r2 = clocked.save(make_doc(body="2\n"), r1, reviewer, "Sửa bước 3\n\nTheo góp ý của phòng QLKH.")
    history = clocked.history("QT-VP-01")
    assert [h.sha for h in history] == [r2, r1]
    assert [(h.author_name, h.author_email) for h in history] == [
        ("Trần Thị Bình", "binh@skhcn.example.vn"), ("Nguyễn Văn An", "an@skhcn.example.vn")]
    assert history[0].message == "Sửa bước 3\n\nTheo góp ý của phòng QLKH."
    assert history[0].summary == "Sửa bước 3"


def test_history_dates_are_timezone_aware_and_come_from_the_clock(clocked, drafter):
    clocked.create(make_doc(), drafter, "Tạo mới")
    when = clocked.history("QT-VP-01")[0].authored_at
    assert when.tzinfo is not None
    assert when == datetime(2024, 3, 1, 8, 5, tzinfo=VN)


def test_history_shows_issue_and_withdrawal_tags_on_their_revision(store, drafter, approver):
    r1 = store.create(make_doc(), drafter, "Tạo mới")
    r2 = store.save(make_doc(body="2\n"), r1, drafter, "Sửa")
    store.issue("QT-VP-01", r1, 1, datetime(2024, 1, 1).date(), approver, "Ban hành")
    store.withdraw("QT-VP-01", approver, "Thay thế", datetime(2025, 1, 1).date())
    tags = {h.sha: h.tags for h in store.history("QT-VP-01")}
    assert tags[r1] == ("QT-VP-01/issue-1",)
    assert tags[r2] == ("QT-VP-01/withdrawn-20250101",)


def test_history_of_an_unknown_procedure_is_not_found(store):
    with pytest.raises(ProcedureNotFound):
        store.history("QT-VP-01")


def test_diff_returns_old_and_new_text(store, drafter):
    r1 = store.create(make_doc(body="Bước 1\nBước 2\n"), drafter, "1")
    r2 = store.save(make_doc(body="Bước 1\nBước 2 sửa\n"), r1, drafter, "2")
    old, new = store.diff("QT-VP-01", r1, r2)
    assert old.endswith("Bước 1\nBước 2\n") and new.endswith("Bước 1\nBước 2 sửa\n")
    assert store.diff("QT-VP-01", r1, r2) == (store.read("QT-VP-01", r1).text, store.read("QT-VP-01", r2).text)


def test_unified_diff_shows_only_the_changed_lines(store, drafter):
    r1 = store.create(make_doc(body="Bước 1\nBước 2\n"), drafter, "1")
    r2 = store.save(make_doc(body="Bước 1\nBước 2 sửa\n"), r1, drafter, "2")
    patch = store.unified_diff("QT-VP-01", r1, r2)
    assert f"--- QT-VP-01.md@{r1[:10]}" in patch
    assert "-Bước 2\n" in patch and "+Bước 2 sửa\n" in patch
    assert "-Bước 1" not in patch


def test_diff_from_before_creation_shows_everything_as_added(store, drafter):
    before = git(store, "rev-parse", "main").strip()
    r1 = store.create(make_doc(), drafter, "1")
    old, new = store.diff("QT-VP-01", before, r1)
    assert old == "" and new == make_doc().to_text()
    with pytest.raises(ProcedureNotFound):
        store.diff("QT-VP-02", before, r1)


def test_all_commits_lists_every_commit_with_its_paths(store, drafter, reviewer):
    store.create(make_doc("QT-VP-01"), drafter, "A")
    r2 = store.create(make_doc("QT-QLKH-02"), reviewer, "B\n\nchi tiết")
    commits = list(store.all_commits())
    assert len(commits) == 3
    newest = commits[0]
    assert newest.sha == r2 and newest.paths == ("QT-QLKH-02.md",) and newest.codes == ("QT-QLKH-02",)
    assert newest.message == "B\n\nchi tiết" and newest.author_name == "Trần Thị Bình"
    assert newest.parents == (commits[1].sha,)
    assert commits[-1].parents == () and commits[-1].paths == ()
    assert [c.sha for c in store.all_commits(oldest_first=True)] == [c.sha for c in reversed(commits)]


def test_abandoning_all_commits_midway_is_harmless(store, drafter):
    for i in range(5):
        store.create(make_doc(f"QT-VP-0{i + 1}"), drafter, str(i))
    it = store.all_commits()
    next(it)
    it.close()
    assert len(list(store.all_commits())) == 6


def test_rewritten_history_is_detectable(store, drafter):
    r1 = store.create(make_doc("QT-VP-01"), drafter, "A")
    r2 = store.create(make_doc("QT-VP-02"), drafter, "B")
    assert store.commit_exists(r2) and store.is_ancestor(r1) and store.is_ancestor(r2)
    git(store, "reset", "-q", "--hard", r1)  # someone rewrites main behind the store's back
    assert store.commit_exists(r2)
    assert not store.is_ancestor(r2)
    assert store.is_ancestor(r1)


def test_commit_exists_is_false_for_unknown_or_malformed_ids(store):
    assert not store.commit_exists("0" * 40)
    assert not store.commit_exists("main")
    assert not store.commit_exists("--all")
    assert not store.is_ancestor("0" * 40)


def test_codes_lists_procedures_sorted(store, drafter):
    for code in ("QT-VP-02", "QT-CCTDC-10", "QT-VP-01"):
        store.create(make_doc(code), drafter, code)
    (store.root / "README.md").write_text("not a procedure")
    (store.root / "QT-VP").mkdir()
    (store.root / "QT-VP" / "QT-VP-07.md").write_text("where a series store would keep it")
    git(store, "add", ".")
    git(store, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "stray files")
    assert store.codes() == ["QT-CCTDC-10", "QT-VP-01", "QT-VP-02"]


def test_maintain_writes_a_commit_graph_with_changed_paths(store, drafter):
    store.create(make_doc(), drafter, "A")
    store.maintain()
    graph = store.root / ".git" / "objects" / "info"
    assert (graph / "commit-graph").exists() or (graph / "commit-graphs").exists()
    assert store.history("QT-VP-01")


def test_authors_with_angle_brackets_are_refused():
    with pytest.raises(ValueError):
        Author("An <an@x>", "an@x")
    with pytest.raises(ValueError):
        Author("An", "")


def test_a_store_sees_saves_made_through_another_store_object(tmp_path, drafter):
    with ProcedureStore(tmp_path / "s") as mine, ProcedureStore(tmp_path / "s") as theirs:
        a = mine.create(make_doc("QT-VP-01"), drafter, "A")
        mine.create(make_doc("QT-VP-02"), drafter, "B")
        assert mine.head("QT-VP-01") == a  # now remembered
        a2 = theirs.save(make_doc("QT-VP-01", body="A2\n"), a, drafter, "A2")
        theirs.create(make_doc("QT-VP-03"), drafter, "C")
        assert mine.head("QT-VP-01") == a2
        assert mine.read("QT-VP-03").revision == theirs.head("QT-VP-03")
        with pytest.raises(StoreConflict):
            mine.save(make_doc("QT-VP-01", body="A3\n"), a, drafter, "A3 on a stale base")


def test_head_is_recomputed_when_history_is_rewritten(store, drafter):
    a1 = store.create(make_doc(), drafter, "A1")
    a2 = store.save(make_doc(body="A2\n"), a1, drafter, "A2")
    assert store.head("QT-VP-01") == a2
    git(store, "reset", "-q", "--hard", a1)
    assert store.head("QT-VP-01") == a1
    assert store.read("QT-VP-01").document.body == make_doc().body


def test_head_lookup_starts_afresh_after_many_foreign_commits(tmp_path, drafter, monkeypatch):
    monkeypatch.setattr("app.store.heads.MAX_STEP", 2)
    with ProcedureStore(tmp_path / "s") as mine, ProcedureStore(tmp_path / "s") as theirs:
        a = mine.create(make_doc("QT-VP-01"), drafter, "A")
        assert mine.head("QT-VP-01") == a
        for i in range(2, 6):
            theirs.create(make_doc(f"QT-VP-0{i}"), drafter, str(i))
        last = theirs.save(make_doc("QT-VP-01", body="new\n"), a, drafter, "A2")
        assert mine.head("QT-VP-01") == last
        assert mine.head("QT-VP-05") == theirs.head("QT-VP-05")


def test_the_store_adds_commit_graph_layers_by_itself_every_few_commits(tmp_path, drafter):
    with ProcedureStore(tmp_path / "s", maintain_every=3) as s:
        info = s.root / ".git" / "objects" / "info"
        s.create(make_doc("QT-VP-01"), drafter, "1")
        s.create(make_doc("QT-VP-02"), drafter, "2")
        assert not (info / "commit-graphs").exists() and not (info / "commit-graph").exists()
        s.create(make_doc("QT-VP-03"), drafter, "3")
        for proc in s._background:
            assert proc.wait(timeout=30) == 0
        assert (info / "commit-graphs").exists()
        assert len(s.history("QT-VP-03")) == 1


def test_loose_objects_are_packed_by_the_stores_own_maintenance(tmp_path, drafter):
    """Commits skip git's automatic maintenance (a process more per save); the store's background
    maintenance runs it instead, so loose objects are still packed once there are many."""
    import subprocess

    with ProcedureStore(tmp_path / "s", maintain_every=10_000) as s:
        for key, value in (("gc.auto", "1"), ("gc.autoDetach", "false")):  # "many", and in the foreground
            subprocess.run(["git", "config", key, value], cwd=s.root, check=True)
        sample = s.root / ".git" / "objects" / "17"  # git estimates the loose objects from this folder
        n = 0
        while not (sample.is_dir() and len(list(sample.iterdir())) >= 2):
            n += 1
            assert n < 2000
            s.create(make_doc(f"QT-VP-{n:04d}"), drafter, str(n))
        assert not list((s.root / ".git" / "objects" / "pack").glob("*.pack"))  # no packing at each commit
        s._since_maintain = s.maintain_every - 1
        s.create(make_doc("QT-VP-9999"), drafter, "last")
        for proc in s._background:
            assert proc.wait(timeout=120) == 0
        assert list((s.root / ".git" / "objects" / "pack").glob("*.pack"))
        assert len(s.history("QT-VP-9999")) == 1 and s.read("QT-VP-0001").document.code == "QT-VP-0001"


def test_reading_a_revision_again_asks_git_only_whether_it_still_exists(store, drafter, monkeypatch):
    """A procedure's first commit has a parent without the file; that absence is remembered like any answer
    about a commit's tree, so a second read of the revision asks git once (does it still exist), not twice."""
    import git as gitpython

    first = store.create(make_doc(body="1\n"), drafter, "Tạo mới")
    store.save(make_doc(body="2\n"), first, drafter, "Sửa")
    store.read("QT-VP-01", first)
    asked = []
    original = gitpython.cmd.Git.get_object_header

    def counting(self, ref):
        asked.append(ref)
        return original(self, ref)

    monkeypatch.setattr(gitpython.cmd.Git, "get_object_header", counting)
    again = store.read("QT-VP-01", first)
    assert again.revision == first and again.document.body == "1\n"
    assert asked == [f"{first}^{{commit}}"]
