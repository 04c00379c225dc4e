"""Markdown -> sanitised HTML plus a table of contents, for procedure documents."""

import html
import threading
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

import markdown

from app.render.sanitize import sanitize_html
from app.render.slug import slugify


class TocEntry(NamedTuple):
    """One heading: level 1-6, the anchor id in the HTML and its plain-text title."""

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Rendered:
    """Result of rendering; shared between requests by the cache, so treat it as read-only."""

    html: str
    toc: list[TocEntry] = field(default_factory=list)
    toc_html: str = ""


# attr_list is deliberately absent: it would let authors write {onclick=...} or
# {style=...}; the sanitiser would strip them, but not giving authors the tool is simpler.
EXTENSIONS = ("tables", "toc", "fenced_code", "sane_lists")
EXTENSION_CONFIGS = {
    # "align" instead of style="text-align: ..." because style is not allowed.
    "tables": {"use_align_attribute": True},
    # The table of contents is returned separately; "[TOC]" in a document stays literal
    # so the page layout decides where the contents go.
    "toc": {"slugify": slugify, "marker": ""},
}

# markdown.Markdown keeps per-document state, so it is not safe to share between
# threads; building one costs more than reset(), hence one per thread.
_local = threading.local()


def _converter() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIGS)
        _local.md = md
    return md


def _flatten(tokens: list[dict], out: list[TocEntry]) -> list[TocEntry]:
    for token in tokens:
        # The toc extension gives the heading's text still HTML-escaped ("&amp;").
        out.append(TocEntry(token["level"], token["id"], html.unescape(token["name"])))
        _flatten(token["children"], out)
    return out


def _toc_list_html(tokens: list[dict]) -> str:
    if not tokens:
        return ""
    items = []
    for token in tokens:
        title = html.escape(html.unescape(token["name"]))
        href = html.escape("#" + token["id"])
        items.append(f'<li><a href="{href}">{title}</a>{_toc_list_html(token["children"])}</li>')
    return "<ul>" + "".join(items) + "</ul>"


def render_markdown(text: str) -> Rendered:
    """Render Markdown *text* to sanitised HTML with heading ids and a table of contents."""
    # NFC so that "trình" typed on a Mac (decomposed) and on Windows look and slug the same.
    text = unicodedata.normalize("NFC", text or "")
    md = _converter()
    try:
        raw = md.convert(text)
        tokens = md.toc_tokens
    finally:
        md.reset()
    return Rendered(
        html=sanitize_html(raw),
        toc=_flatten(tokens, []),
        # Built here from plain titles rather than taken from md.toc, so it never
        # carries author markup; titles are escaped, ids are slugs.
        toc_html=_toc_list_html(tokens),
    )
