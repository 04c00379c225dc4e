"""The nh3 (ammonia) allow-list that makes rendered Markdown safe to put on a page."""

import re

import nh3

TABLE_CLASSES = "table table-bordered table-sm"

ALLOWED_TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6",
    "p", "br", "hr", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td",
    "strong", "em", "code", "pre", "blockquote",
    "a", "img", "del", "sup", "sub", "mark",
})

# Tags whose *content* goes too: the text inside <script>/<style> is code, not prose,
# and leaving it behind as visible text would only confuse readers.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "noscript", "template", "svg", "math",
})

# No "style", "class" (except fenced-code languages) or event handlers anywhere.
_ATTRIBUTES = {
    **{h: {"id"} for h in ("h1", "h2", "h3", "h4", "h5", "h6")},
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "code": {"class"},
}

# `tag_attribute_values` is ammonia's own per-value allow-list; "align" is what the
# tables extension emits with use_align_attribute=True instead of a style attribute.
_ALIGN = {"left", "right", "center"}
_ATTRIBUTE_VALUES = {"th": {"align": _ALIGN}, "td": {"align": _ALIGN}}

URL_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Slugs from app.render.slug, so raw-HTML headings cannot smuggle odd ids
# (DOM clobbering of names such as "__proto__" is harmless, but arbitrary text is not needed).
_ID = re.compile(r"^[\w-]{1,120}$", re.UNICODE)
_SMALL_INT = re.compile(r"^[1-9][0-9]{0,3}$")
_CODE_LANGUAGE = re.compile(r"^language-[\w+#.-]{1,40}$", re.UNICODE)


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """Second line of defence after the allow-list: validate attribute *values*."""
    if attr == "id":
        return value if _ID.match(value) else None
    if attr in ("colspan", "rowspan", "start"):
        return value if _SMALL_INT.match(value.strip()) else None
    if attr == "class":
        # The filter also sees the class the cleaner itself sets on <table>.
        if tag == "table":
            return value if value == TABLE_CLASSES else None
        return value if _CODE_LANGUAGE.match(value) else None
    if tag == "img" and attr == "src":
        # url_schemes is shared by href and src; "mailto:" is no image source.
        match = _SCHEME.match(value)
        if match and match.group(1).lower() not in _IMAGE_SCHEMES:
            return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in _ATTRIBUTES.items()},
    tag_attribute_values=_ATTRIBUTE_VALUES,
    attribute_filter=_filter_attribute,
    # Bootstrap styling is added by the sanitiser itself, after any author-supplied
    # class was discarded, so authors cannot inject classes of their own.
    set_tag_attribute_values={"table": {"class": TABLE_CLASSES}},
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
    link_rel="noopener noreferrer",
)


def sanitize_html(html: str) -> str:
    """Return *html* with everything outside the allow-list removed."""
    return _CLEANER.clean(html)
