"""CAPA fixtures: the people of a small department, an issued procedure, and records driven to any state."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.capa import services
from app.extensions import db
from app.timeutil import local_today

ROOT = Path(__file__).resolve().parents[2]

# the order a record goes through; `drive(..., upto=...)` stops after the named step
STEPS = ("proposed", "open", "analysed", "planned", "in_progress", "done", "verified", "closed")


@pytest.fixture
def people(make):
    for code in ("VP", "QLKH", "TTR"):
        make.unit(code)
    return SimpleNamespace(
        secretary=make.user("secretary", unit="VP", username="thuky", full_name="Nguyễn Thị Lan"),
        member=make.user("member", unit="QLKH", username="qlkh.cv", full_name="Võ Thị Mỹ Linh"),
        head=make.user("head", unit="QLKH", username="qlkh.tp", full_name="Đặng Văn Khoa"),
        other=make.user("member", unit="TTR", username="ttr.cv", full_name="Lê Thị Hồng Nhung"),
        other_head=make.user("head", unit="TTR", username="ttr.tp", full_name="Phạm Quốc Bảo"),
        leader=make.user("leadership", username="lanhdao", full_name="Lê Hoàng Nam"),
        committee=make.user("committee", username="bcd", full_name="Phan Văn Hùng"),
    )


@pytest.fixture
def procedure(app, people):
    """QT-QLKH-01 imported as issued, as `qms demo` does."""
    from app.procedures.services import DocumentControl
    from app.store import parse

    doc = parse((ROOT / "procedures" / "QT-QLKH-01.md").read_text(encoding="utf-8"))
    proc, _created = DocumentControl().import_document(None, doc)
    db.session.commit()
    return proc


def unit(code):
    from sqlalchemy import select

    from app.auth.models import Unit

    return db.session.scalar(select(Unit).where(Unit.code == code))


def drive(people, upto="open", *, actions=2, kind="corrective", source="review", title="Hồ sơ trả trễ hạn",
          proposer=None, procedures=()):
    """A record for QLKH walked through the workflow up to `upto`, committed after each step."""
    today = local_today()
    capa = services.propose(proposer or people.member, kind=kind, source=source, title=title,
                            description="Quý III có 2 hồ sơ trả kết quả trễ hạn.", unit=unit("QLKH"),
                            procedures=procedures)
    db.session.commit()
    steps = STEPS[1:STEPS.index(upto) + 1]
    for step in steps:
        if step == "open":
            services.accept(people.secretary, capa, unit("QLKH"))
        elif step == "analysed":
            services.analyse(people.member, capa, root_cause="Chưa theo dõi hạn trên iGate hằng ngày.",
                             similar_elsewhere=False)
            for i in range(actions):
                services.add_action(people.member, capa, description=f"Hành động {i + 1}",
                                    due_on=today + timedelta(days=10 * (i + 1)))
        elif step == "planned":
            services.plan(people.head, capa)
        elif step == "in_progress":
            services.start(people.head, capa)
        elif step == "done":
            for a in capa.open_actions:
                services.complete_action(people.member, capa, a, done_on=today, evidence="Biên bản kiểm tra")
        elif step == "verified":
            services.verify(people.secretary, capa, verified_on=today, effective=True,
                            evidence="Quý IV không còn hồ sơ trễ hạn.")
        elif step == "closed":
            services.close(people.secretary, capa)
        db.session.commit()
    return capa
