"""Vietnamese analysis shared by indexing, querying and highlighting: NFC, lowercase, diacritic folding."""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import BiWordFilter, CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

# Whoosh's default pattern also keeps "*" and "_" inside words, so Markdown such as
# "**Quy trình**" would index "**quy"; letters and digits only, dotted runs kept ("5.1").
TOKEN_PATTERN = r"[^\W_]+(?:\.[^\W_]+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)

EXACT_ANALYZER = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
FOLDED_ANALYZER = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
# Adjacent folded words as one term ("dang ky"): two-word phrases without reading positions.
PAIRS_ANALYZER = FOLDED_ANALYZER | BiWordFilter(sep=" ")

FOLDED_FIELDS = ("content_folded", "title_folded", "code_text", "pairs")
EXACT_FIELDS = ("content_exact", "title_exact")


def build_schema() -> Schema:
    """Fields for matching (content_folded), ranking boosts, phrases (pairs) and display (stored).

    Only content_folded keeps positions (to confirm phrases of three words or more): term lists
    without positions read several times faster, and the ranker reads whole lists.
    """
    return Schema(
        key=ID(unique=True, stored=True),
        code=ID(stored=True, sortable=True),
        code_key=ID,
        code_text=TEXT(analyzer=FOLDED_ANALYZER, phrase=False),
        variant=ID(stored=True, sortable=True),
        unit=ID(stored=True),
        status=ID(stored=True),
        title=STORED,
        body=STORED,
        legal=STORED,
        updated_at=STORED,
        title_exact=TEXT(analyzer=EXACT_ANALYZER, phrase=False),
        title_folded=TEXT(analyzer=FOLDED_ANALYZER, phrase=False),
        content_exact=TEXT(analyzer=EXACT_ANALYZER, phrase=False),
        content_folded=TEXT(analyzer=FOLDED_ANALYZER),
        pairs=TEXT(analyzer=PAIRS_ANALYZER, phrase=False),
    )


SCHEMA = build_schema()


def _build_fold_table() -> dict[int, str]:
    """Per-character lowercase + fold that never changes the string's length.

    Highlighting finds matches in a folded copy and marks the same offsets in the original,
    so any character whose lowercase or fold is longer than one character is left as is.
    """
    table: dict[int, str] = {}
    for cp in set(range(0x2000)) | set(accent_map):
        ch = chr(cp)
        lowered = ch.lower()
        if len(lowered) != 1:
            continue
        folded = lowered.translate(accent_map)
        if len(folded) == 1 and folded != ch:
            table[cp] = folded
    return table


FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Lowercased, diacritic-free text of the same length as *text* (expects NFC)."""
    return text.translate(FOLD_TABLE)


def folded_tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded token, start, end) with offsets into *text*; agrees with FOLDED_ANALYZER."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(fold(text))]


@lru_cache(maxsize=4096)
def analyze(fieldname: str, text: str) -> tuple[str, ...]:
    """Word terms the schema's analyzer makes of query text (folded unless *fieldname* is an exact field)."""
    analyzer = EXACT_ANALYZER if fieldname in EXACT_FIELDS else FOLDED_ANALYZER
    return tuple(t.text for t in analyzer(text, mode="query"))
