"""Recording a change flags the procedures in force that cite the document, once per change, due on time."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.legal import services
from app.legal.models import ChangeReview, LegalChange
from app.legal.services import DocumentData, LegalError
from tests.legal.conftest import DECREE_61, LAW_KHCN


def _flagged(change):
    return sorted(r.procedure.code for r in db.session.scalars(
        select(ChangeReview).where(ChangeReview.change_id == change.id)))


def test_only_procedures_in_force_that_cite_the_document_are_flagged(people, issued, dc, decree_61, decree_107):
    issued("QT-QLKH-01")
    issued("QT-QLKH-02", bases=[LAW_KHCN])             # cites something else
    gone = issued("QT-TTR-01", unit="TTR")              # cites it but is withdrawn
    dc.withdraw(people.leader, gone, reason="Không còn áp dụng")
    db.session.commit()
    change = services.add_relation(people.secretary, decree_107, "amends", decree_61, today=date(2026, 11, 30))
    db.session.commit()
    assert _flagged(change) == ["QT-QLKH-01"]
    cr = db.session.scalar(select(ChangeReview))
    assert cr.unit.code == "QLKH" and cr.status == "pending" and cr.due_on == date(2026, 12, 30)
    assert decree_61.status == "amended"


def test_a_procedure_citing_the_document_twice_is_flagged_once(people, issued, decree_61):
    issued("QT-QLKH-01", bases=[DECREE_61, "61/2018/ND-CP (bản hợp nhất)"])
    change = services.record_change(people.secretary, decree_61, "amended")
    assert _flagged(change) == ["QT-QLKH-01"]


def test_the_same_change_cannot_be_recorded_twice(people, issued, decree_61, decree_107):
    issued("QT-QLKH-01")
    services.add_relation(people.secretary, decree_107, "amends", decree_61)
    db.session.commit()
    with pytest.raises(LegalError) as exc:
        services.record_change(people.secretary, decree_61, "amended", by_document=decree_107)
    assert exc.value.key == "change_exists"
    assert db.session.scalar(select(func.count()).select_from(ChangeReview)) == 1


def test_a_second_click_does_not_record_the_change_twice(people, issued, decree_61):
    issued("QT-QLKH-01")
    services.record_change(people.secretary, decree_61, "amended", today=date(2026, 1, 5))
    with pytest.raises(LegalError) as exc:
        services.record_change(people.secretary, decree_61, "amended", today=date(2026, 1, 5))
    assert exc.value.key == "change_recorded_today"
    assert db.session.scalar(select(func.count()).select_from(ChangeReview)) == 1


def test_each_new_change_flags_again(people, issued, decree_61):
    issued("QT-QLKH-01")
    services.record_change(people.secretary, decree_61, "amended", today=date(2026, 1, 5))
    services.record_change(people.secretary, decree_61, "repealed", today=date(2026, 5, 5))
    assert db.session.scalar(select(func.count()).select_from(ChangeReview)) == 2
    assert decree_61.status == "repealed"
    with pytest.raises(LegalError) as exc:
        services.record_change(people.secretary, decree_61, "amended")
    assert exc.value.key == "no_longer_in_force"


def test_review_due_before_the_change_takes_effect(people, issued, decree_61):
    issued("QT-QLKH-01")
    change = services.record_change(people.secretary, decree_61, "replaced", effective_on=date(2027, 1, 1),
                                    today=date(2026, 11, 30))
    assert change.due_on == date(2026, 12, 31)
    assert db.session.scalar(select(ChangeReview.due_on)) == date(2026, 12, 31)


def test_entering_a_new_document_that_amends_a_cited_one_flags_its_procedures(people, issued, decree_61):
    issued("QT-QLKH-01")
    new = services.create_document(people.secretary, DocumentData(
        number="Nghị định số 107/2021/NĐ-CP", kind="decree", title="Sửa đổi Nghị định 61", signed_on=date(2021, 12, 6),
        effective_on=date(2030, 1, 1)))
    change = services.add_relation(people.secretary, new, "amends", decree_61, effective_on=new.effective_on,
                                   today=date(2026, 11, 30))
    assert new.number == "107/2021/NĐ-CP"
    assert change.by_document is new and change.due_on == date(2029, 12, 31)
    out, into = services.relations_of(decree_61)
    assert out == [] and [(r.source.number, r.kind) for r in into] == [("107/2021/NĐ-CP", "amends")]


def test_guiding_relates_without_changing_status(people, decree_61, issued):
    issued("QT-QLKH-01")
    guide = services.create_document(people.secretary, DocumentData(number="01/2018/TT-VPCP", kind="circular",
                                                                    title="Hướng dẫn Nghị định 61"))
    services.add_relation(people.secretary, guide, "guides", decree_61)
    assert decree_61.status == "in_force"
    assert db.session.scalar(select(func.count()).select_from(LegalChange)) == 0
    assert db.session.scalar(select(func.count()).select_from(ChangeReview)) == 0
    with pytest.raises(LegalError):
        services.add_relation(people.secretary, guide, "guides", decree_61)


def test_the_same_number_written_differently_is_refused_as_a_duplicate(people, decree_61):
    with pytest.raises(LegalError) as exc:
        services.create_document(people.secretary, DocumentData(number="Nghị định số 61/2018/ND-CP", kind="decree",
                                                                title="x"))
    assert exc.value.key == "duplicate"
    assert services.find("nghị định 61/2018/nđ-cp") is decree_61


def test_only_the_secretary_keeps_the_register(people, decree_61):
    with pytest.raises(LegalError):
        services.record_change(people.head, decree_61, "amended")
    with pytest.raises(LegalError):
        services.create_document(people.member, DocumentData(number="1/2020/NĐ-CP", kind="decree", title="x"))


def test_every_change_is_an_audit_event(people, issued, decree_61, decree_107):
    issued("QT-QLKH-01")
    services.add_relation(people.secretary, decree_107, "amends", decree_61)
    services.update_document(people.secretary, decree_61, DocumentData(
        number=decree_61.number, kind="decree", title="Về cơ chế một cửa", issuer="Chính phủ",
        signed_on=decree_61.signed_on))
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("legal.create") == 2
    for action in ("legal.change", "change_review.flag", "legal.update"):
        assert action in actions
