"""Saving a draft updates the search index after the transaction, off the request in a server (one indexing
thread per process), writing only the draft: the issued text stays searchable as it was, and an update made
stale by a newer save never overwrites it."""
from __future__ import annotations

import pytest

from app.extensions import db as _db
from app.procedures import core, deferred
from app.search import ALL


def _found(q: str, variant: str = "draft") -> list[str]:
    results = core.search_index().search(q, draft_units=ALL)
    return [h.code for h in results.hits if h.variant == variant]


class Spy:
    """Counts the index writes while passing them on."""

    def __init__(self, index):
        self.index, self.calls = index, []

    def update(self, doc):
        self.calls.append(("update", doc.variant))
        self.index.update(doc)

    def delete(self, code, variant=None):
        self.calls.append(("delete", variant))
        self.index.delete(code, variant)

    def apply(self, changes):
        self.calls.extend((c[0], c[1].variant if c[0] == "update" else c[2]) for c in changes)
        self.index.apply(changes)


@pytest.fixture
def background(app):
    app.config["QMS_INDEX_IN_BACKGROUND"] = True
    yield
    deferred.wait(30)
    app.config["QMS_INDEX_IN_BACKGROUND"] = False


def test_a_saved_draft_is_found_once_the_indexing_thread_has_written_it(app, db, dc, people, issued, background):
    proc = issued
    dc.save_draft(people.secretary, proc, body="## 1. Mục đích\n\nThẩm định hồ sơ nuôi ong mật.\n",
                  base_revision=proc.current_revision)
    db.session.commit()
    assert deferred.wait(30)
    assert _found("nuoi ong mat") == ["QT-QLKH-01"]
    assert "QT-QLKH-01" in _found("dang ky hoat dong", "issued")  # the issued text is still found


def test_a_saved_draft_writes_the_draft_only(app, db, people, issued):
    from app.procedures.services import DocumentControl

    spy = Spy(core.search_index())
    dc = DocumentControl(index=spy)
    dc.save_draft(people.secretary, issued, body="Văn bản mới.\n", base_revision=issued.current_revision)
    db.session.commit()
    assert spy.calls == [("update", "draft")]


def test_a_rolled_back_save_is_never_indexed(app, db, dc, people, issued, background):
    dc.save_draft(people.secretary, issued, body="Chuẩn bị hồ sơ cá sấu.\n", base_revision=issued.current_revision)
    db.session.rollback()
    assert deferred.wait(30)
    assert _found("ca sau") == []


def test_an_update_made_stale_by_a_newer_save_is_dropped(app, db, dc, people, issued):
    st = core.store()
    first = dc.save_draft(people.secretary, issued, body="Bản một: thỏ trắng.\n", base_revision=issued.current_revision)
    db.session.commit()
    stale = deferred.Update(core.search_index(), "QT-QLKH-01",
                            [d for d in _documents(st, issued)], ("draft",), st, first)
    dc.save_draft(people.secretary, issued, body="Bản hai: rùa xanh.\n", base_revision=first)
    db.session.commit()
    stale.apply()  # arrives late, e.g. from another worker
    assert _found("rua xanh") == ["QT-QLKH-01"] and _found("tho trang") == []


def _documents(st, proc):
    from app.procedures.mirror import index_documents

    _db.session.refresh(proc)
    return index_documents(st, proc, issued=False)
