"""Numbers and symbols of Vietnamese legal documents: one key per document, and citations read from free text.

Flask-free. `61/2018/NĐ-CP`, `61/2018/ND-CP`, `số 61 / 2018 / NĐ–CP` and "Nghị định số 61/2018/NĐ-CP ngày
23/4/2018 của Chính phủ ..." all give the key `61/2018/ND-CP`: diacritics folded (Đ -> D), upper case, dashes
and spaces unified, leading zeros of the number dropped. A number written without its year (`101/QĐ-BKHCN`,
as ministries number their decisions) takes the year it was signed, when known, so that the same decision
cited with or without the year is one document. Standards (`TCVN ISO 9001:2015`) have keys of their own.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from datetime import date

LAW, DECREE, CIRCULAR, JOINT_CIRCULAR, DECISION, RESOLUTION, DIRECTIVE, STANDARD, OTHER = (
    "law", "decree", "circular", "joint_circular", "decision", "resolution", "directive", "standard", "other")
KINDS = (LAW, DECREE, CIRCULAR, JOINT_CIRCULAR, DECISION, RESOLUTION, DIRECTIVE, STANDARD, OTHER)

# the words a citation starts with, folded, longest first (Thông tư liên tịch before Thông tư)
_KIND_WORDS = (
    ("THONG TU LIEN TICH", JOINT_CIRCULAR), ("NGHI DINH", DECREE), ("THONG TU", CIRCULAR), ("QUYET DINH", DECISION),
    ("NGHI QUYET", RESOLUTION), ("CHI THI", DIRECTIVE), ("BO LUAT", LAW), ("LUAT", LAW), ("PHAP LENH", LAW),
    ("TCVN", STANDARD), ("QCVN", STANDARD), ("TIEU CHUAN", STANDARD), ("QUY CHUAN", STANDARD), ("ISO", STANDARD),
)
# the kind a symbol's first part says
_SYMBOL_KINDS = {"ND": DECREE, "TT": CIRCULAR, "TTLT": JOINT_CIRCULAR, "QD": DECISION, "NQ": RESOLUTION,
                 "CT": DIRECTIVE, "L": LAW}
# who issued it, by the symbol's other parts
ISSUERS = {
    "CP": "Chính phủ", "TTG": "Thủ tướng Chính phủ", "BKHCN": "Bộ Khoa học và Công nghệ", "BTC": "Bộ Tài chính",
    "BNV": "Bộ Nội vụ", "TTCP": "Thanh tra Chính phủ", "UBND": "Ủy ban nhân dân tỉnh",
    "HDND": "Hội đồng nhân dân tỉnh", "BKHDT": "Bộ Kế hoạch và Đầu tư", "BTTTT": "Bộ Thông tin và Truyền thông",
    "VPCP": "Văn phòng Chính phủ", "BTP": "Bộ Tư pháp", "BCT": "Bộ Công Thương", "BYT": "Bộ Y tế",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
}

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
# the number and symbol, on folded text: 61/2018/ND-CP, 68/2006/QH11, 101/QD-BKHCN, 55/2015/TTLT-BTC-BKHCN
_NUMBER = re.compile(
    r"(?<![\d/])(\d{1,5})\s*/\s*(?:(\d{4})\s*/\s*)?([A-Z][A-Z0-9]*(?:\s*-\s*[A-Z][A-Z0-9]*)*)(?![A-Z0-9])")
_STANDARD = re.compile(
    r"\b((?:TCVN|QCVN)(?:\s+(?:ISO/IEC|ISO|IEC))?|ISO(?:/IEC)?)\s+(\d+(?:[-.]\d+)*)\s*:\s*(\d{4})(/[A-Z]+)?")
_DATE = re.compile(r"NGAY\s+(\d{1,2})\s*(?:/|-|THANG)\s*(\d{1,2})\s*(?:/|-|NAM)\s*(\d{4})")
# where the title of a decree or circular starts, after "của <issuer>"
_TITLE_START = re.compile(
    r"\b(quy định|về|hướng dẫn|sửa đổi|công bố|ban hành|thực hiện|bãi bỏ|thay thế|phê duyệt|ban hành)\b",
    re.IGNORECASE)


def fold(text: str) -> str:
    """Upper case without diacritics, one character per character (so positions map back to the text)."""
    out = []
    for ch in unicodedata.normalize("NFC", text or "").translate(_DASHES):
        if ch in "đĐ":
            out.append("D")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        up = base.upper()
        out.append(up if len(up) == 1 else base)
    return "".join(out)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


@dataclass(frozen=True)
class Number:
    """A number and symbol found in a text: as written (tidied) and its parts."""

    written: str
    number: int
    year: int | None
    symbol: str           # folded, e.g. ND-CP
    start: int
    end: int
    standard: bool = False

    def key(self, year_hint: int | None = None) -> str:
        if self.standard:
            return self.symbol
        year = self.year or year_hint
        return f"{self.number}/{year}/{self.symbol}" if year else f"{self.number}/{self.symbol}"


def find_number(text: str) -> Number | None:
    """The first number and symbol (or standard code) in a text, or None."""
    text = unicodedata.normalize("NFC", text or "")
    folded = fold(text)
    found = []
    m = _NUMBER.search(folded)
    if m:
        symbol = re.sub(r"\s*-\s*", "-", m.group(3))
        written = re.sub(r"\s*([/-])\s*", r"\1", _clean(text[m.start():m.end()]).translate(_DASHES))
        found.append(Number(written, int(m.group(1)), int(m.group(2)) if m.group(2) else None, symbol,
                            m.start(), m.end()))
    s = _STANDARD.search(folded)
    if s:
        prefix = re.sub(r"\s+", " ", s.group(1))
        code = f"{prefix} {s.group(2)}:{s.group(3)}{s.group(4) or ''}"
        written = _clean(text[s.start():s.end()])
        found.append(Number(written, 0, int(s.group(3)), code, s.start(), s.end(), standard=True))
    return min(found, key=lambda n: n.start) if found else None


def document_key(number_text: str, signed_on: date | None = None) -> str | None:
    """The key of a number and symbol as written (with or without the kind's words); None if there is none."""
    found = find_number(number_text)
    if found is None:
        return None
    return found.key(signed_on.year if signed_on else None)


def tidy_number(number_text: str) -> str:
    """The number as people write it: `61/2018/NĐ-CP` from "Nghị định số 61 / 2018 / NĐ–CP"."""
    found = find_number(number_text)
    return found.written if found else _clean(number_text)


def kind_of(text: str, number: Number | None = None) -> str:
    """The kind a citation names first (Nghị định, Thông tư...), else the one its symbol says."""
    folded = fold(text).strip()
    for words, kind in _KIND_WORDS:
        if folded.startswith(words):
            return kind
    if number is not None and not number.standard:
        first = number.symbol.split("-")[0]
        if re.fullmatch(r"QH\d+", first):
            return LAW
        return _SYMBOL_KINDS.get(first, OTHER)
    return STANDARD if number is not None else OTHER


def issuer_of(number: Number | None) -> str:
    if number is None:
        return ""
    if number.standard:
        return "Bộ Khoa học và Công nghệ" if number.symbol.startswith(("TCVN", "QCVN")) else ""
    parts = number.symbol.split("-")
    if len(parts) == 1 and re.fullmatch(r"QH\d+", parts[0]):
        return "Quốc hội"
    names = [ISSUERS[p] for p in parts[1:] if p in ISSUERS]
    return ", ".join(names)


def _date_in(folded: str, start: int) -> tuple[date | None, int]:
    m = _DATE.search(folded, start)
    if not m or m.start() - start > 40:
        return None, start
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1))), m.end()
    except ValueError:
        return None, start


@dataclass(frozen=True)
class Citation:
    """What a free-text legal basis says: enough to find the document in the register or to create it."""

    text: str
    key: str | None
    number: str = ""
    kind: str = OTHER
    issuer: str = ""
    signed_on: date | None = None
    title: str = ""


def _capitalise(text: str) -> str:
    text = text.strip(" ,;.")
    return text[:1].upper() + text[1:] if text else text


@lru_cache(maxsize=8192)  # the same bases are read again on every save and page of a procedure
def parse_citation(text: str) -> Citation:
    """Read a legal basis as procedures write it (kind, number, date, issuer, subject); a Citation is frozen."""
    text = _clean(text)
    found = find_number(text)
    if found is None:
        return Citation(text=text, key=None, kind=kind_of(text), title=text)
    folded = fold(text)
    signed_on, after = _date_in(folded, found.end)
    kind = kind_of(text, found)
    key = found.key(signed_on.year if signed_on else None)
    head, rest = text[:found.start], text[after:]
    if found.standard:
        rest = re.sub(r"^\s*\([^)]*\)", "", rest)
        title = _capitalise(rest) or found.written
    elif kind == LAW and head.strip():
        title = _capitalise(re.sub(r"\s*\bsố\s*$", "", head.strip(), flags=re.IGNORECASE))
    else:
        rest = re.sub(r"^\s*của\s+", "", rest.strip(), flags=re.IGNORECASE)
        m = _TITLE_START.search(rest)
        title = _capitalise(rest[m.start():] if m else rest)
    return Citation(text=text, key=key, number=found.written, kind=kind, issuer=issuer_of(found),
                    signed_on=signed_on, title=title or text)
