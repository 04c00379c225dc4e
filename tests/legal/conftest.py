"""Legal register fixtures: people, procedures imported as issued with legal bases, a secretary to record changes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest

from app.extensions import db
from app.legal import services
from app.legal.services import DocumentData
from app.procedures import core
from app.procedures.services import DocumentControl
from app.store import ProcedureDocument
from tests.reviews.conftest import BODY, NoIndex

DECREE_61 = "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông"
LAW_KHCN = "Luật Khoa học và Công nghệ số 29/2013/QH13 ngày 18/6/2013"
IN_2022 = datetime(2022, 6, 15, 3, 0, tzinfo=timezone.utc)


@dataclass
class People:
    secretary: object
    member: object
    head: object
    other_member: object
    leader: object


@pytest.fixture
def people(make) -> People:
    for code in ("VP", "QLKH", "TTR"):
        make.unit(code)
    return People(
        secretary=make.user("secretary", unit="VP", username="thuky", full_name="Thư ký ISO"),
        member=make.user("member", unit="QLKH", username="qlkh.cv", full_name="Chuyên viên QLKH"),
        head=make.user("head", unit="QLKH", username="qlkh.tp", full_name="Trưởng phòng QLKH"),
        other_member=make.user("member", unit="TTR", username="ttr.cv", full_name="Chuyên viên TTR"),
        leader=make.user("leadership", username="lanhdao", full_name="Giám đốc Sở"),
    )


@pytest.fixture
def dc(app) -> DocumentControl:
    return DocumentControl(core.store(), index=NoIndex())


@pytest.fixture
def issued(dc):
    def _issued(code: str, unit: str = "QLKH", bases=(DECREE_61,), issued_on: date = date(2020, 3, 2)):
        doc = ProcedureDocument(code=code, title=f"Quy trình {code}", unit=unit, body=BODY, issue=1,
                                issued_on=issued_on, effective_on=issued_on, legal_bases=list(bases))
        proc, _ = dc.import_document(None, doc)
        db.session.commit()
        return proc

    return _issued


@pytest.fixture
def decree_61(people):
    doc = services.create_document(people.secretary, DocumentData(
        number="61/2018/NĐ-CP", kind="decree", title="Về thực hiện cơ chế một cửa, một cửa liên thông",
        issuer="Chính phủ", signed_on=date(2018, 4, 23), effective_on=date(2018, 6, 21)))
    db.session.commit()
    return doc


@pytest.fixture
def decree_107(people):
    doc = services.create_document(people.secretary, DocumentData(
        number="107/2021/NĐ-CP", kind="decree", title="Sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP",
        issuer="Chính phủ", signed_on=date(2021, 12, 6)))
    db.session.commit()
    return doc
