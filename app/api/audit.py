"""/api/v1/audit and /api/v1/search: the committee's timeline (keyset pages), the verification verdict, search."""
from __future__ import annotations


from marshmallow import fields, validate
from sqlalchemy import false

from app.api.access import allow, user
from app.api.core import blueprint
from app.api.paging import link_header, url_with
from app.api.problems import ApiProblem
from app.api.schemas import LINK_HEADER, LinksSchema, Out, Query, UtcDateTime
from app.audit import integrity, timeline
from app.auth import permissions as perm
from app.procedures import core, views
from app.procedures.queries import search_draft_units
from app.search import QueryError

blp = blueprint("api_audit", "/audit", "Lịch sử kiểm tra được (Ban Chỉ đạo ISO) / Audit history")
search_blp = blueprint("api_search", "/search", "Tìm kiếm quy trình / Search")


class TimelineArgs(Query):
    from_ = fields.Date(data_key="from", load_default=None, metadata={"description": "First day (Hanoi calendar)"})
    to = fields.Date(load_default=None, metadata={"description": "Last day (Hanoi calendar)"})
    year = fields.Integer(load_default=None, validate=validate.Range(min=1901, max=2999))
    unit = fields.String(load_default="", validate=validate.Length(max=20))
    user = fields.String(load_default="", validate=validate.Regexp(r"^(|system|[0-9]{1,12})$"),
                         metadata={"description": "An actor's id, or 'system'"})
    kind = fields.String(load_default="", validate=validate.OneOf(["", *timeline.KINDS]))
    action = fields.String(load_default="", validate=validate.Length(max=60))
    after = fields.Integer(load_default=None, validate=validate.Range(min=1),
                           metadata={"description": "Keyset cursor: events older than this event id"})
    before = fields.Integer(load_default=None, validate=validate.Range(min=1),
                            metadata={"description": "Keyset cursor: events newer than this event id"})
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class EventSchema(Out):
    id = fields.Integer(required=True)
    occurred_at = UtcDateTime(required=True)
    actor_id = fields.Integer(allow_none=True)
    actor_name = fields.String(required=True)
    action = fields.String(required=True)
    object_type = fields.String(required=True)
    object_id = fields.String(required=True)
    unit_code = fields.String(allow_none=True)
    summary = fields.String(required=True)
    payload = fields.Function(lambda e: e.data, required=True, metadata={"type": "object"})
    prev_hash = fields.String(required=True)
    hash = fields.String(required=True)


class EventPage(Out):
    items = fields.List(fields.Nested(EventSchema), required=True)
    total = fields.Integer(required=True)
    links = fields.Nested(LinksSchema, required=True,
                          metadata={"description": "next: older events (?after=), prev: newer events (?before=)"})


class ChainSchema(Out):
    ok = fields.Boolean(required=True)
    count = fields.Integer(required=True)
    first_broken_id = fields.Integer(allow_none=True)
    reason = fields.String(required=True, metadata={"description": "link or content when broken"})
    checked_at = UtcDateTime(required=True)


class RewrittenSchema(Out):
    sha = fields.String(required=True)
    code = fields.String(required=True)
    reason = fields.String(required=True, validate=validate.OneOf([integrity.MISSING, integrity.NOT_ON_MAIN]))
    summary = fields.String(required=True)
    event_ids = fields.List(fields.Integer(), required=True)


class StoreCheckSchema(Out):
    ok = fields.Boolean(required=True)
    checked = fields.Integer(required=True)
    error = fields.String(required=True)
    problems = fields.List(fields.Nested(RewrittenSchema), required=True)


class VerificationSchema(Out):
    ok = fields.Boolean(required=True)
    chain = fields.Nested(ChainSchema, required=True)
    store = fields.Nested(StoreCheckSchema, required=True)


class SearchArgs(Query):
    q = fields.String(required=True, validate=validate.Length(min=1, max=500))
    unit = fields.String(load_default=None, validate=validate.Length(max=20))
    status = fields.String(load_default=None, validate=validate.OneOf(["draft", "issued", "withdrawn"]))
    sort = fields.String(load_default="relevance", validate=validate.OneOf(["relevance", "code"]))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=50))


class HitSchema(Out):
    code = fields.String(required=True)
    title = fields.String(required=True)
    unit = fields.String(required=True)
    status = fields.String(required=True)
    variant = fields.String(required=True, metadata={"description": "issued or draft"})
    snippet_html = fields.String(required=True)
    draft_also_matches = fields.Boolean(required=True)


class SearchSchema(Out):
    items = fields.List(fields.Nested(HitSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    notices = fields.List(fields.String(), required=True)
    links = fields.Nested(LinksSchema, required=True)


@blp.route("/events")
@blp.arguments(TimelineArgs, location="query")
@blp.response(200, EventPage, headers=LINK_HEADER)
@blp.alt_response(403, "FORBIDDEN")
def events(args):
    """The hash-chained timeline, newest first, by keyset pages (the committee, leadership, the secretary)"""
    allow(perm.can_read_audit(user()))
    filters = timeline.Filters.from_args({
        "from": args["from_"].isoformat() if args["from_"] else "", "to": args["to"].isoformat() if args["to"] else "",
        "year": str(args["year"] or ""), "unit": args["unit"], "user": args["user"], "kind": args["kind"],
        "action": args["action"]})
    clauses = filters.clauses()
    if args["from_"] and args["to"] and args["from_"] > args["to"]:
        clauses.append(false())  # an empty range holds no events (the page ignores such a filter with a warning)
    page = timeline.page(clauses, after=args["after"], before=args["before"], per_page=args["per_page"])
    links = {"self": url_with(), "first": url_with(after=None, before=None),
             "next": url_with(after=page.older, before=None) if page.older else None,
             "prev": url_with(before=page.newer, after=None) if page.newer else None}
    return {"items": page.items, "total": page.total, "links": links}, 200, {"Link": link_header(links)}


@blp.route("/verification")
@blp.response(200, VerificationSchema)
@blp.alt_response(403, "FORBIDDEN")
def verification():
    """The verdict of `qms audit-verify`: the hash chain, and every recorded commit still on the store's main"""
    allow(perm.can_read_audit(user()))
    chain = integrity.chain_status()
    store = integrity.store_status()
    report = chain.report
    return {"ok": report.ok and store.ok,
            "chain": {"ok": report.ok, "count": report.count, "first_broken_id": report.first_broken_id,
                      "reason": report.reason, "checked_at": chain.checked_at},
            "store": {"ok": store.ok, "checked": store.checked, "error": store.error or "",
                      "problems": [{"sha": p.sha, "code": p.code, "reason": p.reason, "summary": p.summary,
                                    "event_ids": list(p.event_ids)} for p in store.problems]}}


@search_blp.route("")
@search_blp.arguments(SearchArgs, location="query")
@search_blp.response(200, SearchSchema, headers=LINK_HEADER)
def search(args):
    """Full-text search, with or without Vietnamese diacritics; drafts only for those who may read them"""
    allow(perm.can_read_register(user()))
    views.activate_due()
    index = core.search_index()
    if index.needs_rebuild:
        from app.procedures.search_routes import _rebuild

        _rebuild(index)
    try:
        results = index.search(args["q"], unit=args["unit"], status=args["status"],
                               draft_units=search_draft_units(user()), sort=args["sort"], page=args["page"],
                               per_page=args["per_page"])
    except QueryError as exc:
        raise ApiProblem(422, "bad_query") from exc
    pages = max(1, -(-results.total // results.per_page))
    links = {"self": url_with(), "first": url_with(page=1),
             "next": url_with(page=results.page + 1) if results.page < pages else None,
             "prev": url_with(page=results.page - 1) if results.page > 1 else None}
    return ({"items": results.hits, "total": results.total, "page": results.page, "per_page": results.per_page,
             "notices": list(results.notices), "links": links}, 200, {"Link": link_header(links)})


