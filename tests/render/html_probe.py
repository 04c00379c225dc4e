"""Parse rendered HTML the way a browser tokenizer would, to assert on real tags and attributes."""

from html.parser import HTMLParser


class _Probe(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)


def probe(html: str) -> _Probe:
    """Elements (tag, attributes with entities decoded) and comments found in *html*."""
    parser = _Probe()
    parser.feed(html)
    parser.close()
    return parser
