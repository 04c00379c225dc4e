"""API fixtures: two units with issued procedures and drafts, an open cycle, a CAPA record, and tokens."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app.api import tokens
from app.capa import services as capa_services
from app.extensions import db
from app.procedures.services import DocumentControl
from app.reviews import services as review_services
from app.store import ProcedureDocument
from app.timeutil import local_today

BODY = "## 1. Mục đích\n\nQuy định trình tự tiếp nhận hồ sơ.\n\n## 5. Nội dung quy trình\n\nBước 1: tiếp nhận.\n"


@dataclass
class World:
    secretary: object
    leader: object
    committee: object
    member: object        # QLKH member
    head: object          # QLKH head
    other_member: object  # TTR member
    other_head: object    # TTR head
    year: int
    capa_number: str


def _issued(dc, actor, code, unit, title):
    doc = ProcedureDocument(code=code, title=title, unit=unit, body=BODY, issue=1,
                            issued_on=date(2020, 3, 2), effective_on=date(2020, 3, 16))
    proc, _ = dc.import_document(actor, doc)
    return proc


@pytest.fixture
def world(app, make) -> World:
    for code in ("VP", "QLKH", "TTR"):
        make.unit(code)
    w = dict(
        secretary=make.user("secretary", unit="VP", username="thuky", full_name="Nguyễn Thị Lan"),
        leader=make.user("leadership", username="lanhdao", full_name="Lê Hoàng Nam"),
        committee=make.user("committee", username="bcd", full_name="Phan Văn Hùng"),
        member=make.user("member", unit="QLKH", username="qlkh.cv", full_name="Võ Thị Mỹ Linh"),
        head=make.user("head", unit="QLKH", username="qlkh.tp", full_name="Đặng Văn Khoa"),
        other_member=make.user("member", unit="TTR", username="ttr.cv", full_name="Trần Văn Bình"),
        other_head=make.user("head", unit="TTR", username="ttr.tp", full_name="Hoàng Thị Mai"),
    )
    dc = DocumentControl()
    sec = w["secretary"]
    q1 = _issued(dc, sec, "QT-QLKH-01", "QLKH", "Quy trình đăng ký hoạt động khoa học và công nghệ")
    _issued(dc, sec, "QT-QLKH-02", "QLKH", "Quy trình tuyển chọn nhiệm vụ khoa học")
    _issued(dc, sec, "QT-TTR-01", "TTR", "Quy trình tiếp công dân")
    db.session.commit()
    # a revision in preparation of an issued procedure, and never-issued drafts of each unit
    dc.save_draft(sec, q1, body=BODY + "\nBước 2: thẩm định (dự thảo sửa đổi).\n",
                  base_revision=q1.current_revision, message="Dự thảo sửa đổi")
    units = {u: make.unit(u) for u in ("QLKH", "TTR")}
    dc.create(sec, code="QT-QLKH-09", title="Dự thảo quy trình thẩm định bí mật", unit=units["QLKH"], body=BODY)
    dc.create(sec, code="QT-TTR-09", title="Dự thảo quy trình thanh tra chuyên ngành", unit=units["TTR"], body=BODY)
    db.session.commit()
    year = local_today().year
    review_services.open_cycle(sec, year=year, deadline=date(year, 12, 31))
    db.session.commit()
    capa = capa_services.propose(sec, kind="corrective", source="review", title="Hồ sơ trả muộn",
                                 description="Ba hồ sơ trả muộn trong quý", unit=units["QLKH"])
    db.session.commit()
    return World(**w, year=year, capa_number=capa.number)


@pytest.fixture
def token_for(app):
    """token_for(user, scope="read", days=30) -> the secret of a fresh token."""

    def _make(user, scope="read", days=30):
        secret = tokens.create(user, name=f"test {scope}", scope=scope, days=days).secret
        db.session.commit()
        return secret

    return _make


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def pytest_terminal_summary(terminalreporter):
    """How many cases Schemathesis generated and sent in this run (the contract tests count them)."""
    import sys

    module = sys.modules.get("tests.api.test_openapi_contract")
    if module is not None and module.CASES:
        counts = ", ".join(f"{key}: {n}" for key, n in sorted(module.CASES.items()))
        terminalreporter.write_line(f"schemathesis cases sent: {sum(module.CASES.values())} ({counts})")
