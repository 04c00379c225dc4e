"""Vietnamese analysis shared by indexing, querying and highlighting: NFC, lowercase, diacritic folding."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import BiWordFilter, CharsetFilter, Filter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

# Whoosh's default pattern also keeps "*" and "_" inside words, so Markdown such as
# "**Quy trình**" would index "**quy"; letters and digits only, dotted runs kept ("5.1").
TOKEN_PATTERN = r"[^\W_]+(?:\.[^\W_]+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)

# Vietnamese writes the same syllable several ways: "kí"/"ký", "lí"/"lý", "quí"/"quý" (i or y after a
# consonant), "hoà"/"hòa", "thuỷ"/"thủy" (old or new tone-mark placement), precomposed (NFC) or not (NFD).
# Terms are spelled one canonical way so that every variant finds the others.
_TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_TONE_RE = re.compile("[" + "".join(_TONES) + "]")
# A lone y after consonants ("ky", "quy", "my") is the same vowel as i; "uy" in "thuy" is another vowel.
_FINAL_Y = re.compile(r"^((?:[bcdđghklmnprstvx]+|qu))y$")
_FINAL_Y_IN_TEXT = re.compile(r"(?<![^\W_])((?:[bcdghklmnprstvx]+|qu))y(?![^\W_])")


@lru_cache(maxsize=65536)
def tone_key(word: str) -> str:
    """A lowercase word with its tone mark moved to the end as a digit: "hoà", "hòa" -> "hoa2".

    Keeps the other diacritics (â, ă, ê, ô, ơ, ư, đ), so "bộ" ("bô5") and "bố" ("bô1") stay apart.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = _TONE_RE.findall(decomposed)
    base = unicodedata.normalize("NFC", _TONE_RE.sub("", decomposed))
    base = _FINAL_Y.sub(r"\1i", base)
    return base + (_TONES[tones[-1]] if tones else "")


def fold_word(word: str) -> str:
    """A lowercase word without diacritics, with a final y after consonants as i: "Ký" -> "ki"."""
    return _FINAL_Y.sub(r"\1i", word.lower().translate(accent_map))


class ToneKeyFilter(Filter):
    """Accent-exact terms, spelled canonically (tone_key)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = tone_key(t.text)
            yield t


class FinalYFilter(Filter):
    """Folded terms with a final y after consonants written i (after CharsetFilter)."""

    def __call__(self, tokens):
        for t in tokens:
            if t.text.endswith("y"):
                t.text = _FINAL_Y.sub(r"\1i", t.text)
            yield t


EXACT_ANALYZER = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | ToneKeyFilter()
FOLDED_ANALYZER = RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map) | FinalYFilter()
# Adjacent folded words as one term ("dang ki"): two-word phrases without reading positions.
PAIRS_ANALYZER = FOLDED_ANALYZER | BiWordFilter(sep=" ")

FOLDED_FIELDS = ("content_folded", "title_folded", "code_text", "pairs")
EXACT_FIELDS = ("content_tone", "title_tone")


def build_schema() -> Schema:
    """Fields for matching (content_folded), ranking boosts, phrases (pairs) and display (stored).

    Only content_folded keeps positions (to confirm phrases of three words or more): term lists
    without positions read several times faster, and the ranker reads whole lists.
    """
    return Schema(
        key=ID(unique=True, stored=True),
        code=ID(stored=True, sortable=True),
        code_key=ID,
        refs=KEYWORD(lowercase=False, scorable=True),
        code_text=TEXT(analyzer=FOLDED_ANALYZER, phrase=False),
        variant=ID(stored=True, sortable=True),
        unit=ID(stored=True),
        status=ID(stored=True),
        title=STORED,
        body=STORED,
        legal=STORED,
        updated_at=STORED,
        title_tone=TEXT(analyzer=EXACT_ANALYZER, phrase=False),
        title_folded=TEXT(analyzer=FOLDED_ANALYZER, phrase=False),
        content_tone=TEXT(analyzer=EXACT_ANALYZER, phrase=False),
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
    """Lowercased, diacritic-free text of the same length as *text* (expects NFC); "ký" -> "ki"."""
    return _FINAL_Y_IN_TEXT.sub(r"\1i", text.translate(FOLD_TABLE))


def folded_tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded token, start, end) with offsets into *text*; agrees with FOLDED_ANALYZER."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(fold(text))]


@lru_cache(maxsize=4096)
def analyze(fieldname: str, text: str) -> tuple[str, ...]:
    """Word terms the schema's analyzer makes of query text (folded unless *fieldname* is an exact field)."""
    analyzer = EXACT_ANALYZER if fieldname in EXACT_FIELDS else FOLDED_ANALYZER
    return tuple(t.text for t in analyzer(text, mode="query"))


# ---- legal references ("Nghị định số 61/2018/NĐ-CP", "Thông tư 14/2014/TT-BKHCN", "Quyết định 101/QĐ-BKHCN")

_KINDS = {"nđ": "nd", "nd": "nd", "tt": "tt", "ttlt": "tt", "qđ": "qd", "qd": "qd", "qh": "luat"}
_KIND_WORDS = {"nghị định": "nd", "nghi dinh": "nd", "thông tư": "tt", "thong tu": "tt",
               "thông tư liên tịch": "tt", "thong tu lien tich": "tt", "quyết định": "qd", "quyet dinh": "qd",
               "luật": "luat", "luat": "luat", "nđ": "nd", "nd": "nd", "tt": "tt", "qđ": "qd", "qd": "qd"}
# 61/2018/NĐ-CP, 04/2011/QH13, 101/QĐ-BKHCN, 55/2015/TTLT-BTC-BKHCN
_REF_IN_TEXT = re.compile(r"(?<![\w/])(\d{1,4})(?:/(\d{4}))?/(NĐ|ND|TTLT|TT|QĐ|QD|QH)(?:\d*)(?:-[\wĐđ]+)*",
                          re.IGNORECASE)
_KIND_RE = "|".join(sorted((re.escape(k) for k in _KIND_WORDS), key=len, reverse=True))
# "Nghị định 61", "nghị định số 61/2018", "NĐ 61" typed by a user (or written so in a text).
REF_TYPED = re.compile(rf"(?<!\w)({_KIND_RE})\s+(?:số\s+|so\s+)?(\d{{1,4}})(?:/(\d{{4}}))?(?![\w/])",
                       re.IGNORECASE)


def ref_key(kind: str, number: str, year: str | None) -> str:
    return f"{kind}:{int(number)}" + (f"/{year}" if year else "")


def legal_refs(text: str) -> list[str]:
    """Keys of the legal references in *text*: "nd:61" and "nd:61/2018" for "Nghị định số 61/2018/NĐ-CP"."""
    keys: set[str] = set()
    for m in _REF_IN_TEXT.finditer(text):
        kind = _KINDS[m.group(3).lower()]
        keys.add(ref_key(kind, m.group(1), None))
        if m.group(2):
            keys.add(ref_key(kind, m.group(1), m.group(2)))
    for m in REF_TYPED.finditer(text):
        kind = _KIND_WORDS[m.group(1).lower()]
        keys.add(ref_key(kind, m.group(2), None))
        if m.group(3):
            keys.add(ref_key(kind, m.group(2), m.group(3)))
    return sorted(keys)
