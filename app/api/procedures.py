"""/api/v1/procedures: the register, one procedure, its texts (with ETag), revisions, diffs, what was in force."""
from __future__ import annotations

from datetime import date

from flask import jsonify, request
from marshmallow import fields, validate
from sqlalchemy import select

from app.api.access import allow, found, user
from app.api.core import blueprint
from app.api.paging import numbered
from app.api.problems import ApiProblem
from app.api.schemas import ETAG_HEADER, LINK_HEADER, Out, PageArgs, Query, UtcDateTime, page_schema
from app.auth import permissions as perm
from app.extensions import db
from app.pagination import paginate
from app.procedures import core, views
from app.procedures.models import DRAFT, ISSUED, WITHDRAWN, Procedure
from app.procedures.queries import SORTS, register_statement
from app.render import diff_stats
from app.timeutil import local_today

blp = blueprint("api_procedures", "/procedures", "Quy trình: danh mục, văn bản ban hành, lịch sử, so sánh / Procedures")

class RegisterArgs(PageArgs):
    unit = fields.String(load_default="", validate=validate.Length(max=20), metadata={"description": "Unit code"})
    status = fields.String(load_default="", validate=validate.OneOf(["", DRAFT, ISSUED, WITHDRAWN, "pending"]),
                           metadata={"description": "pending: has a draft in preparation"})
    q = fields.String(load_default="", validate=validate.Length(max=200), metadata={"description": "Code or title"})
    sort = fields.String(load_default="code",
                         validate=validate.OneOf([*SORTS, *(f"-{k}" for k in SORTS)]))


class ProcedureSchema(Out):
    code = fields.String(required=True)
    title = fields.String(required=True)
    unit = fields.String(attribute="unit_code", required=True)
    status = fields.String(required=True, validate=validate.OneOf([DRAFT, ISSUED, WITHDRAWN]))
    draft_state = fields.String(allow_none=True, metadata={"description": "editing, submitted or null"})
    issue_number = fields.Integer(required=True, metadata={"description": "0 before the first issue"})
    issued_on = fields.Date(allow_none=True)
    effective_on = fields.Date(allow_none=True)
    withdrawn_on = fields.Date(allow_none=True)
    last_reviewed_on = fields.Date(allow_none=True)
    updated_at = UtcDateTime(required=True)


ProcedurePage = page_schema("ProcedurePage", ProcedureSchema)


class TextSchema(Out):
    code = fields.String(required=True)
    variant = fields.String(required=True, validate=validate.OneOf(["issued", "draft"]))
    revision = fields.String(required=True, metadata={"description": "git commit of the text"})
    issue_number = fields.Integer(allow_none=True)
    effective_on = fields.Date(allow_none=True)
    markdown = fields.String(required=True, metadata={"description": "The body as Markdown"})
    html = fields.String(required=True, metadata={"description": "The body rendered and sanitised"})


class RevisionSchema(Out):
    sha = fields.String(required=True)
    authored_at = UtcDateTime(required=True)
    author_name = fields.String(required=True)
    summary = fields.String(required=True)
    issue_number = fields.Integer(allow_none=True)
    effective_on = fields.Date(allow_none=True)
    approver_name = fields.String(allow_none=True)
    issued_at = UtcDateTime(allow_none=True)


class RevisionList(Out):
    items = fields.List(fields.Nested(RevisionSchema), required=True)


class DiffArgs(Query):
    from_ = fields.String(data_key="from", load_default=None, validate=validate.Length(min=7, max=40),
                          metadata={"description": "Older revision (default: the previous issue)"})
    to = fields.String(load_default=None, validate=validate.Length(min=7, max=40),
                       metadata={"description": "Newer revision (default: the newest)"})


class DiffSchema(Out):
    code = fields.String(required=True)
    from_ = fields.String(data_key="from", attribute="from", required=True)
    to = fields.String(required=True)
    added = fields.Integer(required=True)
    removed = fields.Integer(required=True)
    unified = fields.String(required=True, metadata={"description": "Unified diff of the two files"})


class InForceArgs(Query):
    on = fields.Date(load_default=None, metadata={"description": "ISO 8601 date (default: today in Hanoi)"})


class IssueSchema(Out):
    number = fields.Integer(required=True)
    revision = fields.String(required=True)
    effective_on = fields.Date(required=True)
    approver_name = fields.String(required=True)
    message = fields.String(required=True)


class InForceSchema(Out):
    code = fields.String(required=True)
    on = fields.Date(required=True)
    in_force = fields.Boolean(required=True)
    issue = fields.Nested(IssueSchema, allow_none=True, required=True)


def _procedure(code: str) -> Procedure:
    """The procedure, if this user may know of it: a never-issued draft belongs to its unit."""
    allow(perm.can_read_register(user()))
    proc = found(db.session.scalar(select(Procedure).where(Procedure.code == code)) if "\x00" not in code else None)
    if proc.issued_revision is None:
        allow(perm.can_view_draft(user(), proc))
    return proc


def _conditional(payload: dict, etag: str):
    response = jsonify(payload)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


def _text(proc: Procedure, revision: str, blob: str | None, variant: str, issue=None):
    doc, rendered = views.document_at(proc.code, revision, blob)
    payload = TextSchema().dump({
        "code": proc.code, "variant": variant, "revision": revision,
        "issue_number": issue.number if issue else None, "effective_on": issue.effective_on if issue else None,
        "markdown": doc.body, "html": rendered.html})
    return _conditional(payload, f"{variant}-{blob or revision}")


@blp.route("")
@blp.arguments(RegisterArgs, location="query")
@blp.response(200, ProcedurePage, headers=LINK_HEADER)
def register(args):
    """The register, with the filters and sort of the register page; drafts only for their unit"""
    allow(perm.can_read_register(user()))
    views.activate_due()  # as the register page does: issues whose effective date has come take over
    stmt = register_statement(user(), unit=args["unit"], status=args["status"], q=args["q"], sort=args["sort"])
    body, headers = numbered(paginate(stmt, args["page"], args["per_page"]))
    return body, 200, headers


@blp.route("/<code>")
@blp.response(200, ProcedureSchema)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
def one(code: str):
    """One procedure's register entry"""
    return _procedure(code)


@blp.route("/<code>/issued")
@blp.response(200, TextSchema, headers=ETAG_HEADER)
@blp.alt_response(304, "NOT_MODIFIED", success=True)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
def issued(code: str):
    """The issued text in force today, as Markdown and as HTML; ETag / If-None-Match give 304 when unchanged"""
    proc = _procedure(code)
    issue = proc.in_force_issue(local_today())
    if issue is None:  # never issued, or the first issue waits for its effective date
        raise ApiProblem(404, "not_issued")
    return _text(proc, issue.revision, issue.blob, "issued", issue)


@blp.route("/<code>/draft")
@blp.response(200, TextSchema, headers=ETAG_HEADER)
@blp.alt_response(304, "NOT_MODIFIED", success=True)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
def draft(code: str):
    """The text in preparation (the newest saved revision): for the owner unit, the secretary and leadership"""
    proc = _procedure(code)
    allow(perm.can_view_draft(user(), proc))
    return _text(proc, proc.current_revision, proc.current_blob, "draft")


@blp.route("/<code>/revisions")
@blp.response(200, RevisionList)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
def revisions(code: str):
    """Revisions newest first; those who may not see drafts see the issued revisions only"""
    return {"items": views.revisions(_procedure(code), user())}


@blp.route("/<code>/diff")
@blp.arguments(DiffArgs, location="query")
@blp.response(200, DiffSchema)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
def diff(args, code: str):
    """What changed between two revisions (default: the newest against the previous issue)"""
    proc = _procedure(code)
    revs = views.revisions(proc, user())
    if not revs:
        raise ApiProblem(404, "unknown_revision")
    new = views.find_revision(revs, args["to"] or revs[0].sha)
    old = views.find_revision(revs, args["from_"] or views.default_from(revs))
    if new is None or old is None:
        raise ApiProblem(404, "unknown_revision")
    old_text, new_text = core.store().diff(proc.code, old.sha, new.sha)
    added, removed = diff_stats(old_text, new_text)
    return {"code": proc.code, "from": old.sha, "to": new.sha, "added": added, "removed": removed,
            "unified": core.store().unified_diff(proc.code, old.sha, new.sha)}


@blp.route("/<code>/in-force")
@blp.arguments(InForceArgs, location="query")
@blp.response(200, InForceSchema)
@blp.alt_response(403, "FORBIDDEN")
@blp.alt_response(404, "NOT_FOUND")
def in_force(args, code: str):
    """Which issue was in force on a date, read from the store's issue and withdrawal tags"""
    proc = _procedure(code)
    on: date = args["on"] or local_today()
    issue = core.store().in_force_on(proc.code, on)
    return {"code": proc.code, "on": on, "in_force": issue is not None,
            "issue": None if issue is None else {"number": issue.number, "revision": issue.revision,
                                                 "effective_on": issue.effective_on,
                                                 "approver_name": issue.approver_name, "message": issue.message}}
