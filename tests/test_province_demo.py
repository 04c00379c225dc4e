"""`qms demo --scale province`, in a small variant: everything it writes passes the system's own checks."""
from __future__ import annotations

from sqlalchemy import func, select, text

from app.audit.models import AuditEvent
from app.audit.verify import verify_all
from app.capa.models import Capa
from app.extensions import db
from app.objectives.models import ObjectivePlan, UnitReport
from app.procedures import core
from app.procedures.models import ISSUED, Procedure, ProcedureRevision
from app.reviews.models import CLOSED, Review, ReviewCycle
from app.timeutil import local_today
from tests.conftest import login

SMALL = ["qms", "demo", "--scale", "province", "--procedures", "40", "--units", "3", "--events", "2000",
         "--cycles", "2", "--capa", "12", "--objective-years", "2"]


def _counts():
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (Procedure, ProcedureRevision, Review, Capa,
                                                                        AuditEvent, UnitReport))


def test_small_province_data_set_is_consistent_and_usable(app, runner, client):
    assert runner.invoke(args=["qms", "demo"]).exit_code == 0
    capa_before = db.session.scalar(select(func.count(Capa.id)))
    result = runner.invoke(args=SMALL)  # added to the ordinary demo already there
    assert result.exit_code == 0, result.output
    assert "Province data set: 40 procedures" in result.output

    # the counts asked for, on top of the ordinary demo (its 15 shipped procedures, its CAPA)
    generated = db.session.scalars(select(Procedure).where(Procedure.code.like("QT-%-1_"))).all() + \
        db.session.scalars(select(Procedure).where(Procedure.code.like("QT-%-2_"))).all()
    assert len(generated) == 40
    assert {p.unit_code for p in generated} == {"VP", "TTR", "QLKH"}
    cycles = db.session.scalars(select(ReviewCycle)).all()
    assert len(cycles) == 2 and {c.status for c in cycles} == {CLOSED}
    assert db.session.scalar(select(func.count(Review.id))) > 40
    assert db.session.scalar(select(func.count(Capa.id))) == capa_before + 12
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 2000
    this_year = local_today().year
    assert {this_year - 1, this_year} <= set(db.session.scalars(select(ObjectivePlan.year)))
    assert db.session.scalar(select(func.count(UnitReport.id))) > 0

    if db.engine.dialect.name == "postgresql":  # the planner knows the tables' sizes after the bulk load
        reltuples = db.session.scalar(text("SELECT reltuples FROM pg_class WHERE oid = 'audit_event'::regclass"))
        assert reltuples >= 1900

    # the audit log, its key and anchor, and the store vouch for each other
    v = verify_all(core.store())
    assert v.ok, [f.message for f in v.findings]
    assert v.tags > 40 and v.commits > 80
    # the mirror equals the store: fsck has nothing to repair or record
    fsck = runner.invoke(args=["qms", "fsck"])
    assert fsck.exit_code == 0 and "Database and store agree." in fsck.output, fsck.output

    # a generated procedure in force opens for a demo account signed in with the demo password
    proc = next(p for p in generated if p.status == ISSUED)
    assert login(client, "thuky", "demo-password").status_code == 302
    page = client.get(f"/procedures/{proc.code}")
    assert page.status_code == 200 and proc.title in page.data.decode()
    assert client.get(f"/procedures/?q={proc.code}").status_code == 200

    # a second run refuses and changes nothing
    before = _counts()
    again = runner.invoke(args=SMALL)
    assert again.exit_code != 0 and "already loaded" in again.output
    assert _counts() == before
    assert verify_all(core.store()).ok
