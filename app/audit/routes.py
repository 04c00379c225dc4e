"""The committee's history pages: the whole timeline, one unit's, one user's, one object's, and their exports.

Read-only by design: every route here answers GET only; nothing in this blueprint changes an event.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BuildError

from app.audit import integrity, objects, present, timeline
from app.audit.models import AuditEvent
from app.auth import permissions as perm
from app.auth.models import Unit, User
from app.auth.permissions import can_read_audit, check, require, signed_in
from app.exports import csv_response, xlsx_response
from app.extensions import db
from app.params import small_int
from app.timeutil import local_today

bp = Blueprint("audit", __name__)


@bp.context_processor
def helpers():
    return {"action_label": present.action_label, "object_label": present.object_label,

            "describe": present.changes, "SOURCE_LABELS": present.SOURCE_LABELS}


def _export(fmt: str, name: str, header, rows, title: str):
    stamp = local_today().strftime("%Y%m%d")
    if fmt == "csv":
        return csv_response(f"{name}-{stamp}.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{name}-{stamp}.xlsx", header, rows, title)
    abort(404)


def _can_see_user(user_id) -> bool:
    return can_read_audit(current_user) or getattr(current_user, "id", None) == user_id


# -- timelines: everything, one unit, one user ------------------------------------------------------
@dataclass
class Scope:
    """Which timeline a page shows: its title, its fixed filter and its own endpoints."""

    title: str
    endpoint: str
    export_endpoint: str
    view_args: dict
    clauses: list
    fixed: str = ""   # "unit" or "user": that filter is the page itself


def _unit_scope(code: str) -> tuple[Scope, Unit]:
    unit = db.session.scalar(select(Unit).where(Unit.code == code.upper()))
    if unit is None:
        abort(404)
    check(perm.can_read_object_history(current_user, SimpleNamespace(unit_code=unit.code)))
    clauses = [AuditEvent.unit_code == unit.code]
    if not can_read_audit(current_user):
        # a unit reads the history of its own objects; its people's sign-ins stay with the auditors
        clauses.append(AuditEvent.object_type.not_in(timeline.KINDS["account"][1]))
    scope = Scope(_("Dòng thời gian của đơn vị %(code)s – %(name)s", code=unit.code, name=unit.name),
                  "audit.unit_timeline", "audit.unit_export", {"code": unit.code}, clauses, "unit")
    return scope, unit


def _user_scope(user_id: int) -> Scope:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    check(_can_see_user(user.id))
    return Scope(_("Hoạt động của %(name)s (%(username)s)", name=user.full_name, username=user.username),
                 "audit.user_timeline", "audit.user_export", {"user_id": user.id},
                 [AuditEvent.actor_id == user.id], "user")


def _all_scope() -> Scope:
    return Scope(_("Dòng thời gian của hệ thống"), "audit.index", "audit.export", {}, [])


def _filters(scope: Scope) -> tuple[timeline.Filters, list]:
    filters = timeline.Filters.from_args(request.args)
    if scope.fixed == "unit":
        filters.unit = ""
    if scope.fixed == "user":
        filters.user = ""
    return filters, [*scope.clauses, *filters.clauses()]


def _visible_problems(store: integrity.StoreReport, scope: Scope) -> tuple[integrity.StoreReport | None, list]:
    """Auditors see every rewritten commit; a unit sees those of its own procedures, and nothing else."""
    if can_read_audit(current_user):
        return store, store.problems
    from app.procedures.models import Procedure

    own = set(db.session.scalars(select(Procedure.code).join(Procedure.unit)
                                 .where(Unit.code == scope.view_args.get("code", ""))))
    mine = [p for p in store.problems if p.code in own]
    return (store if mine else None), mine


def _timeline_page(scope: Scope):
    filters, clauses = _filters(scope)
    result = timeline.page(clauses, after=request.args.get("after"), before=request.args.get("before"),
                           at=request.args.get("at"))
    chain = integrity.chain_status(force=bool(request.args.get("recheck")))
    store, problems = _visible_problems(integrity.store_status(), scope)
    users = select(User).order_by(User.full_name, User.username)
    if not can_read_audit(current_user):  # a unit picks among its own people
        users = users.join(User.unit).where(Unit.code == scope.view_args.get("code", ""))
    return render_template("audit/timeline.html", scope=scope, filters=filters, page=result, chain=chain,
                           store=store, problems=problems, users=db.session.scalars(users).all(),
                           units=db.session.scalars(select(Unit).order_by(Unit.code)).all(),
                           years=timeline.years(), actions=timeline.actions(), kinds=present.kind_choices(),
                           can_read_all=can_read_audit(current_user))


def _timeline_export(scope: Scope, fmt: str, name: str):
    clauses = _filters(scope)[1]
    return _export(fmt, name, timeline.export_header(), timeline.export_rows(clauses), _("Nhật ký hệ thống"))


@bp.get("/")
@require(can_read_audit)
def index():
    return _timeline_page(_all_scope())


@bp.get("/export.<fmt>")
@require(can_read_audit)
def export(fmt: str):
    return _timeline_export(_all_scope(), fmt, "nhat-ky-he-thong")


@bp.get("/unit/<code>")
@require(signed_in)
def unit_timeline(code: str):
    return _timeline_page(_unit_scope(code)[0])


@bp.get("/unit/<code>/export.<fmt>")
@require(signed_in)
def unit_export(code: str, fmt: str):
    scope, unit = _unit_scope(code)
    return _timeline_export(scope, fmt, f"nhat-ky-{unit.code}")


@bp.get("/user/<int:user_id>")
@require(signed_in)
def user_timeline(user_id: int):
    return _timeline_page(_user_scope(user_id))


@bp.get("/user/<int:user_id>/export.<fmt>")
@require(signed_in)
def user_export(user_id: int, fmt: str):
    return _timeline_export(_user_scope(user_id), fmt, f"nhat-ky-nguoi-dung-{user_id}")


# -- one object ----------------------------------------------------------------------------------
@dataclass
class Target:
    object_type: str
    object_id: str
    title: str
    unit_code: str | None
    link: str | None = None


def _latest_event_unit(object_type: str, object_id: str) -> tuple[bool, str | None]:
    row = db.session.execute(select(AuditEvent.unit_code)
                             .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
                             .order_by(AuditEvent.id.desc()).limit(1)).first()
    return (row is not None, row[0] if row else None)


def _target(object_type: str, object_id: str) -> Target:
    """Load what the timeline is about and check that the current user may read its history."""
    if object_type == "procedure":
        from app.procedures.models import Procedure

        proc = db.session.scalar(select(Procedure).where(Procedure.code == object_id))
        if proc is not None:
            check(perm.can_read_object_history(current_user, proc))
            return Target(object_type, object_id, f"{proc.code} – {proc.title}", proc.unit_code,
                          url_for("procedures.view", code=proc.code))
    elif object_type == "unit":
        unit = db.session.scalar(select(Unit).where(Unit.code == object_id))
        if unit is not None:
            check(perm.can_read_object_history(current_user, SimpleNamespace(unit_code=unit.code)))
            return Target(object_type, object_id, f"{unit.code} – {unit.name}", unit.code,
                          url_for("audit.unit_timeline", code=unit.code))
    elif object_type == "account":
        user_id = small_int(object_id)
        user = db.session.get(User, user_id) if user_id is not None else None
        if user is not None:
            check(_can_see_user(user.id))
            return Target(object_type, object_id, f"{user.full_name} ({user.username})", user.unit_code,
                          url_for("audit.user_timeline", user_id=user.id) if _can_see_user(user.id) else None)
        found, _unit = _latest_event_unit(object_type, object_id)
        if not found:
            abort(404)
        check(can_read_audit(current_user))  # e.g. failed sign-ins under an unknown name
        return Target(object_type, object_id, object_id, None)
    found, unit_code = _latest_event_unit(object_type, object_id)
    if not found:
        abort(404)
    check(perm.can_read_object_history(current_user, SimpleNamespace(unit_code=unit_code)))
    return Target(object_type, object_id, object_id, unit_code, _feature_link(object_type, object_id))


def _feature_link(object_type: str, object_id: str) -> str | None:
    """The object's own page in its feature, when that feature is installed."""
    try:
        if object_type == "capa":
            return url_for("capa.view", number=object_id)
        if object_type == "review" and "/" in object_id:
            year, code = object_id.split("/", 1)
            return url_for("reviews.review", year=int(year), code=code)
        if object_type == "review_cycle" and small_int(object_id) is not None:
            return url_for("reviews.cycle", year=int(object_id))
    except (BuildError, ValueError):
        return None
    return None


def _history(target: Target, store: integrity.StoreReport | None, **kw) -> objects.ObjectPage:
    return objects.object_history(target.object_type, target.object_id, store.by_sha() if store else {}, **kw)


@bp.get("/object/<object_type>/<path:object_id>")
@require(signed_in)
def object_timeline(object_type: str, object_id: str):
    target = _target(object_type, object_id)
    store = integrity.store_status() if object_type == "procedure" else None
    history = _history(target, store, after=request.args.get("after"))
    if request.args.get("lines") != "all":  # the committee can still see every commit and tag on its own line
        history.entries = objects.fold(history.entries)
    chain = integrity.chain_status(force=bool(request.args.get("recheck")))
    return render_template("audit/object.html", target=target, history=history, chain=chain, store=store,
                           problems=store.for_code(object_id) if store else [],
                           can_read_all=can_read_audit(current_user))


@bp.get("/object/<object_type>/<path:object_id>/export.<fmt>")
@require(signed_in)
def object_export(object_type: str, object_id: str, fmt: str):
    target = _target(object_type, object_id)
    store = integrity.store_status() if object_type == "procedure" else None
    entries = _history(target, store, per_page=None).entries
    rows = objects.entry_rows(entries, object_type, object_id, target.unit_code or "")
    name = "lich-su-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{object_type}-{object_id}")[:80]
    return _export(fmt, name, timeline.export_header(), rows, _("Lịch sử %(id)s", id=object_id))
