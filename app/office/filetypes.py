"""What an uploaded file really is, judged by its bytes (magic numbers, the parts inside a ZIP), never its name."""
from __future__ import annotations

import io
import zipfile

# extension -> (kind, mimetype)
TYPES = {
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": ("pdf", "application/pdf"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
}
FORM_EXTENSIONS = tuple(TYPES)
# a ZIP that unpacks past this, or holds this many parts, is refused (a "zip bomb")
MAX_UNPACKED = 200 * 1024 * 1024
MAX_PARTS = 5000


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The ZIP archive in `data`, or None if it is not a sound, reasonably sized one."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        return None
    return archive


def sniff(data: bytes) -> str | None:
    """'docx', 'xlsx', 'pdf', 'odt', 'ods', 'zip' (any other sound ZIP) or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    archive = open_zip(data)
    if archive is None:
        return None
    names = set(archive.namelist())
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        except (zipfile.BadZipFile, OSError, RuntimeError):
            return None
        if mimetype == TYPES["odt"][1]:
            return "odt"
        if mimetype == TYPES["ods"][1]:
            return "ods"
    return "zip"


def matches(name: str, data: bytes) -> bool:
    """True when the content is what the name's extension says it is."""
    ext = name.rsplit(".", 1)[-1].lower()
    return ext in TYPES and sniff(data) == TYPES[ext][0]


def mimetype_of(name: str) -> str:
    return TYPES.get(name.rsplit(".", 1)[-1].lower(), ("", "application/octet-stream"))[1]
