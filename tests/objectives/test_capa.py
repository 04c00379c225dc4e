"""Not met raises CAPA: a not-met indicator or a missing report proposes a corrective action, pre-filled; the
secretary raises it with one click or dismisses it with a reason; the CAPA and the objective point at each other."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.capa.models import Capa
from app.extensions import db
from app.objectives import consolidation, figures
from app.objectives.services import ObjectiveError
from tests.objectives.conftest import fill, indicator, period, send, unit

AFTER = date(2022, 3, 20)


def _not_met_march(plan, people):
    march = period(plan, "2022-03")
    mt3 = indicator(plan, "MT3")
    send(fill(plan, march, "QLKH", people.member, values={mt3.id: "2"}), people.head, date(2022, 3, 14))
    return march, mt3


def test_a_not_met_indicator_and_a_missing_report_are_proposed(plan, people):
    march, mt3 = _not_met_march(plan, people)
    props = figures.proposals(figures.period_view(plan, march, AFTER))
    kinds = {(p.kind, p.ref) for p in props}
    assert ("not_met", f"i{mt3.id}") in kinds
    assert ("missing_report", f"u{unit('TTR').id}") in kinds
    not_met = next(p for p in props if p.ref == f"i{mt3.id}")
    assert "MT3" in not_met.title and "2022-03" in not_met.title
    assert "QLKH: 2 phản ánh" in not_met.description and "<= 0 phản ánh" in not_met.description
    assert not_met.unit.code == "QLKH"
    before_due = figures.proposals(figures.period_view(plan, march, date(2022, 3, 14)))
    assert not any(p.kind == "missing_report" for p in before_due)


def test_one_click_raises_a_prefilled_capa_that_links_back(plan, people):
    march, mt3 = _not_met_march(plan, people)
    db.session.commit()
    capa = consolidation.raise_capa(people.secretary, march, "not_met", f"i{mt3.id}", AFTER)
    db.session.commit()
    assert capa.source == "objective" and capa.kind == "corrective"
    assert capa.unit.code == "QLKH" and capa.status == "open"      # raised by the secretary with a unit: accepted
    assert "/objectives/2022/periods/2022-03" in capa.description
    assert "Mục tiêu MT3" in capa.description
    proposal = next(p for p in figures.proposals(figures.period_view(plan, march, AFTER)) if p.ref == f"i{mt3.id}")
    assert proposal.capa_number == capa.number
    assert figures.objective_capas(plan)[mt3.objective_id][0][0] == capa.number
    with pytest.raises(ObjectiveError) as exc:
        consolidation.raise_capa(people.secretary, march, "not_met", f"i{mt3.id}", AFTER)
    assert exc.value.key == "already_decided"


def test_dismissing_needs_a_reason_and_creates_no_capa(plan, people):
    march = period(plan, "2022-03")
    ref = f"u{unit('TTR').id}"
    with pytest.raises(ObjectiveError) as exc:
        consolidation.dismiss(people.secretary, march, "missing_report", ref, " ", AFTER)
    assert exc.value.key == "reason_required"
    consolidation.dismiss(people.secretary, march, "missing_report", ref, "Báo cáo tại họp giao ban", AFTER)
    db.session.commit()
    proposal = next(p for p in figures.proposals(figures.period_view(plan, march, AFTER)) if p.ref == ref)
    assert proposal.decided.reason == "Báo cáo tại họp giao ban" and proposal.capa_number is None
    assert db.session.scalar(select(func.count()).select_from(Capa)) == 0


def test_only_the_secretary_decides(plan, people):
    march, mt3 = _not_met_march(plan, people)
    with pytest.raises(ObjectiveError) as exc:
        consolidation.raise_capa(people.head, march, "not_met", f"i{mt3.id}", AFTER)
    assert exc.value.key == "forbidden"
