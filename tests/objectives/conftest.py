"""Objectives fixtures: the department's units and people, and the seed's 2022 plan built as the demo does."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from app.auth.models import Unit
from app.extensions import db
from app.objectives import demo, reports, services

UNITS = ("VP", "TTR", "QLKH", "QLCN", "CCTDC", "TTUD")


@dataclass
class People:
    secretary: object
    leader: object
    committee: object
    member: object       # QLKH
    head: object         # QLKH
    ttr_member: object
    ttr_head: object
    vp_head: object


@pytest.fixture
def people(make) -> People:
    for code in UNITS:
        make.unit(code)
    return People(
        secretary=make.user("secretary", unit="VP", username="thuky"),
        leader=make.user("leadership", username="lanhdao"),
        committee=make.user("committee", username="bcd"),
        member=make.user("member", unit="QLKH", username="qlkh.cv"),
        head=make.user("head", unit="QLKH", username="qlkh.tp"),
        ttr_member=make.user("member", unit="TTR", username="ttr.cv"),
        ttr_head=make.user("head", unit="TTR", username="ttr.tp"),
        vp_head=make.user("head", unit="VP", username="vp.tp"),
    )


def unit(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


@pytest.fixture
def plan(people):
    """The seed's 2022 plan, approved and in force, with its 17 periods."""
    p = demo.build_2022(people.secretary, people.leader, {u: unit(u) for u in UNITS})
    db.session.commit()
    return p


def period(plan, key):
    return services.get_period(plan, key)


def indicator(plan, code, source=None, frequency=None):
    obj = next(o for o in plan.objectives if o.code == code)
    return next(i for i in obj.indicators if (source is None or i.source == source)
                and (frequency is None or i.frequency == frequency))


def fill(plan, per, unit_code, actor, values=None, status="done", reason=""):
    """A complete draft: every task with a status, every owed value (defaults meet the targets)."""
    u = unit(unit_code)
    draft = reports.Draft()
    for task in reports.tasks_for_unit(plan, u.id, per.kind):
        draft.entries[task.id] = {"done_text": "Đã thực hiện", "status": status, "reason": reason, "evidence": ""}
    for ind in reports.indicators_owed(plan, u.id, per.kind):
        default = "Tốt" if ind.kind == "rating" else ("0" if ind.direction == "<=" else "100")
        draft.values[ind.id] = (values or {}).get(ind.id, default)
    rep = reports.save_draft(actor, per, u, draft)
    db.session.commit()
    return rep


def send(rep, head, on: date):
    reports.send(head, rep, today=on)
    db.session.commit()
    return rep
