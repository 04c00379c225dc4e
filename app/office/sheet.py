"""What a printed procedure carries, independent of the file format: header block, signatures, body, log, marking."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.office.blocks import Block, parse_blocks

# Vietnamese labels; the web layer passes translated ones for an English reader.
DEFAULT_LABELS = {
    "code": "Mã hiệu", "issue": "Lần ban hành", "issued_on": "Ngày ban hành", "effective_on": "Ngày hiệu lực",
    "page": "Trang", "unit": "Đơn vị chủ trì", "drafted": "Soạn thảo", "reviewed": "Xem xét",
    "approved": "Phê duyệt", "name": "Họ và tên", "signature": "Chữ ký", "amendments": "THEO DÕI SỬA ĐỔI TÀI LIỆU",
    "amend_issue": "Lần ban hành", "amend_issued": "Ngày ban hành", "amend_effective": "Ngày hiệu lực",
    "amend_content": "Nội dung sửa đổi", "amend_approver": "Người phê duyệt", "no_amendments": "Chưa ban hành lần nào.",
    "procedure": "QUY TRÌNH", "legal_bases": "Căn cứ pháp lý", "forms": "Biểu mẫu kèm theo",
}


@dataclass
class Sheet:
    """One procedure revision ready to print; every value already formatted as text."""

    agency: str
    code: str
    title: str
    unit: str
    issue: str
    issued_on: str
    effective_on: str
    drafted_by: str
    reviewed_by: str
    approved_by: str
    body: str
    marking: str                                   # controlled copy N / uncontrolled, printed by, at
    watermark: str | None = None                   # "DỰ THẢO", "ĐÃ BÃI BỎ"
    legal_bases: list[str] = field(default_factory=list)
    amendments: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    labels: dict = field(default_factory=lambda: dict(DEFAULT_LABELS))

    @property
    def blocks(self) -> list[Block]:
        return parse_blocks(self.body)

    def label(self, key: str) -> str:
        return self.labels.get(key) or DEFAULT_LABELS[key]

    def header_cells(self) -> list[tuple[str, str]]:
        """The right-hand column of the header block, as (label, value); the page is added per page."""
        return [(self.label("code"), self.code), (self.label("issue"), self.issue or "–"),
                (self.label("effective_on"), self.effective_on or "–")]

    def amendment_header(self) -> list[str]:
        return [self.label(k) for k in ("amend_issue", "amend_issued", "amend_effective", "amend_content",
                                        "amend_approver")]
