"""Named permission predicates, the one place that says who may do what.

Role predicates take a user; object predicates take a user and the object, which only needs the
attributes they read (unit_code, status...), so the predicates stay free of the feature models.
Routes check role predicates with @require(...) and object predicates after loading the object.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from app.auth.models import ADMIN, COMMITTEE, HEAD, LEADERSHIP, MEMBER, SECRETARY


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _roles(user) -> set[str]:
    return user.roles if _signed_in(user) else set()


def _own_unit(user, obj) -> bool:
    unit = getattr(obj, "unit_code", None)
    return _signed_in(user) and unit is not None and user.unit_code == unit


# -- accounts -----------------------------------------------------------------------------------
def signed_in(user) -> bool:
    return _signed_in(user)


def can_administer(user) -> bool:
    """Units, accounts, roles, password resets."""
    return ADMIN in _roles(user)


# -- procedures (document control) -------------------------------------------------------------
def can_read_register(user) -> bool:
    return _signed_in(user)


def sees_all_drafts(user) -> bool:
    return bool(_roles(user) & {SECRETARY, LEADERSHIP})


def can_view_draft(user, procedure) -> bool:
    return sees_all_drafts(user) or _own_unit(user, procedure)


def can_create_procedure(user) -> bool:
    return SECRETARY in _roles(user)


def can_edit_draft(user, procedure) -> bool:
    """Members and heads edit their own unit's drafts; the secretary may edit any procedure."""
    if getattr(procedure, "status", None) == "withdrawn":
        return False
    if SECRETARY in _roles(user):
        return True
    return _own_unit(user, procedure) and bool(_roles(user) & {MEMBER, HEAD})


def can_edit_metadata(user, procedure) -> bool:
    return SECRETARY in _roles(user) and getattr(procedure, "status", None) != "withdrawn"


def can_submit(user, procedure) -> bool:
    return HEAD in _roles(user) and _own_unit(user, procedure)


def can_approve(user, procedure=None) -> bool:
    return LEADERSHIP in _roles(user)


def can_withdraw(user, procedure=None) -> bool:
    return LEADERSHIP in _roles(user)


# -- yearly review (Objective 4) -----------------------------------------------------------------
def can_manage_cycles(user) -> bool:
    """Open and close cycles, accept or return reviews: the ISO secretary."""
    return SECRETARY in _roles(user)


def can_read_reviews(user) -> bool:
    return _signed_in(user)


def can_read_all_reviews(user) -> bool:
    return bool(_roles(user) & {SECRETARY, LEADERSHIP, COMMITTEE, ADMIN})


def can_record_review(user, review) -> bool:
    return _own_unit(user, review) and bool(_roles(user) & {MEMBER, HEAD})


def can_confirm_review(user, review) -> bool:
    return _own_unit(user, review) and HEAD in _roles(user)


def can_accept_review(user, review=None) -> bool:
    return SECRETARY in _roles(user)


# -- CAPA ----------------------------------------------------------------------------------------
def can_propose_capa(user) -> bool:
    return _signed_in(user)


def can_read_all_capa(user) -> bool:
    return bool(_roles(user) & {SECRETARY, LEADERSHIP, COMMITTEE, ADMIN})


def can_read_capa(user, capa) -> bool:
    if can_read_all_capa(user):
        return True
    return _own_unit(user, capa) or getattr(capa, "raised_by_id", None) == getattr(user, "id", -1)


def can_accept_capa(user, capa=None) -> bool:
    return SECRETARY in _roles(user)


def can_act_on_capa(user, capa) -> bool:
    """The responsible unit analyses the cause, plans and carries out the actions."""
    return _own_unit(user, capa) and bool(_roles(user) & {MEMBER, HEAD})


def can_verify_capa(user, capa=None) -> bool:
    return bool(_roles(user) & {SECRETARY, LEADERSHIP})


# -- audit history -------------------------------------------------------------------------------
def can_read_audit(user) -> bool:
    return bool(_roles(user) & {COMMITTEE, LEADERSHIP, SECRETARY, ADMIN})


def can_read_object_history(user, obj) -> bool:
    return can_read_audit(user) or _own_unit(user, obj)


# -- route helper --------------------------------------------------------------------------------
def require(predicate):
    """Decorator: anonymous users go to the login page, signed-in users without the right get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from app.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = predicate
        return wrapped

    return decorator


def check(allowed: bool) -> None:
    """Object-level check after loading the object."""
    if not allowed:
        abort(403)


# -- CAPA record pages and actions (appended by the CAPA feature) --------------------------------
def can_cancel_capa(user, capa=None) -> bool:
    """Cancelling a record (with a reason) is the ISO secretary's call."""
    return SECRETARY in _roles(user)


def can_link_capa(user, capa) -> bool:
    """Link a further procedure: the secretary or the responsible unit."""
    return can_accept_capa(user, capa) or can_act_on_capa(user, capa)


def owns_capa_action(user, action) -> bool:
    """The person named on an action, or a member/head of the action's owner unit."""
    if not _signed_in(user):
        return False
    if getattr(action, "owner_user_id", None) == user.id:
        return True
    return _own_unit(user, action) and bool(_roles(user) & {MEMBER, HEAD})


def can_complete_capa_action(user, capa, action) -> bool:
    return can_act_on_capa(user, capa) or owns_capa_action(user, action)


def can_view_capa(user, capa) -> bool:
    """Readers of the record, and whoever owns one of its actions (a coordinating unit, a person)."""
    if can_read_capa(user, capa):
        return True
    return any(owns_capa_action(user, a) or _own_unit(user, a) for a in getattr(capa, "actions", ()))


# -- yearly review: role gates and object reads (added by the reviews feature) ---------------------
def can_work_on_reviews(user) -> bool:
    """Members and heads of a unit record their unit's reviews."""
    return _signed_in(user) and user.unit_code is not None and bool(_roles(user) & {MEMBER, HEAD})


def can_confirm_reviews(user) -> bool:
    """Unit heads confirm their unit's reviews (the secretary accepts, never confirms for a unit)."""
    return _signed_in(user) and user.unit_code is not None and HEAD in _roles(user)


def can_read_review(user, review) -> bool:
    return can_read_all_reviews(user) or _own_unit(user, review)
