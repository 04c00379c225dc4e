"""Plain data passed into and out of the search index: procedures, hits, results, errors."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime

VARIANTS = ("issued", "draft")

# Vietnamese texts shown to users; the web layer may translate by code instead.
NOTICE_MESSAGES = {
    "truncated": "Từ khoá quá dài nên chỉ phần đầu được dùng để tìm.",
    "unclosed_quote": "Dấu ngoặc kép chưa đóng; đã tìm theo từng từ.",
    "ignored_syntax": "Một số ký hiệu trong từ khoá không được hỗ trợ và đã bị bỏ qua.",
    "no_terms": "Từ khoá không có chữ hoặc số nào để tìm.",
    "short_prefix": "Tìm theo tiền tố (dấu *) cần ít nhất 2 chữ cái; tiền tố ngắn hơn đã bị bỏ qua.",
    "index_unavailable": "Chức năng tìm kiếm tạm thời chưa sẵn sàng, vui lòng thử lại sau.",
    "folded_match": "Không quy trình nào có đủ các từ đúng dấu như đã gõ; kết quả dưới đây khớp khi bỏ qua dấu.",
    "partial_match": "Không quy trình nào chứa một số từ đã gõ; kết quả dưới đây tìm theo các từ còn lại.",
    "partial_suggestion": "Không quy trình nào chứa một số từ đã gõ; các từ còn lại có trong hầu hết quy trình.",
}


class QueryError(ValueError):
    """A search request that cannot be answered; ``message`` is fit to show to the user."""

    def __init__(self, message: str, code: str = "invalid_query"):
        super().__init__(message)
        self.message = message
        self.code = code


class _AllUnits:
    """Sentinel: the caller may see the drafts of every unit."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ALL"

    def __reduce__(self):
        # Unpickling must yield the singleton so `is ALL` keeps working across processes.
        return (_AllUnits, ())


ALL = _AllUnits()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class IndexedProcedure:
    code: str
    variant: str
    title: str
    unit: str
    status: str
    legal_bases: list[str] = field(default_factory=list)
    body: str = ""
    updated_at: datetime | date | str | None = None

    @property
    def key(self) -> str:
        return f"{self.code}:{self.variant}"

    @classmethod
    def coerce(cls, doc: IndexedProcedure | Mapping) -> IndexedProcedure:
        """Validate and NFC-normalise a procedure given as a dataclass or a dict (extra keys ignored)."""
        if isinstance(doc, cls):
            values = {f.name: getattr(doc, f.name) for f in fields(cls)}
        elif isinstance(doc, Mapping):
            values = {f.name: doc[f.name] for f in fields(cls) if f.name in doc}
        else:
            raise TypeError(f"expected IndexedProcedure or mapping, got {type(doc).__name__}")
        for name in ("code", "variant", "title", "unit", "status"):
            if not isinstance(values.get(name), str):
                raise ValueError(f"procedure field {name!r} must be a string")
        values["code"] = nfc(values["code"].strip())
        if not values["code"]:
            raise ValueError("procedure code must not be empty")
        if values["variant"] not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}, got {values['variant']!r}")
        for name in ("title", "unit", "status"):
            values[name] = nfc(values[name].strip())
        values["body"] = nfc(values.get("body") or "")
        bases = values.get("legal_bases") or []
        if isinstance(bases, str):
            bases = [bases]
        values["legal_bases"] = [nfc(str(b)) for b in bases if str(b).strip()]
        updated = values.get("updated_at")
        if isinstance(updated, str):
            try:
                updated = datetime.fromisoformat(updated)
            except ValueError:
                pass
        values["updated_at"] = updated
        return cls(**values)

    def to_json(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        if isinstance(self.updated_at, (date, datetime)):
            data["updated_at"] = self.updated_at.isoformat()
        return data


@dataclass(frozen=True)
class Hit:
    code: str
    variant: str
    title: str
    unit: str
    status: str
    score: float | None
    snippet_html: str
    title_html: str
    updated_at: datetime | date | str | None = None
    # Set on an issued hit when the caller's visible draft of the same code matched too.
    draft_also_matches: bool = False


@dataclass(frozen=True)
class SearchResults:
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    notices: tuple[str, ...] = ()
    # "all" (every word as typed), "folded" (diacritics ignored), "partial" (a word missing) or "suggest"
    # (a word missing and the rest too common: no hits, a suggestion).
    tier: str = "all"
    # Words of the query found in no procedure, left out by the "partial" tier.
    dropped: tuple[str, ...] = ()
    # With tier "suggest": the words left once those were left out, too common to show what they find;
    # offered as a search of its own.
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def messages(self) -> list[str]:
        return [NOTICE_MESSAGES[n] for n in self.notices if n in NOTICE_MESSAGES]
