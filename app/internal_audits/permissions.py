"""Who may do what with the audit programme and audits (used by the pages and the services alike)."""
from __future__ import annotations

from app.auth.models import ADMIN, COMMITTEE, LEADERSHIP, SECRETARY
from app.auth.permissions import _roles, _signed_in


def can_read_programmes(user) -> bool:
    """The yearly programme is published to every unit: anyone signed in reads the plan."""
    return _signed_in(user)


def can_read_all_audits(user) -> bool:
    return bool(_roles(user) & {SECRETARY, LEADERSHIP, COMMITTEE, ADMIN})


def is_auditor(user, audit) -> bool:
    return _signed_in(user) and user.id in getattr(audit, "auditor_ids", set())


def can_read_audit(user, audit) -> bool:
    """Everyone who reads all, the audited unit, and the audit's own auditors."""
    if can_read_all_audits(user) or is_auditor(user, audit):
        return True
    return _signed_in(user) and user.unit_code is not None and user.unit_code == getattr(audit, "unit_code", None)


def can_plan_audits(user) -> bool:
    return SECRETARY in _roles(user)


def can_approve_programme(user) -> bool:
    return LEADERSHIP in _roles(user)


def can_record_findings(user, audit) -> bool:
    """An audit's own team (lead auditor and members) records its checklist answers and findings."""
    return is_auditor(user, audit)


def can_report_audit(user, audit) -> bool:
    return _signed_in(user) and getattr(audit, "lead_auditor_id", None) == user.id


def can_close_audit(user, audit=None) -> bool:
    return SECRETARY in _roles(user)
