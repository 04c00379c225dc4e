"""Several processes and threads committing into one store at once lose nothing and never fail."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from app.store import Author, ProcedureStore, StoreConflict, procedure_path

from .helpers import commit_count, git, make_doc

PROJECT_ROOT = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from app.store import Author, ProcedureDocument, ProcedureStore

    root, code, go, count = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    store = ProcedureStore(root)
    author = Author("Worker " + code, code.lower() + "@example.vn")
    base = store.head(code)
    while not go.exists():
        time.sleep(0.001)
    for i in range(1, count + 1):
        doc = ProcedureDocument(code=code, title="Quy trình " + code, unit="VP",
                                body="Revision %d of %s\\n" % (i, code))
        base = store.save(doc, base, author, "%s revision %d" % (code, i))
        store.read(code)  # reads interleaved with the other process's commits
    store.close()
""")


@pytest.mark.slow
def test_two_processes_saving_at_once_make_every_commit_with_its_own_change(tmp_path, drafter):
    codes, saves = ["QT-VP-01", "QT-VP-02"], 50
    with ProcedureStore(tmp_path / "store") as store:
        for code in codes:
            store.create(make_doc(code, title="Quy trình " + code), drafter, "Tạo mới")
        before = commit_count(store)
        start = git(store, "rev-parse", "main").strip()
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    procs = [subprocess.Popen([sys.executable, str(script), str(tmp_path / "store"), code, str(go), str(saves)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for code in codes]
    go.touch()  # both workers start their loops together, so their commits interleave
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results

    with ProcedureStore(tmp_path / "store") as store:
        assert commit_count(store) == before + 2 * saves
        new = [c for c in store.all_commits() if c.sha != start and store.is_ancestor(start, c.sha)]
        assert len(new) == 2 * saves
        seen = set()
        for commit in new:
            code, _, number = commit.message.rpartition(" revision ")
            assert commit.paths == (procedure_path(code),) and commit.codes == (code,), commit
            assert commit.author_name == f"Worker {code}"
            assert f"Revision {number} of {code}\n" in store.text_at(code, commit.sha)
            seen.add(commit.message)
        assert len(seen) == 2 * saves
        # The two procedures' commits really did interleave, or the test proved nothing.
        order = [c.message.split()[0] for c in new]
        assert sum(1 for a, b in zip(order, order[1:]) if a != b) > 1
        for code in codes:
            assert store.read(code).document.body == f"Revision {saves} of {code}\n"
        fsck = subprocess.run(["git", "fsck", "--strict", "--no-dangling"], cwd=store.root,
                              capture_output=True, text=True)
        assert fsck.returncode == 0 and not fsck.stdout.strip(), fsck.stdout + fsck.stderr
        assert git(store, "status", "--porcelain").strip() == ""


def test_threads_sharing_one_store_lose_no_commit(store, drafter):
    codes = [f"QT-VP-0{i}" for i in range(1, 5)]
    for code in codes:
        store.create(make_doc(code), drafter, "Tạo mới")
    before = commit_count(store)
    errors: list[BaseException] = []

    def work(code: str) -> None:
        try:
            base = store.head(code)
            for i in range(10):
                base = store.save(make_doc(code, body=f"{code} bản {i}\n"), base, drafter, f"{code} {i}")
                for other in codes:
                    assert store.read(other).document.code == other
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert commit_count(store) == before + 40
    for code in codes:
        assert store.read(code).document.body == f"{code} bản 9\n"
        assert len(store.history(code)) == 11


def test_of_simultaneous_saves_on_one_base_exactly_one_wins(store, drafter):
    base = store.create(make_doc(), drafter, "Tạo mới")
    barrier = threading.Barrier(5)
    outcomes: list[str] = []

    def edit(n: int) -> None:
        barrier.wait()
        try:
            store.save(make_doc(body=f"Bản {n}\n"), base, Author(f"Người {n}", f"n{n}@x.vn"), f"Sửa {n}")
            outcomes.append("saved")
        except StoreConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 4 + ["saved"]
    assert len(store.history("QT-VP-01")) == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_store_used_before_a_fork_works_in_the_child(store, drafter):
    rev = store.create(make_doc(), drafter, "Tạo mới")
    assert store.read("QT-VP-01").revision == rev  # the parent's cat-file helpers are now running
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report the outcome through the pipe, never return into pytest
        status = 1
        try:
            new = store.save(make_doc(body="Từ tiến trình con\n"), rev, drafter, "Con sửa")
            ok = store.read("QT-VP-01").revision == new
            os.write(write_fd, b"ok" if ok else b"bad")
            status = 0
        except BaseException as exc:  # noqa: BLE001
            os.write(write_fd, repr(exc).encode()[:500])
        finally:
            os._exit(status)
    os.close(write_fd)
    _, status = os.waitpid(pid, 0)
    report = os.read(read_fd, 1000)
    os.close(read_fd)
    assert report == b"ok" and status == 0
    assert store.read("QT-VP-01").document.body == "Từ tiến trình con\n"
