"""Markdown rendering, sanitising, caching and readable diffs for procedure documents (no Flask)."""

from app.render.cache import RenderCache, render_cache, render_cached
from app.render.diff import DiffLine, diff_stats, render_inline, render_side_by_side, word_diff
from app.render.readable import readable_text
from app.render.document import Rendered, TocEntry, render_markdown
from app.render.sanitize import sanitize_html
from app.render.slug import slugify

__all__ = [
    "DiffLine", "RenderCache", "Rendered", "TocEntry",
    "diff_stats", "render_cache", "render_cached", "render_inline", "render_markdown",
    "readable_text", "render_side_by_side", "sanitize_html", "slugify", "word_diff",
]
