"""Who may read and keep the register of legal documents, and work on change-triggered reviews."""
from __future__ import annotations

from app.auth import permissions as base
from app.auth.models import HEAD, MEMBER, SECRETARY


def can_read_legal(user) -> bool:
    return base.signed_in(user)


def can_manage_legal(user) -> bool:
    """Enter, import and relate documents, record changes, match procedures' bases: the ISO secretary."""
    return base.signed_in(user) and SECRETARY in user.roles


def can_read_change_review(user, review) -> bool:
    return base.can_read_all_reviews(user) or base._own_unit(user, review)


def can_record_change_review(user, review) -> bool:
    return base._own_unit(user, review) and bool(user.roles & {MEMBER, HEAD})


def can_confirm_change_review(user, review) -> bool:
    return base._own_unit(user, review) and HEAD in user.roles
