"""/api/v1/capa: the CAPA register, one record, raising a record, adding an action."""
from __future__ import annotations

from flask import abort
from marshmallow import fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from app.api.access import allow, bilingual, conflict, found, user
from app.api.core import blueprint
from app.api.paging import numbered
from app.api.problems import ApiProblem
from app.api.schemas import LINK_HEADER, MAX_TEXT, Body, Out, PageArgs, UtcDateTime, page_schema, text
from app.auth import permissions as perm
from app.auth.models import Unit, User
from app.capa import queries, services
from app.capa.labels import error_message
from app.capa.models import KINDS, SOURCES, STATUSES, Capa
from app.extensions import db
from app.pagination import paginate
from app.timeutil import local_today

blp = blueprint("api_capa", "/capa", "Hành động khắc phục, phòng ngừa / Corrective and preventive actions")


class CapaArgs(PageArgs):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100))
    status = fields.String(load_default="", validate=validate.OneOf(["", "active", *STATUSES]))
    unit = fields.String(load_default="", validate=validate.Length(max=20))
    kind = fields.String(load_default="", validate=validate.OneOf(["", *KINDS]))
    source = fields.String(load_default="", validate=validate.OneOf(["", *SOURCES]))
    overdue = fields.Boolean(load_default=False)
    q = fields.String(load_default="", validate=validate.Length(max=200))
    sort = fields.String(load_default="-number",
                         validate=validate.OneOf([*queries.SORTS, *(f"-{k}" for k in queries.SORTS)]))


class ActionSchema(Out):
    seq = fields.Integer(required=True)
    description = fields.String(required=True)
    owner_unit = fields.String(attribute="unit_code", allow_none=True)
    owner_user = fields.Function(lambda a: a.owner_user.username if a.owner_user else None, allow_none=True)
    owner = fields.String(attribute="owner_label", required=True)
    due_on = fields.Date(required=True)
    done_on = fields.Date(allow_none=True)
    evidence = fields.String(required=True)


class LinkedProcedureSchema(Out):
    code = fields.Function(lambda link: link.procedure.code, required=True)
    revision = fields.String(allow_none=True, metadata={"description": "The revision in force when linked"})


class CapaSchema(Out):
    number = fields.String(required=True)
    year = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    source = fields.String(required=True, validate=validate.OneOf(SOURCES))
    title = fields.String(required=True)
    description = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    unit = fields.String(attribute="unit_code", allow_none=True)
    raised_by = fields.Function(lambda c: c.raised_by.full_name if c.raised_by else None, allow_none=True)
    raised_at = UtcDateTime(required=True)
    root_cause = fields.String(required=True)
    procedures = fields.List(fields.Nested(LinkedProcedureSchema), attribute="links", required=True)
    actions = fields.List(fields.Nested(ActionSchema), required=True)
    closed_at = UtcDateTime(allow_none=True)
    cancel_reason = fields.String(required=True)
    updated_at = UtcDateTime(required=True)


CapaPage = page_schema("CapaPage", CapaSchema)


class CapaInput(Body):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    source = fields.String(required=True, validate=validate.OneOf(SOURCES))
    title = text(validate.Length(min=1, max=300), required=True)
    description = text(validate.Length(min=1, max=MAX_TEXT), required=True)
    unit = text(validate.Length(min=1, max=20), load_default=None, allow_none=True,
                metadata={"description": "Responsible unit; given by the ISO secretary, the record is accepted "
                                         "at once"})
    procedures = fields.List(text(validate.Length(min=1, max=40)), load_default=list,
                             validate=validate.Length(max=20), metadata={"description": "Procedure codes"})


class ActionInput(Body):
    description = text(validate.Length(min=1, max=MAX_TEXT), required=True)
    due_on = fields.Date(required=True)
    owner_unit = text(validate.Length(min=1, max=20), load_default=None, allow_none=True)
    owner_user = text(validate.Length(min=1, max=80), load_default=None, allow_none=True,
                      metadata={"description": "User name of the person responsible"})


def _capa(number: str) -> Capa:
    capa = found(services.get(number) if "\x00" not in number else None)
    allow(perm.can_view_capa(user(), capa))
    return capa


def _unit(code: str | None, field: str) -> Unit | None:
    if not code:
        return None
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise ApiProblem(409, "unknown_unit", errors={"json": {field: ["unknown unit"]}})
    return unit


def _run(call):
    try:
        result = call()
        db.session.flush()
    except services.PermissionDenied:
        abort(403)
    except services.CapaError as exc:
        raise conflict(exc.key, lambda e=exc: error_message(e)) from exc
    except StaleDataError as exc:
        raise ApiProblem(409, "stale") from exc
    db.session.commit()
    return result


@blp.route("")
@blp.arguments(CapaArgs, location="query")
@blp.response(200, CapaPage, headers=LINK_HEADER)
def register(args):
    """The CAPA register with its filters; a unit sees its own records and those it acts on"""
    allow(perm.signed_in(user()))
    query = MultiDict({k: ("1" if v is True else v) for k, v in args.items() if v not in (None, "", False)})
    stmt = queries.register_stmt(query, user(), local_today()).options(selectinload(Capa.actions))
    body, headers = numbered(paginate(stmt, args["page"], args["per_page"]))
    return body, 200, headers


@blp.route("/<number>")
@blp.response(200, CapaSchema)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
def one(number: str):
    """One record with its actions and linked procedures"""
    return _capa(number)


@blp.route("", methods=["POST"])
@blp.arguments(CapaInput)
@blp.response(201, CapaSchema)
@blp.alt_response(409, "CONFLICT", description="A rule of the workflow, or an unknown unit or procedure")
def create(data):
    """Raise a record (anyone); raised by the ISO secretary with a unit, it is accepted at once"""
    allow(perm.can_propose_capa(user()))
    readable = queries.readable_procedures(user(), data["procedures"])
    unknown = [c for c in data["procedures"] if c not in readable]
    if unknown:
        raise ApiProblem(409, "unknown_procedure", bilingual(lambda: error_message(services.CapaError("unknown_procedure"))),
                         errors={"json": {"procedures": [f"unknown procedure: {c}" for c in unknown]}})
    unit = _unit(data["unit"], "unit")
    return _run(lambda: services.propose(
        user(), kind=data["kind"], source=data["source"], title=data["title"], description=data["description"],
        unit=unit, procedures=[readable[c] for c in dict.fromkeys(data["procedures"])]))


@blp.route("/<number>/actions", methods=["POST"])
@blp.arguments(ActionInput)
@blp.response(201, ActionSchema)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
@blp.alt_response(409, "CONFLICT")
def add_action(data, number: str):
    """Add an action (the responsible unit, while analysed, planned or in progress)"""
    capa = _capa(number)
    allow(perm.can_act_on_capa(user(), capa))
    owner_unit = _unit(data["owner_unit"], "owner_unit")
    owner_user = None
    if data["owner_user"]:
        owner_user = db.session.scalar(select(User).where(User.username == data["owner_user"], User.active.is_(True)))
        if owner_user is None:
            raise ApiProblem(409, "unknown_user", errors={"json": {"owner_user": ["unknown user"]}})
    return _run(lambda: services.add_action(user(), capa, description=data["description"], due_on=data["due_on"],
                                            owner_unit=owner_unit, owner_user=owner_user))
