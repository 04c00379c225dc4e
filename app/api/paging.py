"""Pages of the API: the envelope {items, total, page, per_page, pages, links} and an RFC 8288 Link header."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import request

from app.pagination import Page


def url_with(**changes) -> str:
    """This request's URL with some query arguments changed (None removes one)."""
    args = {k: v for k, v in request.args.items(multi=False)}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    query = urlencode(args)
    return request.path + (f"?{query}" if query else "")


def link_header(links: dict) -> str:
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self")


def numbered(page: Page) -> tuple[dict, dict]:
    """(body fields, headers) of a numbered page."""
    links = {"self": url_with(page=page.page), "first": url_with(page=1), "last": url_with(page=page.pages),
             "next": url_with(page=page.page + 1) if page.has_next else None,
             "prev": url_with(page=page.page - 1) if page.has_prev else None}
    body = {"items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page,
            "pages": page.pages, "links": links}
    return body, {"Link": link_header(links)}
