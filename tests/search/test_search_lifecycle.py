"""Updates, deletes, atomic rebuilds, and recovery from a missing or corrupt index directory."""

import shutil

import pytest

from app.search import SearchIndex
from tests.search.helpers import proc, sample_procedures


def codes(results):
    return [hit.code for hit in results.hits]


def snapshot(ix, queries=("quy trình", "đăng ký", '"an toàn bức xạ"', "thẩm*", "VP")):
    return [[(h.code, h.variant, h.snippet_html, h.title_html) for h in ix.search(q, per_page=50).hits]
            for q in queries]


def generations(path):
    return sorted(p.name for p in path.iterdir() if p.name.startswith("g-"))


def test_a_new_index_is_empty_and_needs_rebuild(empty_index):
    assert empty_index.needs_rebuild
    assert not empty_index.is_healthy()
    assert empty_index.search("quy trình").total == 0


def test_rebuild_clears_needs_rebuild_and_reports_progress(empty_index):
    calls = []
    count = empty_index.rebuild(iter(sample_procedures()), progress=lambda done, total: calls.append((done, total)),
                                total=8)
    assert count == 8
    # the bar moves with the work (analysis, then writing): forward only, to the total, in several steps
    assert calls[-1] == (8, 8) and len(calls) >= 4
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})
    assert all(total == 8 for _, total in calls)
    assert not empty_index.needs_rebuild and empty_index.is_healthy()


def test_rebuild_skips_malformed_and_duplicate_records(empty_index):
    docs = [proc("QT-A-01", "Quy trình A"), {"code": "QT-B-01", "variant": "bogus", "title": "B", "unit": "X",
                                             "status": "s"}, proc("QT-A-01", "Quy trình A lần hai"), 42]
    assert empty_index.rebuild(docs) == 1
    assert codes(empty_index.search("quy trình")) == ["QT-A-01"]


def test_an_update_replaces_the_previous_text(index):
    index.update(proc("QT-VP-02", "Quy trình lưu trữ hồ sơ điện tử", "Số hoá văn bản lưu trữ."))
    assert codes(index.search("điện tử")) == ["QT-VP-02"]
    assert index.search("văn thư").total == 0
    assert index.search("quy trình").total == 6


def test_an_update_accepts_a_plain_dict(index):
    index.update({"code": "QT-MT-01", "variant": "issued", "title": "Quy trình môi trường", "unit": "MT",
                  "status": "hiệu lực", "legal_bases": "Luật Bảo vệ môi trường", "body": "Nội dung.",
                  "updated_at": "2025-05-05T10:00:00", "ignored": "extra keys are fine"})
    hit = index.search("moi truong").hits[0]
    assert (hit.code, hit.unit, hit.updated_at.year) == ("QT-MT-01", "MT", 2025)


def test_an_invalid_procedure_is_rejected(index):
    with pytest.raises(ValueError):
        index.update(proc("QT-A-01", "A", variant="published"))
    with pytest.raises(ValueError):
        index.update(proc("  ", "A"))


def test_deleting_one_variant_keeps_the_other(index):
    index.delete("QT-VP-01", "draft")
    assert index.search("trực tuyến", draft_units={"VP"}).total == 0
    assert codes(index.search("đăng ký hồ sơ", draft_units={"VP"})) == ["QT-VP-01"]


def test_deleting_without_a_variant_removes_both(index):
    index.delete("QT-VP-01")
    assert "QT-VP-01" not in codes(index.search("đăng ký", draft_units={"VP"}))


def test_another_instance_sees_updates_at_its_next_search(index):
    other = SearchIndex(index.path)
    assert other.search("môi trường").total == 0
    index.update(proc("QT-MT-01", "Quy trình môi trường"))
    assert codes(other.search("môi trường")) == ["QT-MT-01"]
    other.close()


def test_another_instance_stops_seeing_replaced_and_deleted_text(index):
    # Whoosh's Searcher.refresh() would keep showing both (it reuses readers with stale deletions).
    other = SearchIndex(index.path)
    assert other.search("văn thư").total == 1
    index.update(proc("QT-VP-02", "Quy trình lưu trữ hồ sơ điện tử", "Số hoá văn bản lưu trữ."))
    index.delete("QT-BX-02")
    assert other.search("văn thư").total == 0
    assert other.search("lưu trữ").total == 1
    assert other.search("quy trình").total == 5
    other.close()


def test_many_updates_of_one_procedure_leave_exactly_one_hit(index):
    other = SearchIndex(index.path)
    for i in range(40):  # enough commits for small segments to be merged several times
        index.update(proc("QT-VP-02", f"Quy trình lưu trữ phiên bản {i}", "Văn thư lưu trữ."))
        assert other.search("lưu trữ").total == 1
    assert codes(other.search("phiên bản 39")) == ["QT-VP-02"]
    assert other.search("quy trình").total == 6
    other.close()


def test_a_deleted_directory_is_recreated_flagged_and_rebuilt_to_identical_results(index, tmp_path):
    before = snapshot(index)
    index.close()
    shutil.rmtree(index.path)

    reopened = SearchIndex(index.path)
    assert reopened.needs_rebuild and not reopened.is_healthy()
    assert reopened.search("quy trình").total == 0

    reopened.rebuild(sample_procedures())
    assert snapshot(reopened) == before
    assert not reopened.needs_rebuild
    reopened.close()


def test_an_open_instance_survives_its_directory_being_deleted(index):
    shutil.rmtree(index.path)
    assert index.search("quy trình").total == 0
    assert index.needs_rebuild
    index.rebuild(sample_procedures())
    assert index.search("quy trình").total == 6


def test_a_corrupt_index_is_replaced_by_an_empty_one_flagged_for_rebuild(index):
    before = snapshot(index)
    index.close()
    live = index.path / (index.path / "CURRENT").read_text().strip()
    for f in live.iterdir():
        f.write_bytes(b"\x00garbage" * 10)

    reopened = SearchIndex(index.path)
    assert reopened.needs_rebuild and not reopened.is_healthy()
    reopened.rebuild(sample_procedures())
    assert reopened.is_healthy() and snapshot(reopened) == before
    reopened.close()


def test_a_bogus_current_pointer_is_treated_as_missing(index, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("x")
    index.close()
    (index.path / "CURRENT").write_text("../outside\n")

    reopened = SearchIndex(index.path)
    assert reopened.needs_rebuild
    assert (outside / "keep.txt").exists()
    reopened.close()


def test_searchers_see_the_old_index_until_a_rebuild_swaps(index):
    other = SearchIndex(index.path)
    seen_during = []

    def replacement():
        for i in range(50):
            if i == 25:
                seen_during.append(other.search("quy trình").total)
                seen_during.append(other.search("bản thay thế").total)
            yield proc(f"QT-NEW-{i:02d}", "Quy trình bản thay thế", "Nội dung mới.")

    index.rebuild(replacement())
    assert seen_during == [6, 0]
    assert other.search("bản thay thế").total == 50
    assert other.search("bức xạ").total == 0
    other.close()


def test_updates_and_deletes_made_during_a_rebuild_are_kept(index):
    other = SearchIndex(index.path)

    def store():
        for i, doc in enumerate(sample_procedures()):
            if i == 3:
                other.update(proc("QT-MT-01", "Quy trình môi trường", "Thêm trong lúc xây lại."))
                other.update(proc("QT-VP-02", "Quy trình lưu trữ số", "Sửa trong lúc xây lại."))
                other.delete("QT-KH-01")
            yield doc  # a store read before the writes above would still hold the old texts

    index.rebuild(store())
    assert codes(index.search("môi trường")) == ["QT-MT-01"]
    assert codes(index.search("lưu trữ số")) == ["QT-VP-02"]
    assert index.search("văn thư").total == 0
    assert "QT-KH-01" not in codes(index.search("thẩm định"))
    other.close()


def test_a_failed_rebuild_leaves_the_live_index_untouched(index):
    before = snapshot(index)

    def broken():
        yield proc("QT-A-01", "Quy trình A")
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        index.rebuild(broken())
    assert snapshot(index) == before
    assert len(generations(index.path)) == 1
    assert not (index.path / "REBUILDING").exists()


def test_old_generations_are_pruned(index):
    for _ in range(3):
        index.rebuild(sample_procedures())
    assert len(generations(index.path)) <= 2
    assert index.search("quy trình").total == 6


def test_warming_the_cache_changes_no_result(index):
    before = snapshot(index)
    index.clear_cache()
    assert index.warm() > 0
    assert snapshot(index) == before


def test_several_changes_are_written_in_one_commit_in_order(index):
    """The indexing thread writes what gathered in one commit: one segment, each change as if made alone."""
    segments_before = len(index._ix._segments())
    generation_before = index._ix.latest_generation()
    index.apply([
        ("update", proc("QT-VP-02", "Quy trình lưu trữ hồ sơ điện tử", "Số hoá văn bản lưu trữ.")),
        ("update", proc("QT-MT-01", "Quy trình quan trắc môi trường", "Lấy mẫu nước thải.", unit="MT")),
        ("update", proc("QT-MT-01", "Quy trình quan trắc môi trường", "Lấy mẫu khí thải.", unit="MT")),  # replaces
        ("update", proc("QT-HN-01", "Quy trình hạt nhân", "Tạm thời.", unit="HN")),
        ("delete", "QT-HN-01", None),  # removes what this same batch added
        ("delete", "QT-VP-01", "draft"),
    ])
    assert index._ix.latest_generation() == generation_before + 1  # one commit
    assert len(index._ix._segments()) == segments_before + 1
    assert codes(index.search("điện tử")) == ["QT-VP-02"] and index.search("văn thư").total == 0
    assert codes(index.search("khí thải")) == ["QT-MT-01"] and index.search("nước thải").total == 0
    assert index.search("hạt nhân").total == 0
    assert index.search("trực tuyến", draft_units={"VP"}).total == 0
    assert codes(index.search("đăng ký hồ sơ", draft_units={"VP"})) == ["QT-VP-01"]  # the issued text stays
