"""Who may do what with management reviews, their outputs, the yearly report and the announcement."""
from __future__ import annotations

from app.auth.models import ADMIN, COMMITTEE, HEAD, LEADERSHIP, MEMBER, SECRETARY
from app.auth.permissions import _own_unit, _roles, _signed_in


def can_read_management_reviews(user) -> bool:
    """Minutes and their decisions are shared with every unit: anyone signed in reads them."""
    return _signed_in(user)


def can_manage_management_reviews(user) -> bool:
    """The ISO secretary prepares the meeting, records it and its outputs."""
    return SECRETARY in _roles(user)


def can_approve_minutes(user, review=None) -> bool:
    return LEADERSHIP in _roles(user)


def owns_output(user, output) -> bool:
    if not _signed_in(user):
        return False
    if getattr(output, "owner_user_id", None) == user.id:
        return True
    return _own_unit(user, output) and bool(_roles(user) & {MEMBER, HEAD})


def can_complete_output(user, output) -> bool:
    return can_manage_management_reviews(user) or owns_output(user, output)


# -- yearly report, announcement, inspection pack -------------------------------------------------
def can_read_reports(user) -> bool:
    return bool(_roles(user) & {SECRETARY, LEADERSHIP, COMMITTEE, ADMIN})


def can_edit_reports(user) -> bool:
    return SECRETARY in _roles(user)
