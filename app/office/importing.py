"""Importing Word procedures: read the uploads (ZIPs unpacked), keep them for the preview, then create drafts.

Nothing reaches the store before the secretary confirms the preview; a file that cannot be read
is listed with its reason and never creates anything.
"""
from __future__ import annotations

import json
import secrets
import time
import zipfile
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.audit.services import record
from app.auth.models import Unit
from app.extensions import db
from app.office import permissions as operm
from app.office.filetypes import open_zip, sniff
from app.office.services import Forbidden, OfficeError
from app.procedures import core
from app.procedures.mirror import sync_procedure
from app.procedures.services import DocumentControl
from app.store import InvalidProcedure, ProcedureDocument
from app.store.document import CODE_RE

if TYPE_CHECKING:  # python-docx is loaded by the first import of a file, not by every worker at start
    from app.office.docx_in import ImportedProcedure

MAX_FILES = 50
PENDING_TTL = 24 * 3600
_TOKEN = 24


@dataclass
class Refused:
    filename: str
    reason: str   # damaged | not_docx | too_large | not_procedure | too_many


def _basename(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1][:200]


def read_uploads(uploads: list[tuple[str, bytes]]) -> tuple[list[ImportedProcedure], list[Refused]]:
    """Each .docx read, each ZIP opened and its .docx files read; everything else refused with a reason."""
    from app.office.docx_in import NotAProcedure, read_docx

    files: list[tuple[str, bytes]] = []
    refused: list[Refused] = []
    for filename, data in uploads:
        name = _basename(filename)
        if name.lower().endswith(".zip") or sniff(data) == "zip":
            archive = open_zip(data)
            if archive is None:
                refused.append(Refused(name, "damaged"))
                continue
            for info in archive.infolist():
                inner = _basename(info.filename)
                if info.is_dir() or info.filename.startswith("__MACOSX") or inner.startswith((".", "~$")):
                    continue
                if not inner.lower().endswith(".docx"):
                    refused.append(Refused(f"{name} › {inner}", "not_docx"))
                    continue
                try:
                    files.append((inner, archive.read(info)))
                except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
                    refused.append(Refused(f"{name} › {inner}", "damaged"))
        else:
            files.append((name, data))
    read: list[ImportedProcedure] = []
    for i, (name, data) in enumerate(files):
        if i >= MAX_FILES:
            refused.append(Refused(name, "too_many"))
            continue
        try:
            read.append(read_docx(name, data))
        except NotAProcedure as exc:
            refused.append(Refused(name, exc.key))
    return read, refused


# -- the preview's state, kept in the data directory between the upload and the confirmation ---------
def _folder(data_dir: str) -> Path:
    path = Path(data_dir) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _encode(item: ImportedProcedure) -> dict:
    data = asdict(item)
    for key in ("issued_on", "effective_on"):
        data[key] = data[key].isoformat() if data[key] else None
    return data


def _decode(data: dict) -> ImportedProcedure:
    from app.office.docx_in import ImportedProcedure

    for key in ("issued_on", "effective_on"):
        data[key] = date.fromisoformat(data[key]) if data.get(key) else None
    return ImportedProcedure(**data)


def save_pending(data_dir: str, actor, items: list[ImportedProcedure], refused: list[Refused]) -> str:
    folder = _folder(data_dir)
    now = time.time()
    for old in folder.glob("*.json"):  # forgotten previews go after a day
        if now - old.stat().st_mtime > PENDING_TTL:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(_TOKEN)
    payload = {"user": actor.id, "items": [_encode(i) for i in items], "refused": [asdict(r) for r in refused]}
    (folder / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return token


def load_pending(data_dir: str, actor, token: str) -> tuple[list[ImportedProcedure], list[Refused]] | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum() or len(token) > 64:
        return None
    path = _folder(data_dir) / f"{token}.json"
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("user") != actor.id:
        return None
    return [_decode(i) for i in payload["items"]], [Refused(**r) for r in payload["refused"]]


def drop_pending(data_dir: str, token: str) -> None:
    (_folder(data_dir) / f"{token}.json").unlink(missing_ok=True)


# -- creating -----------------------------------------------------------------------------------------
@dataclass
class Choice:
    """What the secretary confirmed for one file of the preview (code, title and unit may be corrected)."""

    index: int
    code: str
    title: str
    unit_code: str
    in_force: bool = False


def guess_unit(code: str) -> str:
    parts = code.split("-")
    return parts[1] if len(parts) >= 3 else ""


def check_choices(items: list[ImportedProcedure], choices: list[Choice]) -> dict[int, str]:
    """Problems per chosen file (index -> message key); empty when every one can be created."""
    problems: dict[int, str] = {}
    seen: set[str] = set()
    for c in choices:
        if not 0 <= c.index < len(items):
            problems[c.index] = "unknown_file"
        elif not CODE_RE.fullmatch(c.code):
            problems[c.index] = "bad_code"
        elif c.code in seen or db.session.scalar(select(Unit.id).where(Unit.code == c.unit_code)) is None:
            problems[c.index] = "duplicate_code" if c.code in seen else "unknown_unit"
        elif not c.title.strip():
            problems[c.index] = "title_required"
        elif core.store().exists(c.code):
            problems[c.index] = "code_exists"
        elif c.in_force and not (items[c.index].issue and items[c.index].effective_on):
            problems[c.index] = "in_force_needs_issue"
        seen.add(c.code)
    return problems


def create_all(actor, items: list[ImportedProcedure], choices: list[Choice]) -> list[str]:
    """Create the confirmed drafts (or issued procedures); checks everything before writing anything."""
    if not operm.can_import(actor):
        raise Forbidden("forbidden")
    if not choices:
        raise OfficeError("nothing_chosen")
    problems = check_choices(items, choices)
    if problems:
        raise OfficeError("import_problems", problems=problems)
    dc, created = DocumentControl(), []
    for c in choices:
        item = items[c.index]
        unit = db.session.scalar(select(Unit).where(Unit.code == c.unit_code))
        doc = ProcedureDocument(code=c.code, title=c.title.strip(), unit=unit.code, body=item.body,
                                issue=item.issue, issued_on=item.issued_on, effective_on=item.effective_on,
                                drafted_by=item.drafted_by, reviewed_by=item.reviewed_by,
                                approved_by=item.approved_by)
        message = f"Nhập từ tệp Word {item.filename}"
        if c.in_force:
            proc, _ = dc.import_document(actor, doc, message)
        else:
            proc = dc.create(actor, code=doc.code, title=doc.title, unit=unit, body=doc.body,
                             drafted_by=doc.drafted_by or actor.full_name, message=message)
            header = replace(dc.st.read(doc.code).document, issue=doc.issue, issued_on=doc.issued_on,
                             effective_on=doc.effective_on, reviewed_by=doc.reviewed_by,
                             approved_by=doc.approved_by)
            try:
                dc.st.save(header, proc.current_revision, core.author_of(actor),
                           f"Thông tin đầu trang đọc từ {item.filename}")
            except InvalidProcedure as exc:
                raise OfficeError("bad_header") from exc
            sync_procedure(dc.st, doc.code)
        record(actor, "procedure.import_docx", "procedure", proc.code, f"Nhập {proc.code} từ tệp Word",
               {"file": item.filename, "in_force": c.in_force, "issue_in_file": item.issue,
                "skipped": item.skipped}, unit_code=proc.unit_code)
        created.append(proc.code)
    return created
