"""Who may export, hand out controlled copies, name readers, see coverage and import Word files."""
from __future__ import annotations

from app.auth import permissions as perm
from app.auth.models import ADMIN, COMMITTEE, LEADERSHIP, SECRETARY


def _roles(user) -> set[str]:
    return user.roles if perm.signed_in(user) else set()


def can_export(user, procedure) -> bool:
    """The issued text prints for anyone signed in (uncontrolled); a draft for those who may read it."""
    if getattr(procedure, "issued_revision", None):
        return perm.signed_in(user)
    return perm.can_view_draft(user, procedure)


def can_manage_distribution(user) -> bool:
    """Hand out numbered controlled copies and record their return: the ISO secretary."""
    return SECRETARY in _roles(user)


def can_read_distribution(user) -> bool:
    return perm.signed_in(user)


def can_print_copy(user, copy) -> bool:
    """A controlled copy is printed by the secretary or by the unit that holds it."""
    if can_manage_distribution(user):
        return True
    return perm.signed_in(user) and getattr(copy.unit, "code", None) == user.unit_code


def can_name_readers(user) -> bool:
    """The approver (leadership) names further units that must read an issue; the secretary too."""
    return bool(_roles(user) & {LEADERSHIP, SECRETARY})


def can_read_coverage(user) -> bool:
    return bool(_roles(user) & {SECRETARY, LEADERSHIP, COMMITTEE, ADMIN})


def can_import(user) -> bool:
    return perm.can_create_procedure(user)


def can_attach(user, procedure) -> bool:
    """Forms travel with the draft: whoever may edit the draft may attach and remove them."""
    return perm.can_edit_draft(user, procedure)
