"""The "series" layout: procedure files grouped in one directory per series (QT-VP/QT-VP-01.md)."""
from __future__ import annotations

import os

import pytest

from app.store import InvalidProcedure, ProcedureStore, StoreConflict, StoreError

from .helpers import git, make_doc


@pytest.fixture
def series(tmp_path):
    with ProcedureStore(tmp_path / "series", layout="series") as s:
        yield s


def test_a_new_store_is_flat_unless_asked_otherwise(store):
    assert store.layout == "flat"
    assert git(store, "config", "qms.layout").strip() == "flat"


def test_a_series_store_keeps_each_procedure_under_its_series(series, drafter):
    rev = series.create(make_doc("QT-VP-01"), drafter, "A")
    series.create(make_doc("QT-CCTDC-10"), drafter, "B")
    assert git(series, "show", f"{rev}:QT-VP/QT-VP-01.md") == make_doc("QT-VP-01").to_text()
    assert series.path_for("QT-VP-01") == series.root / "QT-VP" / "QT-VP-01.md"
    assert series.codes() == ["QT-CCTDC-10", "QT-VP-01"]
    assert series.read("QT-VP-01").revision == rev == series.history("QT-VP-01")[0].sha
    newest = next(series.all_commits())
    assert newest.paths == ("QT-CCTDC/QT-CCTDC-10.md",) and newest.codes == ("QT-CCTDC-10",)


def test_saves_in_a_series_store_are_conflict_safe(series, drafter, reviewer):
    base = series.create(make_doc(), drafter, "A")
    series.save(make_doc(body="An\n"), base, drafter, "An sửa")
    with pytest.raises(StoreConflict):
        series.save(make_doc(body="Bình\n"), base, reviewer, "Bình sửa")
    assert series.read("QT-VP-01").document.body == "An\n"


def test_a_flat_file_in_a_series_store_is_not_a_procedure(series, drafter):
    series.create(make_doc("QT-VP-01"), drafter, "A")
    (series.root / "QT-VP-02.md").write_text(make_doc("QT-VP-02").to_text(), encoding="utf-8")
    git(series, "add", ".")
    git(series, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "stray")
    assert series.codes() == ["QT-VP-01"]


def test_the_layout_is_recorded_and_a_different_one_is_refused(series):
    with ProcedureStore(series.root) as again:
        assert again.layout == "series"
    with pytest.raises(StoreError):
        ProcedureStore(series.root, layout="flat")
    with pytest.raises(StoreError):
        ProcedureStore(series.root.parent / "other", layout="nested")


def test_a_store_made_before_layouts_were_recorded_is_flat(store):
    git(store, "config", "--unset", "qms.layout")
    with ProcedureStore(store.root) as again:
        assert again.layout == "flat"


def test_a_symlinked_series_directory_cannot_redirect_a_write(series, drafter, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, series.root / "QT-VP")
    with pytest.raises(InvalidProcedure) as err:
        series.create(make_doc(), drafter, "Tạo mới")
    assert err.value.code == "path_escape"
    assert list(elsewhere.iterdir()) == []
