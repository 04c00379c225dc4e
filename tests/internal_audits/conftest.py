"""Internal audit fixtures: a small department, issued procedures and an audit driven to any state."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.internal_audits import services
from app.timeutil import local_today

ROOT = Path(__file__).resolve().parents[2]
STEPS = ("planned", "approved", "notified", "in_progress")


@pytest.fixture
def people(make):
    for code in ("VP", "QLKH", "TTR"):
        make.unit(code)
    return SimpleNamespace(
        secretary=make.user("secretary", unit="VP", username="thuky", full_name="Nguyễn Thị Lan"),
        member=make.user("member", unit="QLKH", username="qlkh.cv", full_name="Võ Thị Mỹ Linh"),
        head=make.user("head", unit="QLKH", username="qlkh.tp", full_name="Đặng Văn Khoa"),
        auditor=make.user("member", unit="TTR", username="ttr.cv", full_name="Lê Thị Hồng Nhung"),
        auditor2=make.user("head", unit="TTR", username="ttr.tp", full_name="Phạm Quốc Bảo"),
        leader=make.user("leadership", username="lanhdao", full_name="Lê Hoàng Nam"),
        committee=make.user("committee", username="bcd", full_name="Phan Văn Hùng"),
    )


def import_procedure(code: str):
    from app.procedures.services import DocumentControl
    from app.store import parse

    doc = parse((ROOT / "procedures" / f"{code}.md").read_text(encoding="utf-8"))
    proc, _created = DocumentControl().import_document(None, doc)
    db.session.commit()
    return proc


@pytest.fixture
def procedure(app, people):
    return import_procedure("QT-QLKH-01")


def unit(code):
    from sqlalchemy import select

    from app.auth.models import Unit

    return db.session.scalar(select(Unit).where(Unit.code == code))


def plan(people, procedure, upto="in_progress", year=None):
    """A QLKH audit led by a TTR auditor, walked to `upto` and committed."""
    today = local_today()
    year = year or today.year
    programme = services.programme_for(year) or services.create_programme(
        people.secretary, year=year, title=f"Chương trình {year}")
    starts = today if year == today.year else today.replace(year=year)
    audit = services.plan_audit(people.secretary, programme, unit=unit("QLKH"), starts_on=starts, ends_on=starts,
                                lead_auditor=people.auditor, team=[people.auditor2], procedures=[procedure])
    db.session.commit()
    for step in STEPS[1:STEPS.index(upto) + 1]:
        if step == "approved" and not programme.is_approved:
            services.approve_programme(people.leader, programme)
        elif step == "notified":
            services.notify(people.secretary, audit)
        elif step == "in_progress":
            services.start(people.auditor, audit)
        db.session.commit()
    return audit
