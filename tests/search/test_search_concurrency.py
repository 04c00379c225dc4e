"""Writers in several processes or threads at once: no lock errors, no lost updates."""

import multiprocessing
import threading

from app.search import SearchIndex
from tests.search.helpers import hammer, proc


def test_two_processes_each_doing_100_updates_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "index")
    SearchIndex(path).close()
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=hammer, args=(path, n, 100)) for n in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=300)

    assert [w.exitcode for w in workers] == [0, 0]
    index = SearchIndex(path)
    found = set()
    for page in (1, 2, 3):
        found |= {hit.code for hit in index.search("tien trinh", per_page=100, page=page).hits}
    assert found == {f"QT-P{n}-{i:03d}" for n in (1, 2) for i in range(100)}
    assert index.search("QT-P2-057").hits[0].code == "QT-P2-057"
    index.close()


def test_threads_sharing_one_instance_can_search_and_update_together(tmp_path):
    index = SearchIndex(tmp_path / "index")
    errors = []

    def work(n):
        try:
            for i in range(15):
                index.update(proc(f"QT-T{n}-{i:02d}", f"Quy trình luồng {n}", "Cập nhật song song."))
                index.search("song song")
        except Exception as exc:  # collected so the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert index.search("song song").total == 60
    index.close()
