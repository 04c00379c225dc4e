"""Parse a search-box string into clauses and highlight terms, degrading instead of failing."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from app.search.analysis import _KIND_WORDS, REF_TYPED, TOKEN_RE, analyze, fold, ref_key
from app.search.models import QueryError, nfc

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 256
MAX_CLAUSES = 12
MAX_PHRASE_WORDS = 16
# Shorter prefixes expand to most of the vocabulary.
MIN_PREFIX = 2

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A quoted phrase (closed or running to the end), a parenthesis, or a run of anything else.
_LEXER = re.compile(r'"([^"]*)("?)|([()])|([^\s"()]+)')
_OPERATORS = {"AND": "AND", "OR": "OR", "NOT": "NOT", "&&": "AND", "||": "OR", "!": "NOT"}


@dataclass(frozen=True)
class Clause:
    """One word, phrase or prefix of the query, with its index terms precomputed."""

    # "text" (a word or phrase; several tokens are matched as a phrase), "prefix", or "ref" (a legal
    # reference such as "Nghị định 61": text is its key "nd:61", folded its numbers for highlighting)
    kind: str
    text: str
    folded: tuple[str, ...]
    exact: tuple[str, ...]
    # The whole clause as a procedure code ("qt-vp-01"), when it has no spaces.
    code: str | None

    @classmethod
    def make(cls, kind: str, text: str) -> Clause | None:
        if kind == "ref":
            numbers = tuple(text.split(":", 1)[1].split("/"))
            return cls(kind, text, numbers, numbers, None)
        folded = analyze("content_folded", text)[:MAX_PHRASE_WORDS]
        if not folded:
            return None
        exact = analyze("content_tone", text)[:MAX_PHRASE_WORDS]
        code = None if any(c.isspace() for c in text) else text.casefold()
        return cls(kind, text, folded, exact, code)

    @property
    def accented(self) -> tuple[bool, ...]:
        """Per word: typed with diacritics, so the accent-exact spelling is what is wanted."""
        return tuple(e != f for f, e in zip(self.folded, self.exact))

    @property
    def pairs(self) -> tuple[str, ...]:
        """Adjacent folded word pairs, as the ``pairs`` field indexes them."""
        return tuple(f"{a} {b}" for a, b in zip(self.folded, self.folded[1:]))


@dataclass(frozen=True)
class HighlightTerms:
    """Folded terms to mark in result text: single words, word sequences, prefixes."""

    words: frozenset[str] = frozenset()
    phrases: frozenset[tuple[str, ...]] = frozenset()
    prefixes: tuple[str, ...] = ()
    # Folded word -> the accent-exact spellings (tone keys) typed for it; marks only those when strict.
    exact: tuple[tuple[str, frozenset[str]], ...] = ()
    # Words typed next to another word: marked alone only when the text nowhere shows them together.
    paired: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases or self.prefixes)


@dataclass(frozen=True)
class ParsedQuery:
    """AND of OR-groups of clauses, minus the negatives; empty when there is nothing to search."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    negatives: tuple[Clause, ...] = ()
    highlight: HighlightTerms = field(default_factory=HighlightTerms)
    notices: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def adjacent_pairs(self) -> tuple[str, ...]:
        """Pairs of consecutive one-word clauses ("đăng ký" unquoted): a bonus when adjacent in the text."""
        singles = [g[0].folded[0] if len(g) == 1 and len(g[0].folded) == 1 and g[0].kind == "text" else None
                   for g in self.groups]
        return tuple(f"{a} {b}" for a, b in zip(singles, singles[1:]) if a and b)


def _clean(text: str, notices: list[str]) -> str:
    text = _CONTROL.sub(" ", nfc(text)).translate(_QUOTES).strip()
    if len(text) > MAX_QUERY_CHARS:
        notices.append("truncated")
        cut = text[:MAX_QUERY_CHARS]
        # Cut at a space so the last word is not searched as a fragment.
        text = cut.rsplit(None, 1)[0] if " " in cut else cut
    return text


_REF_MARK = "\u241e"  # a symbol no one types; wraps a recognised legal reference for the lexer


def _mark_refs(text: str) -> str:
    """Replace "Nghị định (số) 61(/2018)" outside quotes by one lexer word holding its key."""
    parts = text.split('"')
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = REF_TYPED.sub(
            lambda m: " " + _REF_MARK + ref_key(_KIND_WORDS[m.group(1).lower()], m.group(2), m.group(3))
            + _REF_MARK + " ", parts[i])
    return '"'.join(parts)


def _lex(text: str, notices: list[str]) -> list[tuple[str, str]]:
    """Entries ("op", AND|OR|NOT), ("text", s) or ("prefix", stem)."""
    entries: list[tuple[str, str]] = []
    for m in _LEXER.finditer(text):
        phrase, closing, paren, word = m.groups()
        if paren:
            notices.append("ignored_syntax")
        elif phrase is not None:
            if closing:
                entries.append(("text", phrase))
            else:
                notices.append("unclosed_quote")
                entries.extend(("text", w) for w in phrase.split())
        elif word.startswith(_REF_MARK) and word.endswith(_REF_MARK) and len(word) > 2:
            entries.append(("ref", word.strip(_REF_MARK)))
        elif word in _OPERATORS:
            entries.append(("op", _OPERATORS[word]))
        else:
            negated = word.startswith("-") and len(word) > 1
            word = word.lstrip("-+") if negated or word.startswith("+") else word
            kind = "text"
            # Only "*" marks a prefix: a trailing "?" is usually a question ("... là gì?").
            if word.endswith("*"):
                word = word.rstrip("*")
                if not TOKEN_RE.search(word):
                    notices.append("ignored_syntax")
                    continue
                if len(fold(word).strip()) < MIN_PREFIX:
                    # "s*" would stand for a few hundred words; dropped, as when typed half-way.
                    notices.append("short_prefix")
                    continue
                kind = "prefix"
            if negated:
                entries.append(("op", "NOT"))
            entries.append((kind, word))
    return entries


def _highlight_terms(clauses: list[Clause]) -> HighlightTerms:
    words: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    prefixes: set[str] = set()
    exact: dict[str, set[str]] = {}
    for clause in clauses:
        tokens = clause.folded
        if clause.kind == "ref":
            (words if len(tokens) == 1 else phrases).add(tokens[0] if len(tokens) == 1 else tokens)
            continue
        if clause.kind == "text":
            for f, e, accented in zip(clause.folded, clause.exact, clause.accented):
                if accented:
                    exact.setdefault(f, set()).add(e)
        if clause.kind == "prefix":
            words.update(tokens[:-1])
            (prefixes if len(tokens[-1]) >= MIN_PREFIX else words).add(tokens[-1])
        elif len(tokens) == 1:
            words.add(tokens[0])
        else:
            phrases.add(tokens)
    # A word typed both with and without diacritics matches any spelling.
    plain = {f for c in clauses for f, a in zip(c.folded, c.accented) if not a or c.kind != "text"}
    strict = tuple(sorted((f, frozenset(keys)) for f, keys in exact.items() if f not in plain))
    return HighlightTerms(frozenset(words), frozenset(phrases), tuple(sorted(prefixes)), strict)


def _build(entries: list[tuple[str, str]], notices: list[str]) -> ParsedQuery:
    groups: list[list[Clause]] = []
    negatives: list[Clause] = []
    pending_or = pending_not = False
    used = 0
    for kind, value in entries:
        if kind == "op":
            if value == "OR":
                pending_or = bool(groups)
            elif value == "NOT":
                pending_not = True
            continue
        if used >= MAX_CLAUSES:
            notices.append("truncated")
            break
        clause = Clause.make(kind, value)
        if clause is None:
            pending_or = pending_not = False
            continue
        used += 1
        if pending_not:
            negatives.append(clause)
        elif pending_or:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        pending_or = pending_not = False

    if not groups:
        operators = [("text", value) for kind, value in entries if kind == "op"]
        if operators and len(operators) == len(entries):
            # A query made only of operators ("AND OR") is more likely words than syntax.
            return _build(operators, notices)
        if entries:
            notices.append("no_terms")
        return ParsedQuery(notices=tuple(dict.fromkeys(notices)))
    highlight = _highlight_terms([clause for group in groups for clause in group])
    singles = [g[0].folded[0] if len(g) == 1 and g[0].kind == "text" and len(g[0].folded) == 1 else None
               for g in groups]
    paired = {w for i, w in enumerate(singles) if w and any(
        0 <= j < len(singles) and singles[j] for j in (i - 1, i + 1))}
    if paired:
        highlight = replace(highlight, paired=frozenset(paired))
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(negatives), highlight,
                       tuple(dict.fromkeys(notices)))


def parse_query(text: str | None) -> ParsedQuery:
    """Parse *text*; raises only QueryError, and only when even a plain-word search is impossible."""
    if text is None:
        return ParsedQuery()
    if not isinstance(text, str):
        raise QueryError("Từ khoá tìm kiếm phải là văn bản.", "not_text")
    # Still longer than MAX_QUERY_CHARS, so the "truncated" notice survives; keeps cache keys small.
    return _parse_cached(text[: MAX_QUERY_CHARS * 2])


# Parsed queries are immutable, and users repeat the same few searches.
@lru_cache(maxsize=512)
def _parse_cached(text: str) -> ParsedQuery:
    notices: list[str] = []
    try:
        cleaned = _clean(text, notices)
        if not cleaned:
            return ParsedQuery()
        return _build(_lex(_mark_refs(cleaned), notices), notices)
    except Exception:
        log.exception("query parse failed, falling back to plain words: %r", text[:MAX_QUERY_CHARS])
    try:
        # No syntax at all: every word must match.
        words = TOKEN_RE.findall(fold(_clean(text, [])))
        return _build([("text", w) for w in words], ["ignored_syntax"])
    except Exception as exc:
        raise QueryError("Không hiểu được từ khoá tìm kiếm; hãy thử các từ đơn giản hơn.") from exc
