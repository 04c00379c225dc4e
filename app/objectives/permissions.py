"""Who may do what with the quality objectives: named predicates used by the pages (and any API)."""
from __future__ import annotations

from app.auth.models import ADMIN, COMMITTEE, HEAD, LEADERSHIP, MEMBER, SECRETARY


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _roles(user) -> set[str]:
    return user.roles if _signed_in(user) else set()


def _own_unit(user, obj) -> bool:
    unit = getattr(obj, "unit_code", None)
    return _signed_in(user) and unit is not None and user.unit_code == unit


def can_read_objectives(user) -> bool:
    """Every signed-in person reads the plans; a unit's reports are filtered further."""
    return _signed_in(user)


def can_read_all_reports(user) -> bool:
    return bool(_roles(user) & {SECRETARY, LEADERSHIP, COMMITTEE, ADMIN})


def can_manage_plan(user, plan=None) -> bool:
    """Draft the plan, copy last year's, import, put in force and close: the ISO secretary."""
    return SECRETARY in _roles(user)


def can_approve_plan(user, plan=None) -> bool:
    return LEADERSHIP in _roles(user)


def can_consolidate(user, period=None) -> bool:
    """Accept or return reports, write the summary, close a period, decide on CAPA proposals."""
    return SECRETARY in _roles(user)


def can_work_on_reports(user) -> bool:
    return _signed_in(user) and user.unit_code is not None and bool(_roles(user) & {MEMBER, HEAD})


def can_read_report(user, report) -> bool:
    return can_read_all_reports(user) or _own_unit(user, report)


def can_draft_report(user, report) -> bool:
    return _own_unit(user, report) and bool(_roles(user) & {MEMBER, HEAD})


def can_send_report(user, report) -> bool:
    return _own_unit(user, report) and HEAD in _roles(user)


def can_export_period(user, period=None) -> bool:
    return can_read_all_reports(user)
