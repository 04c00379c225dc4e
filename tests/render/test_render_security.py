"""Every known XSS vector in a document must come out of render_markdown inert."""

import re

import pytest

from app.render import render_markdown
from tests.render.html_probe import probe

VECTORS = {
    "script tag": "<script>alert(1)</script>",
    "uppercase external script": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror self-closing": '<img src="x" alt="a" onerror="alert(1)"/>',
    "raw javascript link": '<a href="javascript:alert(1)">x</a>',
    "mixed-case javascript link": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "entity-encoded javascript link": '<a href="&#106;avascript:alert(1)">x</a>',
    "tab inside javascript scheme": '<a href="java\tscript:alert(1)">x</a>',
    "tab entity inside scheme": '<a href="java&#9;script:alert(1)">x</a>',
    "newline entity inside scheme": '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "data link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "onclick attribute": '<p onclick="alert(1)">bấm</p>',
    "style attribute on link": '<a href="https://ok.example" style="color:red" onmouseover="alert(1)">ok</a>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style element": "<style>body{display:none}</style>",
    "svg onload": "<svg onload=alert(1)>",
    "script inside svg": "<svg><script>alert(1)</script></svg>",
    "mathml mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "html comment": "<!-- <script>alert(1)</script> -->",
    "details ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "form action": '<form action="javascript:alert(1)"><button>x</button></form>',
    "object data": '<object data="javascript:alert(1)"></object>',
    "embed src": "<embed src=javascript:alert(1)>",
    "base href": '<base href="javascript:/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "markdown javascript link": "[x](javascript:alert(1))",
    "markdown javascript link with title": '[x](  javascript:alert(1) "tiêu đề")',
    "markdown angle-bracket link": "[x](<javascript:alert(1)>)",
    "markdown entity-encoded link": "[x](&#106;avascript:alert(1))",
    "markdown data link": "[x](data:text/html,<script>alert(1)</script>)",
    "markdown javascript image": "![x](javascript:alert(1))",
    "markdown data image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "reference-style link": "[x][r]\n\n[r]: javascript:alert(1)",
    "reference-style image": "![x][i]\n\n[i]: data:image/png;base64,AAAA",
    "javascript autolink": "<javascript:alert(1)>",
    "quote-breaking autolink": '<https://evil.example" onmouseover="alert(1)>',
    "fenced code info string": "```js onload=alert(1)\nx\n```",
    "payload in heading": "## <img src=x onerror=alert(1)> Tiêu đề <script>alert(1)</script>",
}

FORBIDDEN_TAGS = {"script", "iframe", "style", "svg", "math", "object", "embed", "form", "base",
                  "meta", "link", "details", "button"}
URL_ATTRIBUTES = {"href", "src", "action", "data", "formaction"}
# What a browser's URL parser discards (WHATWG URL): C0 controls and spaces at either end,
# tabs and newlines anywhere.
_EDGE_JUNK = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def assert_inert(html: str) -> None:
    found = probe(html)
    assert not found.comments
    for tag, attributes in found.elements:
        assert tag not in FORBIDDEN_TAGS
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style"
            if name in URL_ATTRIBUTES:
                url = _TAB_OR_NEWLINE.sub("", _EDGE_JUNK.sub("", value)).lower()
                assert not url.startswith(("javascript:", "vbscript:", "data:")), (tag, value)
    lowered = html.lower()
    for opener in ("<script", "<iframe", "<style", "<svg", "<math", "<object", "<embed", "<!--"):
        assert opener not in lowered


@pytest.mark.parametrize("source", VECTORS.values(), ids=VECTORS.keys())
def test_xss_vector_renders_inert(source):
    rendered = render_markdown(source)

    assert_inert(rendered.html)
    assert_inert(rendered.toc_html)


# In these the payload is never visible text, so not even its words may survive. (A tab in
# "java\tscript:" is expanded to spaces by Markdown, which leaves a harmless relative URL.)
_SPELLED_AS_TEXT = {"quote-breaking autolink", "fenced code info string", "tab inside javascript scheme"}
_WORD_FREE = [name for name in VECTORS if name not in _SPELLED_AS_TEXT]


@pytest.mark.parametrize("name", _WORD_FREE)
def test_payload_words_do_not_survive_anywhere_in_the_output(name):
    lowered = render_markdown(VECTORS[name]).html.lower()

    for word in ("javascript:", "vbscript:", "onerror", "onload", "onclick", "onmouseover", "ontoggle"):
        assert word not in lowered


def test_quote_breaking_autolink_keeps_the_payload_as_text_only():
    html = render_markdown(VECTORS["quote-breaking autolink"]).html

    (tag, attributes), = probe(html).elements[1:]
    assert tag == "a" and set(attributes) <= {"href", "rel"}


def test_tab_split_javascript_scheme_ends_up_as_a_harmless_relative_link():
    html = render_markdown(VECTORS["tab inside javascript scheme"]).html

    (_, attributes), = probe(html).elements[1:]
    # Browsers drop tabs from URLs but not spaces, so "java   script:" has no scheme at all.
    assert "href" not in attributes or " " in attributes["href"]


def test_toc_of_a_heading_payload_holds_only_escaped_plain_text():
    rendered = render_markdown(VECTORS["payload in heading"])

    # The toc takes the heading's text before sanitising, so the script's *text* may show.
    assert "<" not in rendered.toc[0].title
    assert "Tiêu đề" in rendered.toc[0].title
    assert [tag for tag, _ in probe(rendered.toc_html).elements] == ["ul", "li", "a"]


def test_heading_ids_written_in_raw_html_must_look_like_slugs():
    html = render_markdown('<h2 id="x onclick=alert(1)">a</h2><h2 id="muc-hop-le">b</h2>').html

    assert '<h2>a</h2>' in html
    assert '<h2 id="muc-hop-le">b</h2>' in html


def test_script_text_inside_inline_code_is_shown_escaped():
    html = render_markdown("Không dùng `<script>alert(1)</script>` trong tài liệu.").html

    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in html
