"""Review fixtures: people of two units and the secretary, procedures imported as issued, an open cycle."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest

from app.extensions import db
from app.procedures import core
from app.procedures.services import DocumentControl
from app.reviews import services
from app.store import ProcedureDocument

BODY = "## 1. Mục đích\n\nQuy định trình tự xử lý hồ sơ.\n\n## 5. Nội dung quy trình\n\nBước 1: tiếp nhận.\n"
# a moment inside 2022 on every calendar
IN_2022 = datetime(2022, 6, 15, 3, 0, tzinfo=timezone.utc)


@dataclass
class People:
    secretary: object
    member: object        # QLKH member
    head: object          # QLKH head
    other_member: object  # TTR member
    other_head: object    # TTR head
    leader: object
    committee: object


@pytest.fixture
def people(make) -> People:
    make.unit("VP")
    make.unit("QLKH")
    make.unit("TTR")
    return People(
        secretary=make.user("secretary", unit="VP", username="thuky", full_name="Thư ký ISO"),
        member=make.user("member", unit="QLKH", username="qlkh.cv", full_name="Chuyên viên QLKH"),
        head=make.user("head", unit="QLKH", username="qlkh.tp", full_name="Trưởng phòng QLKH"),
        other_member=make.user("member", unit="TTR", username="ttr.cv", full_name="Chuyên viên TTR"),
        other_head=make.user("head", unit="TTR", username="ttr.tp", full_name="Chánh Thanh tra"),
        leader=make.user("leadership", username="lanhdao", full_name="Giám đốc Sở"),
        committee=make.user("committee", username="bcd", full_name="Ban Chỉ đạo ISO"),
    )


class NoIndex:
    """The search index is a cache the review tests do not read."""

    def delete(self, code):
        pass

    def update(self, doc):
        pass

    def apply(self, changes):
        pass


@pytest.fixture
def dc(app) -> DocumentControl:
    return DocumentControl(core.store(), index=NoIndex())


class Procedures:
    """Procedures imported as issued (one commit and one issue tag each), as `qms demo` does."""

    def __init__(self, dc: DocumentControl):
        self.dc = dc

    def issued(self, code: str, unit: str = "QLKH", issued_on: date = date(2020, 3, 2), issue: int = 1,
               title: str | None = None):
        doc = ProcedureDocument(code=code, title=title or f"Quy trình {code}", unit=unit, body=BODY, issue=issue,
                                issued_on=issued_on, effective_on=issued_on)
        proc, _created = self.dc.import_document(None, doc)
        db.session.commit()
        return proc

    def reissue(self, proc, leader, head, secretary, effective_on: date, issued_on: date | None = None):
        """The full document-control path: draft saved, submitted by the head, approved by leadership."""
        self.dc.save_draft(secretary, proc, body=BODY + "\nBước 2: thẩm định (bổ sung).\n",
                           base_revision=proc.current_revision, message="Cập nhật theo văn bản mới")
        self.dc.submit(head, proc)
        number = self.dc.approve(leader, proc, effective_on=effective_on, issued_on=issued_on)
        db.session.commit()
        return number


@pytest.fixture
def procs(dc) -> Procedures:
    return Procedures(dc)


@pytest.fixture
def cycle_2022(people, procs):
    """Cycle 2022 opened in June 2022 over three QLKH procedures and one TTR procedure."""
    for code in ("QT-QLKH-01", "QT-QLKH-02", "QT-QLKH-03"):
        procs.issued(code, "QLKH")
    procs.issued("QT-TTR-01", "TTR")
    cycle = services.open_cycle(people.secretary, year=2022, deadline=date(2022, 12, 31), now=IN_2022)
    db.session.commit()
    return cycle


def review_of(cycle, code):
    return services.get_review(cycle, code)
