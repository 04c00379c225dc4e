"""Fixtures for document control: demo-like units and people, and a procedure factory."""
from __future__ import annotations

import pytest

from app.procedures.services import DocumentControl
from app.store import ProcedureDocument

BODY = """## 1. Mục đích

Quy định trình tự đăng ký hoạt động khoa học và công nghệ.

## 5. Nội dung quy trình

| Bước | Trách nhiệm | Nội dung |
| --- | --- | --- |
| 1 | Chuyên viên | Tiếp nhận hồ sơ |
"""


class People:
    def __init__(self, make):
        self.secretary = make.user("secretary", unit="VP", username="thuky", full_name="Nguyễn Thị Lan")
        self.leader = make.user("leadership", username="lanhdao", full_name="Lê Hoàng Nam")
        self.member = make.user("member", unit="QLKH", username="qlkh.cv", full_name="Võ Thị Mỹ Linh")
        self.head = make.user("head", unit="QLKH", username="qlkh.tp", full_name="Đặng Văn Khoa")
        self.other_member = make.user("member", unit="VP", username="vp.cv", full_name="Nguyễn Thị Thu Hà")
        self.committee = make.user("committee", username="bcd", full_name="Phan Văn Hùng")


@pytest.fixture
def people(make):
    make.unit("QLKH")
    make.unit("VP")
    return People(make)


@pytest.fixture
def dc(app):
    return DocumentControl()


@pytest.fixture
def issued(app, db, dc, people):
    """QT-QLKH-01, issued once (imported as from paper)."""
    doc = ProcedureDocument(code="QT-QLKH-01", title="Quy trình đăng ký hoạt động khoa học và công nghệ",
                            unit="QLKH", body=BODY, issue=1, legal_bases=["Luật Khoa học và Công nghệ 2013"])
    from datetime import date

    doc.issued_on, doc.effective_on = date(2021, 3, 1), date(2021, 3, 15)
    proc, _ = dc.import_document(people.secretary, doc)
    db.session.commit()
    return proc


@pytest.fixture
def draft(app, db, dc, people):
    """QT-QLKH-02, a new draft created by the secretary."""
    proc = dc.create(people.secretary, code="QT-QLKH-02", title="Quy trình tuyển chọn nhiệm vụ",
                     unit=people.member.unit, body=BODY)
    db.session.commit()
    return proc


@pytest.fixture
def clock():
    """The application's clock, settable: clock(date) makes local_today() that date (noon in Hanoi)."""
    from datetime import date, datetime, timezone

    from app.timeutil import set_clock

    def move(day: date):
        set_clock(datetime(day.year, day.month, day.day, 5, 0, tzinfo=timezone.utc))
    yield move
    set_clock(None)
