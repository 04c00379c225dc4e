"""The procedure file format: YAML front matter plus a Markdown body, parsed and written canonically."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import yaml

from app.store.errors import InvalidProcedure

CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,9}(-[A-Z0-9]{1,10}){1,3}$")
UNIT_RE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
TITLE_MAX = 300
FIELD_MAX = 300

# The order people read the header in; to_text always writes it this way so that
# two saves of the same content give byte-identical files (no spurious revisions).
FIELDS = (
    "code", "title", "unit", "issue", "issued_on", "effective_on",
    "drafted_by", "reviewed_by", "approved_by", "legal_bases",
)
_REQUIRED = ("code", "title", "unit")
_PEOPLE = ("drafted_by", "reviewed_by", "approved_by")
_DELIM = re.compile(r"^---[ \t]*$", re.MULTILINE)


def normalize_text(text: str) -> str:
    """Unify line endings and Unicode form so Vietnamese typed on any OS compares equal."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def validate_code(code: object) -> str:
    """Return the code if it is a well-formed procedure code, else raise InvalidProcedure."""
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise InvalidProcedure(
            f"Invalid procedure code {code!r}: expected something like QT-VP-01 "
            "(capital letters and digits in 2 to 4 parts joined by '-')",
            code="invalid_code", field="code",
        )
    return code


LAYOUTS = ("flat", "series")


def procedure_path(code: str, layout: str = "flat") -> str:
    """Where a procedure's file lives in a store: <CODE>.md, or <series>/<CODE>.md.

    The "series" layout (QT-VP/QT-VP-01.md, the series being the code without its last
    part) keeps git trees small, and `git log -- <file>` compares trees commit by commit:
    with 3000 procedures and 30,000 commits, history took 4.5 s (0.42 s with a
    commit-graph) flat, against 0.31 s (0.06 s) grouped in 10 series.
    """
    validate_code(code)
    if layout == "flat":
        return f"{code}.md"
    if layout == "series":
        return f"{code.rsplit('-', 1)[0]}/{code}.md"
    raise ValueError(f"Unknown store layout {layout!r}; expected one of {LAYOUTS}")


def code_from_path(path: str) -> str | None:
    """The procedure code a store path belongs to (either layout), or None for any other file."""
    parts = path.split("/")
    if len(parts) > 2 or not parts[-1].endswith(".md"):
        return None
    code = parts[-1][:-3]
    if not CODE_RE.fullmatch(code) or (len(parts) == 2 and code.rsplit("-", 1)[0] != parts[0]):
        return None
    return code


def validate_unit(unit: object) -> str:
    if not isinstance(unit, str) or not UNIT_RE.fullmatch(unit):
        raise InvalidProcedure(
            f"Invalid unit code {unit!r}: expected capital letters and digits, at most 10, e.g. VP",
            code="invalid_unit", field="unit",
        )
    return unit


def _text_field(name: str, value: object, limit: int = FIELD_MAX) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidProcedure(f"Field {name!r} must be text", code="invalid_field", field=name)
    value = unicodedata.normalize("NFC", value).strip()
    if "\n" in value or "\r" in value:
        raise InvalidProcedure(f"Field {name!r} must be a single line", code="invalid_field", field=name)
    if len(value) > limit:
        raise InvalidProcedure(
            f"Field {name!r} is too long ({len(value)} characters, at most {limit})",
            code="invalid_field", field=name,
        )
    return value


def _date_field(name: str, value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        raise InvalidProcedure(f"Field {name!r} must be a date without time", code="invalid_field", field=name)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidProcedure(
        f"Field {name!r} must be a date written YYYY-MM-DD, got {value!r}", code="invalid_field", field=name
    )


def _issue_field(value: object) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidProcedure(
            f"Field 'issue' must be a whole number (0 if never issued), got {value!r}",
            code="invalid_field", field="issue",
        )
    return value


def _legal_bases(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise InvalidProcedure(
            "Field 'legal_bases' must be a list of legal documents", code="invalid_field", field="legal_bases"
        )
    bases = [_text_field("legal_bases", item, limit=1000) for item in value]
    return [b for b in bases if b]


def _normalize_body(body: object) -> str:
    if body is None:
        return ""
    if not isinstance(body, str):
        raise InvalidProcedure("The body must be text", code="invalid_field", field="body")
    body = normalize_text(body)
    # Exactly one final newline keeps files POSIX-clean and makes parse/to_text inverse.
    body = body.rstrip("\n")
    return body + "\n" if body else ""


@dataclass
class ProcedureDocument:
    """One procedure as stored: header fields and Markdown body, validated on construction."""

    code: str
    title: str
    unit: str
    body: str = ""
    issue: int = 0
    issued_on: date | None = None
    effective_on: date | None = None
    drafted_by: str = ""
    reviewed_by: str = ""
    approved_by: str = ""
    legal_bases: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.normalize()

    def normalize(self) -> "ProcedureDocument":
        """Validate and canonicalise every field in place (also after callers mutate it)."""
        validate_code(self.code)
        self.title = _text_field("title", self.title, TITLE_MAX)
        if not self.title:
            raise InvalidProcedure("The title is required", code="missing_field", field="title")
        self.unit = validate_unit(self.unit)
        self.body = _normalize_body(self.body)
        self.issue = _issue_field(self.issue)
        self.issued_on = _date_field("issued_on", self.issued_on)
        self.effective_on = _date_field("effective_on", self.effective_on)
        for name in _PEOPLE:
            setattr(self, name, _text_field(name, getattr(self, name)))
        self.legal_bases = _legal_bases(self.legal_bases)
        return self

    @property
    def filename(self) -> str:
        return f"{self.code}.md"

    def front_matter(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}

    def to_text(self) -> str:
        self.normalize()
        fields = self.front_matter()
        header = _dump_header(tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in fields.items()))
        return unicodedata.normalize("NFC", f"---\n{header}---\n{self.body}")

    @classmethod
    def parse(cls, text: str) -> "ProcedureDocument":
        return parse(text)


@lru_cache(maxsize=256)
def _dump_header(fields: tuple) -> str:
    """The YAML header of these field values (PyYAML's emitter, in Python: about 3 ms). Remembered, since a
    save usually changes the body only and writes the same header again."""
    return yaml.dump({k: list(v) if isinstance(v, tuple) else v for k, v in fields}, Dumper=_Dumper,
                     sort_keys=False, allow_unicode=True, default_flow_style=False, width=10**9)


class _Dumper(yaml.SafeDumper):
    """Writes lists indented under their key and empty values as nothing, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str):
    if not value:
        return dumper.represent_scalar("tag:yaml.org,2002:null", "")
    return dumper.represent_str(value)


_Dumper.add_representer(type(None), lambda d, _: d.represent_scalar("tag:yaml.org,2002:null", ""))
_Dumper.add_representer(str, _represent_str)


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (yaml header, body) of a normalised text, or raise bad_front_matter."""
    if not _DELIM.match(text):
        raise InvalidProcedure(
            "The file must start with a '---' line opening the front matter", code="bad_front_matter"
        )
    first_nl = text.find("\n")
    if first_nl < 0:
        raise InvalidProcedure("The front matter is never closed by a '---' line", code="bad_front_matter")
    closing = _DELIM.search(text, first_nl + 1)
    if not closing:
        raise InvalidProcedure("The front matter is never closed by a '---' line", code="bad_front_matter")
    header = text[first_nl + 1:closing.start()]
    body = text[closing.end() + 1:] if closing.end() < len(text) else ""
    return header, body


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml, in PyYAML's wheels: 0.35 ms a header against 4.4


def _load_yaml(header: str):
    """yaml.safe_load(), through libyaml when PyYAML has it (the same values, and every header is parsed on
    each save and many pages); a header libyaml refuses is read again the pure-Python way, so the error said
    is the one PyYAML has always said."""
    if _FAST_LOADER is not None:
        try:
            return yaml.load(header, Loader=_FAST_LOADER)  # noqa: S506  (CSafeLoader: the safe constructor)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(header)


def parse(text: str) -> ProcedureDocument:
    """Parse a procedure file (CRLF and NFD tolerated) into a validated ProcedureDocument."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidProcedure("The file is not valid UTF-8 text", code="bad_encoding") from exc
    text = normalize_text(text)
    header, body = split_front_matter(text)
    try:
        data = _load_yaml(header)
    except yaml.YAMLError as exc:
        raise InvalidProcedure(f"The front matter is not valid YAML: {exc}", code="bad_front_matter") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidProcedure("The front matter must be a set of 'key: value' lines", code="bad_front_matter")
    unknown = sorted(str(k) for k in data if k not in FIELDS)
    if unknown:
        raise InvalidProcedure(
            f"Unknown front matter field(s): {', '.join(unknown)}", code="unknown_field", field=unknown[0]
        )
    for name in _REQUIRED:
        if data.get(name) in (None, ""):
            raise InvalidProcedure(f"The front matter lacks the required field {name!r}",
                                   code="missing_field", field=name)
    return ProcedureDocument(body=body, **data)
