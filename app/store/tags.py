"""Issue and withdrawal records kept as annotated git tags: names, message format, and which issue is in force."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from app.store.records import Author

# NUL between fields and NUL + RS + LF after each ref: a tag message may hold newlines
# (even a leading one) but never NUL, so records split unambiguously.
FOR_EACH_REF_FORMAT = (
    "%(refname)%00%(objecttype)%00%(objectname)%00%(*objectname)%00%(taggername)%00"
    "%(taggeremail:trim)%00%(taggerdate:iso-strict)%00%(contents)%00%1e"
)
_RECORD_END = "\0\x1e\n"
_ISSUE_TAG = re.compile(r"^(?P<code>[^/]+)/issue-(?P<n>[1-9][0-9]{0,5})$")
_WITHDRAWN_TAG = re.compile(r"^(?P<code>[^/]+)/withdrawn-(?P<day>[0-9]{8})(?:-(?P<k>[0-9]+))?$")
_HEADER = re.compile(r"^(?P<key>[A-Z][A-Za-z-]*): ?(?P<value>.*)$")
_IDENT = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>$")


@dataclass(frozen=True)
class IssueRecord:
    """One issue (lần ban hành) of a procedure: which revision, effective from when, approved by whom."""

    number: int
    revision: str
    effective_on: date
    approver_name: str
    approver_email: str
    tagged_at: datetime
    message: str
    tag: str = ""


@dataclass(frozen=True)
class WithdrawalRecord:
    """A procedure withdrawn (thu hồi / hết hiệu lực) from a given day, with the reason."""

    tag: str
    revision: str
    withdrawn_on: date
    by_name: str
    by_email: str
    tagged_at: datetime
    reason: str


@dataclass(frozen=True)
class RawTag:
    name: str
    commit: str
    tagger_name: str
    tagger_email: str
    tagged_at: datetime | None
    contents: str
    obj: str = ""  # the tag object's own id: changes if the tag is re-made, even on the same commit


def issue_tag_name(code: str, number: int) -> str:
    return f"{code}/issue-{number}"


def withdrawal_tag_name(code: str, on: date, taken: set[str]) -> str:
    base = f"{code}/withdrawn-{on:%Y%m%d}"
    name, k = base, 1
    while name in taken:
        k += 1
        name = f"{base}-{k}"
    return name


def _clean_message(text: str) -> str:
    # Control characters other than tab/newline have no place in a tag message and
    # would only confuse the parsers reading it back.
    text = "".join(ch for ch in text.replace("\r\n", "\n") if ch in "\n\t" or ord(ch) >= 32)
    return unicodedata.normalize("NFC", text).strip()


def issue_message(code: str, number: int, effective_on: date, approver: Author, message: str) -> str:
    head = (
        f"Procedure: {code}\nIssue: {number}\nEffective: {effective_on.isoformat()}\n"
        f"Approved-by: {approver.ident}\n"
    )
    body = _clean_message(message)
    return head + ("\n" + body + "\n" if body else "")


def withdrawal_message(code: str, on: date, author: Author, reason: str) -> str:
    head = f"Procedure: {code}\nWithdrawn: {on.isoformat()}\nWithdrawn-by: {author.ident}\n"
    return head + "\n" + _clean_message(reason) + "\n"


def parse_headers(contents: str) -> tuple[dict[str, str], str]:
    """Split a tag message into its leading 'Key: value' lines and the free text after them."""
    headers: dict[str, str] = {}
    lines = contents.split("\n")
    i = 0
    while i < len(lines) and lines[i].strip():
        m = _HEADER.match(lines[i])
        if not m:
            break
        headers[m.group("key")] = m.group("value").strip()
        i += 1
    return headers, "\n".join(lines[i:]).strip()


def parse_ident(value: str) -> tuple[str, str]:
    m = _IDENT.match(value.strip())
    return (m.group("name"), m.group("email")) if m else (value.strip(), "")


def parse_for_each_ref(output: str) -> list[RawTag]:
    tags = []
    for record in output.split(_RECORD_END):
        if not record.strip("\n"):
            continue
        parts = record.lstrip("\n").split("\0")
        if len(parts) != 8:
            continue
        refname, objtype, objname, peeled, tname, temail, tdate, contents = parts
        if objtype != "tag" or not peeled:
            continue  # lightweight tags carry no approver or date: not ours
        tagged_at = datetime.fromisoformat(tdate) if tdate else None
        tags.append(RawTag(refname.removeprefix("refs/tags/"), peeled, tname, temail.strip("<>"),
                           tagged_at, contents, objname))
    return tags


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def to_issue(raw: RawTag) -> IssueRecord | None:
    m = _ISSUE_TAG.fullmatch(raw.name)
    if not m:
        return None
    headers, text = parse_headers(raw.contents)
    effective = _date(headers.get("Effective"))
    if effective is None:
        return None
    name, email = parse_ident(headers["Approved-by"]) if "Approved-by" in headers else (
        raw.tagger_name, raw.tagger_email)
    return IssueRecord(int(m.group("n")), raw.commit, effective, name, email, raw.tagged_at, text, raw.name)


def to_withdrawal(raw: RawTag) -> WithdrawalRecord | None:
    m = _WITHDRAWN_TAG.fullmatch(raw.name)
    if not m:
        return None
    headers, text = parse_headers(raw.contents)
    on = _date(headers.get("Withdrawn"))
    if on is None:
        return None
    name, email = parse_ident(headers["Withdrawn-by"]) if "Withdrawn-by" in headers else (
        raw.tagger_name, raw.tagger_email)
    return WithdrawalRecord(raw.name, raw.commit, on, name, email, raw.tagged_at, text)


def _stamp(when: datetime | None) -> float:
    return when.timestamp() if when else 0.0


def select_in_force(issues: list[IssueRecord], withdrawals: list[WithdrawalRecord],
                    day: date) -> IssueRecord | None:
    """The issue in force on `day`: the latest one already effective, unless withdrawn since.

    A withdrawal dated the same day as an issue's effective date cancels it only if it
    was recorded after the issue (a re-issue on the day of a withdrawal stands).
    """
    effective = [i for i in issues if i.effective_on <= day]
    if not effective:
        return None
    current = max(effective, key=lambda i: (i.effective_on, i.number))
    for w in withdrawals:
        if w.withdrawn_on > day or w.withdrawn_on < current.effective_on:
            continue
        if w.withdrawn_on > current.effective_on or _stamp(w.tagged_at) >= _stamp(current.tagged_at):
            return None
    return current
