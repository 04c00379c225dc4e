"""Shared pieces of the API's schemas: UTC times, links, query arguments that ignore unknown keys."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from app.timeutil import as_utc

MAX_TEXT = 10_000


class UtcDateTime(fields.DateTime):
    """ISO 8601 in UTC; SQLite hands back naive values that are UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return as_utc(value).isoformat()


# no text may hold NUL: PostgreSQL refuses it, and no person types it
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="NUL characters are not allowed")


def text(*validators, **kwargs) -> fields.String:
    """A string of a request body, documented (and checked) as free of NUL characters."""
    return fields.String(validate=[*validators, NO_NUL], **kwargs)


class Query(ma.Schema):
    """Query arguments: unknown ones are ignored, as browsers and proxies add their own; a NUL in a filter
    means nothing, so it is dropped rather than refused."""

    class Meta:
        unknown = ma.EXCLUDE

    @ma.pre_load
    def _drop_nul(self, data, **kwargs):
        return {key: (value.replace("\x00", "") if isinstance(value, str) else value)
                for key, value in data.items()}


class Body(ma.Schema):
    """Request bodies: an unknown field is an error, so that a typo never passes silently."""

    class Meta:
        unknown = ma.RAISE


class Out(ma.Schema):
    """Responses: the document says exactly which fields come back."""

    class Meta:
        unknown = ma.RAISE


class LinksSchema(Out):
    self_ = fields.String(data_key="self", attribute="self", required=True)
    first = fields.String(allow_none=True)
    last = fields.String(allow_none=True)
    next = fields.String(allow_none=True)
    prev = fields.String(allow_none=True)


class PageArgs(Query):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


def page_schema(name: str, item) -> type[Out]:
    """The envelope of a numbered page of `item`."""
    return type(name, (Out,), {
        "items": fields.List(fields.Nested(item), required=True),
        "total": fields.Integer(required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "pages": fields.Integer(required=True),
        "links": fields.Nested(LinksSchema, required=True),
    })


LINK_HEADER = {"Link": {"description": "RFC 8288 links to the next, previous, first and last pages",
                        "schema": {"type": "string"}}}
ETAG_HEADER = {"ETag": {"description": "Identifies the exact text; send it back as If-None-Match",
                        "schema": {"type": "string"}}}
