"""The Office's work on a period: the consolidated summary, closing (which freezes it), CAPA proposals, imports.

Every function takes the acting user, flushes and writes its audit event; the route commits.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.auth.models import Unit
from app.capa import services as capa_services
from app.capa.models import CORRECTIVE
from app.capa.services import CapaError
from app.extensions import db
from app.objectives import figures
from app.objectives import permissions as perm
from app.objectives import rules
from app.objectives.models import (IN_FORCE, MISSING_KIND, NOT_MET_KIND, P_DISMISSED, P_RAISED, PERIOD_CLOSED,
                                   SOURCE_COMPUTED, SOURCE_IMPORTED, CapaProposal, Indicator, IndicatorValue, Period)
from app.objectives.services import ObjectiveError, _number, allow, audit, require
from app.timeutil import utcnow


def _pid(period: Period) -> str:
    return f"{period.plan.year}/{period.key}"


def save_summary(actor, period: Period, summary: str) -> None:
    allow(perm.can_consolidate(actor, period))
    require(not period.is_closed, "period_closed")
    period.summary = (summary or "").strip()
    db.session.flush()
    audit(actor, "objectives.period_summary", _pid(period), f"Cập nhật báo cáo tổng hợp kỳ {period.key}",
          {"summary": period.summary})


def close_period(actor, period: Period, summary: str, today: date) -> None:
    """Freeze the period: its reports, its figures (computed ones stored as they stand), its summary."""
    allow(perm.can_consolidate(actor, period))
    require(period.plan.status == IN_FORCE, "plan_not_in_force")
    require(not period.is_closed, "period_closed")
    require(bool((summary or "").strip()), "summary_required")
    view = figures.period_view(period.plan, period, today)
    if period.kind != rules.YEAR:  # the year's Objective 4 figure stays the review's own (frozen when it closes)
        for fig in view.figures:
            if fig.indicator.source == SOURCE_COMPUTED and fig.value is not None:
                db.session.add(IndicatorValue(indicator_id=fig.indicator.id, period_id=period.id, unit_id=None,
                                              value=fig.value, source=SOURCE_COMPUTED, note="frozen"))
    period.summary, period.status, period.closed_by_id, period.closed_at = summary.strip(), PERIOD_CLOSED, \
        actor.id, utcnow()
    db.session.flush()
    audit(actor, "objectives.period_close", _pid(period), f"Khoá kỳ {period.key}",
          {"summary": period.summary, "not_sent": [u.code for u in view.not_sent],
           "figures": {f.indicator.name: {"value": f.value, "status": f.status} for f in view.figures}})


def _proposal(period: Period, kind: str, ref: str, today: date) -> figures.Proposal:
    view = figures.period_view(period.plan, period, today)
    found = next((p for p in figures.proposals(view) if p.kind == kind and p.ref == ref and p.title), None)
    require(found is not None, "no_proposal")
    require(found.decided is None, "already_decided")
    return found


def raise_capa(actor, period: Period, kind: str, ref: str, today: date, *, title: str = "", description: str = "",
               unit: Unit | None = None):
    """One click: the CAPA is created pre-filled (objective, period, figures) through the CAPA services."""
    allow(perm.can_consolidate(actor, period))
    require(kind in (NOT_MET_KIND, MISSING_KIND), "no_proposal")
    found = _proposal(period, kind, ref, today)
    unit = unit or found.unit
    try:
        capa = capa_services.propose(actor, kind=CORRECTIVE, source="objective", title=(title or found.title),
                                     description=(description or found.description), unit=unit,
                                     year=period.plan.year if period.plan.year <= today.year else today.year)
    except CapaError as exc:
        raise ObjectiveError("capa_" + exc.key)
    row = CapaProposal(period_id=period.id, kind=kind, ref=ref, objective_id=found.objective_id,
                       unit_id=unit.id if unit else None, status=P_RAISED, capa_id=capa.id, decided_by_id=actor.id,
                       decided_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit(actor, "objectives.capa_raise", _pid(period), f"Lập phiếu {capa.number} từ kỳ {period.key}: {found.title}",
          {"kind": kind, "ref": ref, "capa": capa.number})
    return capa


def dismiss(actor, period: Period, kind: str, ref: str, reason: str, today: date) -> None:
    allow(perm.can_consolidate(actor, period))
    require(bool((reason or "").strip()), "reason_required")
    found = _proposal(period, kind, ref, today)
    db.session.add(CapaProposal(period_id=period.id, kind=kind, ref=ref, objective_id=found.objective_id,
                                unit_id=found.unit.id if found.unit else None, status=P_DISMISSED,
                                reason=reason.strip(), decided_by_id=actor.id, decided_at=utcnow()))
    db.session.flush()
    audit(actor, "objectives.capa_dismiss", _pid(period), f"Không lập CAPA cho “{found.title}”",
          {"kind": kind, "ref": ref, "reason": reason.strip()})


def import_values(actor, indicator: Indicator, rows: list[tuple[int, str, str]], periods: dict[str, Period]) -> int:
    """Department figures of an imported indicator, e.g. the one-stop system's on-time share, per period.

    rows: (row number, period key, value text). Every row is checked first; one bad row refuses all.
    """
    allow(perm.can_consolidate(actor))
    require(indicator.source == SOURCE_IMPORTED, "not_imported_indicator")
    errors, parsed = [], []
    for number, key, text in rows:
        period = periods.get((key or "").strip().upper())
        value = _number(text)
        if period is None or period.kind != indicator.frequency:
            errors.append((number, "bad_period", key))
        elif period.is_closed:
            errors.append((number, "period_closed", key))
        elif value is None or value < 0:
            errors.append((number, "bad_value", text))
        else:
            parsed.append((period, value))
    require(not errors, "import_rows", rows=errors)
    require(bool(parsed), "import_empty")
    existing = {v.period_id: v for v in db.session.scalars(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator.id, IndicatorValue.unit_id.is_(None)))}
    for period, value in parsed:
        row = existing.get(period.id)
        if row is None:
            row = IndicatorValue(indicator_id=indicator.id, period_id=period.id, unit_id=None, source=SOURCE_IMPORTED)
            db.session.add(row)
            existing[period.id] = row
        row.value, row.recorded_at = value, utcnow()
    db.session.flush()
    audit(actor, "objectives.values_import", f"{indicator.objective.plan.year}/{indicator.objective.code}",
          f"Nhập {len(parsed)} số liệu cho chỉ số “{indicator.name}”",
          {"values": {p.key: v for p, v in parsed}})
    return len(parsed)
