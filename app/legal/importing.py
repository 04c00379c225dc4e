"""Importing documents from CSV or XLSX: every row checked first; one bad row refuses the whole file."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from app.legal.numbers import KINDS, OTHER, document_key, find_number, fold, kind_of
from app.legal.services import DocumentData, LegalError, by_key, create_document

MAX_ROWS = 2000
# column names people write (folded), to the field they fill
COLUMNS = {
    "SO KY HIEU": "number", "SO, KY HIEU": "number", "SO HIEU": "number", "SO": "number", "NUMBER": "number",
    "LOAI": "kind", "LOAI VAN BAN": "kind", "KIND": "kind",
    "CO QUAN BAN HANH": "issuer", "ISSUER": "issuer",
    "NGAY BAN HANH": "signed_on", "NGAY KY": "signed_on", "SIGNED": "signed_on", "DATE SIGNED": "signed_on",
    "NGAY HIEU LUC": "effective_on", "EFFECTIVE": "effective_on", "EFFECTIVE DATE": "effective_on",
    "TRICH YEU": "title", "TEN VAN BAN": "title", "TIEU DE": "title", "TITLE": "title",
    "GHI CHU": "note", "NOTE": "note",
}
KIND_NAMES = {"LUAT": "law", "BO LUAT": "law", "NGHI DINH": "decree", "THONG TU": "circular",
              "THONG TU LIEN TICH": "joint_circular", "QUYET DINH": "decision", "NGHI QUYET": "resolution",
              "CHI THI": "directive", "TIEU CHUAN": "standard", "KHAC": "other", "VAN BAN KHAC": "other"}


class ImportRefused(Exception):
    """The file cannot be read at all (format, no header, too many rows)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass
class RowError:
    row: int       # as the spreadsheet numbers it (the header is row 1)
    key: str
    params: dict = field(default_factory=dict)


@dataclass
class Parsed:
    rows: list[tuple[int, DocumentData]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _table(filename: str, data: bytes) -> list[list]:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001  (any unreadable file is the user's file, not our fault)
            raise ImportRefused("unreadable") from exc
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused("not_utf8") from exc
        sample = text[:2048]
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    if name == "preview.json":  # the checked table, posted back by the preview page's confirmation
        try:
            table = json.loads(data.decode("utf-8"))
        except ValueError as exc:
            raise ImportRefused("unreadable") from exc
        if not isinstance(table, list) or not all(isinstance(r, list) for r in table):
            raise ImportRefused("unreadable")
        return table
    raise ImportRefused("bad_format")


def table_json(filename: str, data: bytes) -> str:
    """The file's table as JSON text (dates as dd/mm/yyyy), for the preview page to post back."""
    def cell(v):
        if isinstance(v, datetime):
            v = v.date()
        if isinstance(v, date):
            return v.strftime("%d/%m/%Y")
        return "" if v is None else str(v)

    return json.dumps([[cell(c) for c in row] for row in _table(filename, data)], ensure_ascii=False)


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _kind(value, number: str) -> str:
    text = fold(str(value or "")).strip()
    if not text:
        return kind_of(number, find_number(number))
    if text.lower() in KINDS:
        return text.lower()
    return KIND_NAMES.get(text, "")


def parse(filename: str, data: bytes) -> Parsed:
    table = [r for r in _table(filename, data)]
    while table and not any(str(c or "").strip() for c in table[-1]):
        table.pop()
    if not table:
        raise ImportRefused("empty")
    header = [COLUMNS.get(fold(str(c or "")).strip().rstrip(":")) for c in table[0]]
    for needed in ("number", "title"):
        if needed not in header:
            raise ImportRefused("missing_column", column=needed)
    if len(table) - 1 > MAX_ROWS:
        raise ImportRefused("too_many_rows", limit=MAX_ROWS)
    out, seen = Parsed(), {}
    for i, raw in enumerate(table[1:], start=2):
        if not any(str(c or "").strip() for c in raw):
            continue
        values = {name: raw[j] if j < len(raw) else None for j, name in enumerate(header) if name}
        number = str(values.get("number") or "").strip()
        try:
            signed_on, effective_on = _date(values.get("signed_on")), _date(values.get("effective_on"))
        except ValueError as exc:
            out.errors.append(RowError(i, "bad_date", {"value": str(exc)}))
            continue
        kind = _kind(values.get("kind"), number) or ""
        if not kind:
            out.errors.append(RowError(i, "bad_kind", {"value": str(values.get("kind"))}))
            continue
        data_row = DocumentData(number=number, kind=kind or OTHER, title=str(values.get("title") or ""),
                                issuer=str(values.get("issuer") or ""), signed_on=signed_on,
                                effective_on=effective_on, note=str(values.get("note") or ""))
        try:
            cleaned = data_row.cleaned()
        except LegalError as exc:
            out.errors.append(RowError(i, exc.key, exc.params))
            continue
        key = document_key(cleaned.number, cleaned.signed_on)
        if key is None:
            out.errors.append(RowError(i, "number_unreadable"))
            continue
        if key in seen:
            out.errors.append(RowError(i, "duplicate_in_file", {"other": seen[key]}))
            continue
        existing = by_key(key)
        if existing is not None:
            out.errors.append(RowError(i, "duplicate", {"number": existing.number}))
            continue
        seen[key] = i
        out.rows.append((i, cleaned))
    if not out.rows and not out.errors:
        raise ImportRefused("empty")
    return out


def import_rows(actor, parsed: Parsed) -> list:
    """Create every row, or raise on the first refusal (the caller rolls back: nothing half-imported)."""
    if not parsed.ok:
        raise LegalError("import_has_errors")
    return [create_document(actor, data, source="import") for _row, data in parsed.rows]
