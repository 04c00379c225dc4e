"""Units change: a merge moves procedures, open reviews, CAPA and people with their history (issue #11)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from app.admin import reorganise
from app.audit.models import AuditEvent
from app.auth.models import Unit
from app.capa import services as capa_services
from app.extensions import db
from app.procedures import core
from app.procedures.services import DocumentControl
from app.reviews import services as reviews
from app.reviews.models import RECORDED, MAINTAINED
from app.store import ProcedureDocument

BODY = "## 1. Mục đích\n\nQuy định trình tự.\n"


def _unit(code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _setup(make):
    for code in ("VP", "QLCN", "QLKH"):
        make.unit(code)
    admin = make.user("admin")
    secretary = make.user("secretary", unit="VP")
    member = make.user("member", unit="QLCN", username="qlcn.cv")
    dc = DocumentControl()
    procs = []
    for code in ("QT-QLCN-01", "QT-QLCN-02"):
        doc = ProcedureDocument(code=code, title=f"Quy trình {code}", unit="QLCN", body=BODY, issue=1,
                                issued_on=date(2021, 1, 4), effective_on=date(2021, 1, 4))
        procs.append(dc.import_document(secretary, doc)[0])
    old = reviews.open_cycle(secretary, year=2022, deadline=date(2022, 12, 31),
                             now=datetime(2022, 6, 1, tzinfo=timezone.utc))
    reviews.close_cycle(secretary, old, now=datetime(2023, 1, 5, tzinfo=timezone.utc))
    cycle = reviews.open_cycle(secretary, year=date.today().year, deadline=date(date.today().year, 12, 31))
    review = reviews.get_review(cycle, "QT-QLCN-01")
    reviews.record(member, review, outcome=MAINTAINED)
    capa = capa_services.propose(member, kind="corrective", source="review", title="Hồ sơ trễ",
                                 description="Trễ hạn", unit=_unit("QLCN"))
    capa_services.accept(secretary, capa, _unit("QLCN"))
    db.session.commit()
    return admin, member, procs, cycle, capa


def test_merging_a_unit_moves_everything_with_its_history(make):
    admin, member, procs, cycle, capa = _setup(make)
    history_before = len(core.store().history("QT-QLCN-01"))
    moved = reorganise.merge(admin, _unit("QLCN"), _unit("QLKH"))
    db.session.commit()

    assert moved.procedures == ["QT-QLCN-01", "QT-QLCN-02"]
    assert all(p.unit_code == "QLKH" for p in procs)
    history = core.store().history("QT-QLCN-01")
    assert len(history) == history_before + 1          # one commit added, nothing rewritten
    issued = core.store().read("QT-QLCN-01", procs[0].issued_revision).document
    assert issued.unit == "QLCN"                       # the issued text keeps the unit it was issued under
    review = reviews.get_review(cycle, "QT-QLCN-01")
    assert review.unit.code == "QLKH" and review.status == RECORDED   # moved with what was done
    closed = reviews.get_review(reviews.get_cycle(2022), "QT-QLCN-01")
    assert closed.unit.code == "QLCN"                  # past records keep the unit as it was
    assert capa.unit_code == "QLKH" and member.unit.code == "QLKH"
    old = _unit("QLCN")
    assert old.active is False and old.name == "Đơn vị QLCN"   # kept as it was
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"unit.merge", "procedure.transfer", "review.transfer", "capa.transfer"} <= actions


def test_splitting_moves_only_the_chosen_procedures(make):
    admin, member, procs, cycle, capa = _setup(make)
    moved = reorganise.split(admin, _unit("QLCN"), _unit("QLKH"), ["QT-QLCN-02"])
    db.session.commit()
    assert moved.procedures == ["QT-QLCN-02"]
    assert procs[0].unit_code == "QLCN" and procs[1].unit_code == "QLKH"
    assert _unit("QLCN").active and member.unit.code == "QLCN" and capa.unit_code == "QLCN"


def test_the_admin_page_merges_after_confirmation(client, login_as, make):
    admin, *_ = _setup(make)
    login_as(admin)
    assert 'data-testid="reorganise-form"' in client.get("/admin/units/QLCN/reorganise").data.decode()
    response = client.post("/admin/units/QLCN/reorganise", data={"mode": "merge", "target_id": _unit("QLKH").id})
    assert response.status_code == 302
    assert _unit("QLCN").active is False
