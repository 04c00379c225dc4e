"""Result rows: HTML titles and snippets with <mark> around query matches found in folded text."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from app.search.analysis import FOLD_TABLE, TOKEN_RE, fold, tone_key
from app.search.models import Hit
from app.search.query import HighlightTerms

SNIPPET_CHARS = 240
FRAGMENT_SPAN = 160  # matches further apart than this go into separate fragments
CONTEXT_CHARS = 50
MAX_FRAGMENTS = 2
ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")
# Markdown that reads as noise in a one-line snippet: table rules, heading marks, bold marks, cell bars.
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", re.MULTILINE)
_HEADING = re.compile(r"^\s*#{1,6}\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*\*|__")
_CELL_BARS = re.compile(r"\s*\|\s*(?:\|\s*)*")


@lru_cache(maxsize=512)
def plain_text(markdown: str) -> str:
    """The body as a reader sees it, for snippets: no table rules, heading or bold marks; cells split by "·"."""
    text = _TABLE_RULE.sub("", markdown)
    text = _HEADING.sub("", text)
    text = _EMPHASIS.sub("", text)
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|"):
            stripped = _CELL_BARS.sub(" · ", stripped.strip("|").strip())
        lines.append(stripped)
    return "\n".join(lines)


# Query terms are found by one regular expression over the folded text, instead of a Python loop
# over every token (which took 2 ms per hit). Boundaries follow analysis.TOKEN_PATTERN: a match may
# not start or end inside a token; words in a phrase may be separated by anything that is not a token.
_BEFORE = r"(?<![^\W_])(?<![^\W_]\.)"
_AFTER = r"(?![^\W_])(?!\.[^\W_])"
_SEPARATOR = r"[\W_]+"


# Query terms spell a final y after consonants as i ("ki"); the text keeps either, so the pattern does.
_FINAL_I = re.compile(r"^((?:[bcdghklmnprstvx]+|qu))i$")


def _word(term: str) -> str:
    m = _FINAL_I.match(term)
    return re.escape(m.group(1)) + "[iy]" if m else re.escape(term)


@lru_cache(maxsize=512)
def _folded_chars(text: str) -> str:
    """Lowercase, diacritics removed, same length; the bodies of hits recur from query to query."""
    return text.translate(FOLD_TABLE)


@lru_cache(maxsize=256)
def _pattern(terms: HighlightTerms) -> re.Pattern:
    phrases = sorted((_SEPARATOR.join(map(_word, p)) for p in terms.phrases), key=len, reverse=True)
    words = sorted(map(_word, terms.words), key=len, reverse=True)
    prefixes = [re.escape(p) + r"[^\W_]*(?:\.[^\W_]+)*" for p in terms.prefixes]
    return re.compile(_BEFORE + "(?:" + "|".join(phrases + words + prefixes) + ")" + _AFTER)


def _spelled_as_typed(original: str, folded: str, exact: dict[str, frozenset[str]]) -> bool:
    """Every word of a match that was typed with diacritics appears here in that spelling."""
    words = TOKEN_RE.findall(folded)
    if not any(w in exact for w in words):
        return True
    return all(w not in exact or tone_key(o) in exact[w] for w, o in zip(words, TOKEN_RE.findall(original)))


def match_spans(text: str, terms: HighlightTerms, strict: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, folded match) for every occurrence of a query term, phrases only as phrases.

    *strict*: words typed with diacritics are marked only where spelled so ("bộ", not "bố").
    """
    if not text or not terms:
        return []
    exact = dict(terms.exact) if strict else {}
    spans: list[tuple[int, int, str]] = []
    # Bodies repeat the same few spellings ("đăng", "đang", "đáng"): judge each once.
    canonical: dict[str, str] = {}
    typed: dict[str, bool] = {}
    for m in _pattern(terms).finditer(_folded_chars(text)):
        start, end = m.span()
        raw = m.group()
        group = canonical.get(raw) or canonical.setdefault(raw, fold(raw))  # final y as i, as the terms
        if exact:
            original = text[start:end]
            ok = typed.get(original)
            if ok is None:
                ok = typed[original] = _spelled_as_typed(original, group, exact)
            if not ok:
                continue
        if spans and text[spans[-1][1]:start].isspace():
            # One mark around "Đăng ký" reads better than two around each word.
            last = spans[-1]
            spans[-1] = (last[0], end, f"{last[2]} {group}")
        else:
            spans.append((start, end, group))
    if terms.paired and any(" " in s[2] for s in spans):
        # "đánh giá nội bộ" marked where it stands, not every stray "bộ" of "toàn bộ" around it.
        spans = [s for s in spans if " " in s[2] or s[2] not in terms.paired]
    return spans


def _render(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = start
    for s, e, _ in spans:
        if e <= start or s >= end:
            continue
        out.append(_SPACES.sub(" ", escape(text[pos:s], quote=False)))
        out.append("<mark>" + escape(text[s:e], quote=False) + "</mark>")
        pos = e
    out.append(_SPACES.sub(" ", escape(text[pos:end], quote=False)))
    return "".join(out)


def highlight_all(text: str, terms: HighlightTerms, strict: bool = False) -> str:
    """The whole (short) text, escaped, with matches marked: for titles."""
    return _render(text, 0, len(text), match_spans(text, terms, strict))


def _word_bounds(text: str, left: int, right: int, lo: int, hi: int) -> tuple[int, int]:
    """Widen [lo, hi) by context but cut at spaces, never mid-word."""
    if left > 0:
        space = _SPACES.search(text, left, lo)
        left = space.end() if space else lo
    if right < len(text):
        tail = text[hi:right]
        space = max(tail.rfind(c) for c in " \n\t")
        right = hi + space if space != -1 else hi
    return left, right


def lead(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The beginning of *text*, escaped, for a hit whose body has no visible match."""
    text = text.strip()
    if len(text) <= limit:
        return _SPACES.sub(" ", escape(text, quote=False))
    cut = text[:limit]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else cut
    return _SPACES.sub(" ", escape(cut, quote=False)).rstrip() + " " + ELLIPSIS


def _clusters(spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Runs of matches each within FRAGMENT_SPAN characters of the run's first one."""
    clusters: list[list[tuple[int, int, str]]] = []
    for span in spans:
        if clusters and span[1] - clusters[-1][0][0] <= FRAGMENT_SPAN:
            clusters[-1].append(span)
        else:
            clusters.append([span])
    return clusters


def _cover(cluster: list[tuple[int, int, str]]) -> tuple[int, int]:
    """(distinct query words shown, words shown side by side as typed): how well a passage answers."""
    words = {w for s in cluster for w in s[2].split()}
    together = max(len(s[2].split()) for s in cluster)
    return len(words), together


def snippet(text: str, terms: HighlightTerms, strict: bool = False) -> str | None:
    """Up to MAX_FRAGMENTS escaped fragments around the passages where the query's words occur together.

    None if nothing matched. A passage showing more distinct query words wins, then one where more of
    them stand side by side, then more matches, then the earlier one.
    """
    return _snippet(text, match_spans(text, terms, strict))


def _snippet(text: str, spans: list[tuple[int, int, str]]) -> str | None:
    if not spans:
        return None
    clusters = _clusters(spans)
    covers = [_cover(c) for c in clusters]
    ranked = sorted(
        range(len(clusters)),
        key=lambda i: (-covers[i][0], -covers[i][1], -len(clusters[i]), i),
    )
    # A second fragment only when it adds words the best one lacks or shows as much as it does.
    best = ranked[0]
    ranked = [best] + [i for i in ranked[1:MAX_FRAGMENTS] if covers[i][0] >= covers[best][0]
                       or {w for s in clusters[i] for w in s[2].split()}
                       - {w for s in clusters[best] for w in s[2].split()}]
    parts: list[str] = []
    for i in sorted(ranked):
        cluster = clusters[i]
        lo, hi = cluster[0][0], cluster[-1][1]
        left, right = _word_bounds(text, max(0, lo - CONTEXT_CHARS), min(len(text), hi + CONTEXT_CHARS), lo, hi)
        body = _render(text, left, right, cluster).strip()
        parts.append((ELLIPSIS + " " if left > 0 else "") + body + (" " + ELLIPSIS if right < len(text) else ""))
    # Adjacent fragments each carry their own ellipsis; collapse the doubled one between them.
    return " ".join(parts).replace(f"{ELLIPSIS} {ELLIPSIS}", ELLIPSIS)


def make_hit(stored: dict, score: float | None, terms: HighlightTerms, shadowed: set[str],
             strict: bool = False) -> Hit:
    """A result row from a document's stored fields, with its title and snippet highlighted."""
    body = plain_text(stored.get("body") or "")
    title = stored.get("title") or ""
    legal = "; ".join(stored.get("legal") or [])
    snippet_html = _best_snippet(body, legal, terms, strict) or lead(body)
    return Hit(
        code=stored["code"],
        variant=stored["variant"],
        title=title,
        unit=stored.get("unit") or "",
        status=stored.get("status") or "",
        score=score,
        snippet_html=snippet_html,
        title_html=highlight_all(title, terms, strict),
        updated_at=stored.get("updated_at"),
        draft_also_matches=stored["variant"] == "issued" and stored["code"] in shadowed,
    )


def _best_snippet(body: str, legal: str, terms: HighlightTerms, strict: bool) -> str | None:
    """The body's best passage, unless the legal-basis list shows more of the query's words together."""
    candidates = []
    for text in (body, legal):
        spans = match_spans(text, terms, strict)
        if spans:
            candidates.append((max(_cover(c) for c in _clusters(spans)), text, spans))
    if not candidates:
        return None
    _, text, spans = max(candidates, key=lambda c: c[0])  # ties keep the body (max returns the first)
    return _snippet(text, spans)
