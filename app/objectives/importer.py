"""The plan as an XLSX file: the template offered for download, a preview, and an all-or-nothing import.

Each row is a "Mục tiêu", a "Chỉ số" or a "Nhiệm vụ". Every row is checked before anything is written;
one bad row (with its number and reason) refuses the whole file. Also reads the period figures of an
imported indicator from CSV or XLSX ("Kỳ", "Giá trị").
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime


from app.audit.services import record
from app.objectives import permissions as perm
from app.objectives import rules
from app.objectives.models import KIND_NUMBER, KIND_RATING, Indicator, Objective, ObjectivePlan, ObjectiveTask, TaskUnit
from app.objectives.services import ObjectiveError, allow, indicator_fields, require, task_fields
from app.extensions import db

HEADER = ["Loại", "Mục tiêu", "Nội dung", "Đơn vị tính", "So sánh", "Chỉ tiêu", "Thang xếp loại", "Tần suất",
          "Nguồn số liệu", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Ngày hạn", "Thời hạn (nguyên văn)"]
KINDS = {"mục tiêu": "objective", "chỉ số": "indicator", "nhiệm vụ": "task"}
FREQ = {"tháng": rules.MONTH, "hàng tháng": rules.MONTH, "quý": rules.QUARTER, "hàng quý": rules.QUARTER,
        "năm": rules.YEAR, "hàng năm": rules.YEAR}
SOURCE = {"đơn vị": "unit", "hệ thống": "computed", "tệp": "imported"}
RULE = {"hàng tháng": rules.MONTHLY, "hàng quý": rules.QUARTERLY, "hàng năm": rules.YEARLY,
        "khi được giao": rules.ON_ASSIGNMENT, "thường xuyên": rules.CONTINUOUS}
ALL_UNITS = "tất cả"
MAX_ROWS = 2000

EXAMPLE = [
    ["Mục tiêu", "MT1", "Tham mưu đầy đủ và đúng thời hạn các nội dung về chỉ đạo của Tỉnh uỷ, UBND tỉnh.", "", "",
     "", "", "", "", "", "", "", "", ""],
    ["Chỉ số", "MT1", "Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn", "%", ">=", 100, "", "tháng", "đơn vị", "", "",
     "", "", ""],
    ["Nhiệm vụ", "MT1", "Ban hành Quyết định giao chỉ tiêu kế hoạch cho các phòng, đơn vị.", "", "", "", "", "", "",
     "Tất cả", "VP", "hàng tháng", 14, "Các phòng, đơn vị gửi báo cáo về VPS ngày 14 hàng tháng"],
    ["Chỉ số", "MT1", "Xếp loại", "", ">=", "Tốt", "Kém|Trung bình|Khá|Tốt|Xuất sắc", "quý", "đơn vị", "VP", "", "",
     "", ""],
]


def template_bytes() -> bytes:
    from openpyxl import Workbook  # loaded when a workbook is made or read, not by every worker at start
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "KeHoach"
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in EXAMPLE:
        ws.append(row)
    for col, width in zip("ABCDEFGHIJKLMN", (10, 9, 60, 10, 8, 9, 28, 9, 12, 16, 16, 14, 12, 40)):
        ws.column_dimensions[col].width = width
    guide = wb.create_sheet("HuongDan")
    for line in (
            "Mỗi dòng là một Mục tiêu, một Chỉ số hoặc một Nhiệm vụ (cột Loại). Chỉ số và nhiệm vụ ghi mã mục tiêu "
            "của mình ở cột Mục tiêu.",
            "So sánh: >= (ít nhất) hoặc <= (nhiều nhất). Chỉ tiêu: một số, hoặc một mức của Thang xếp loại.",
            "Tần suất: tháng, quý, năm. Nguồn số liệu: đơn vị, hệ thống (Mục tiêu 4, từ rà soát hằng năm), tệp.",
            "Đơn vị chủ trì / phối hợp: mã đơn vị, cách nhau bởi dấu phẩy (VP, QLKH...), hoặc “Tất cả”. Với chỉ số: "
            "đơn vị chủ trì là đơn vị nộp số liệu (để trống: mọi đơn vị).",
            "Thời hạn: hàng tháng, hàng quý (Ngày hạn = ngày N), hàng năm (Ngày hạn = dd/mm/yyyy), khi được giao, "
            "thường xuyên."):
        guide.append([line])
    guide.column_dimensions["A"].width = 140
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class Preview:
    objectives: list = field(default_factory=list)   # (row, code, statement)
    indicators: list = field(default_factory=list)   # (row, code, fields)
    tasks: list = field(default_factory=list)        # (row, code, fields, links)
    errors: list = field(default_factory=list)       # (row, message key, params)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.objectives or self.indicators or self.tasks)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def read_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (openpyxl raises many kinds for a file that is not XLSX)
        raise ObjectiveError("bad_file")
    ws = wb.worksheets[0]
    rows = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if number == 1:
            continue
        cells = [_text(v) for v in values][:len(HEADER)]
        cells += [""] * (len(HEADER) - len(cells))
        if any(cells):
            rows.append((number, cells))
        require(len(rows) <= MAX_ROWS, "bad_file")
    wb.close()
    return rows


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]


def preview(plan: ObjectivePlan, data: bytes) -> Preview:
    out = Preview()
    known = {o.code for o in plan.objectives}
    for number, c in read_rows(data):
        kind = KINDS.get(c[0].lower())
        code = c[1].upper()
        try:
            if kind is None:
                raise ObjectiveError("row_kind", value=c[0])
            if kind == "objective":
                require(bool(code) and len(code) <= 10, "code_required")
                require(code not in known, "code_exists", code=code)
                require(bool(c[2]), "statement_required")
                known.add(code)
                out.objectives.append((number, code, c[2]))
                continue
            require(code in known, "row_objective", code=code)
            if kind == "indicator":
                from app.auth.models import Unit
                from sqlalchemy import select

                owner = None
                if c[9] and c[9].lower() != ALL_UNITS:
                    owner = db.session.scalar(select(Unit.id).where(Unit.code == c[9].upper()))
                    require(owner is not None, "unknown_unit", code=c[9])
                require(c[7].lower() in FREQ, "bad_frequency")
                require(c[8].lower() in SOURCE, "bad_source")
                fields = indicator_fields(name=c[2], measure=c[3] or "%", kind=KIND_RATING if c[6] else KIND_NUMBER,
                                          scale=c[6], target=c[5], direction=c[4] or rules.AT_LEAST, margin="",
                                          frequency=FREQ[c[7].lower()], source=SOURCE[c[8].lower()],
                                          owner_unit_id=owner)
                out.indicators.append((number, code, fields))
            else:
                rule = RULE.get(c[11].lower())
                require(rule is not None, "bad_rule")
                rule_date = None
                if rule == rules.YEARLY:
                    rule_date = rules._parse_day(c[12])
                    require(rule_date is not None, "rule_date")
                everyone = c[9].lower() == ALL_UNITS
                fields, links = task_fields(content=c[2], deadline_text=c[13], rule=rule,
                                            rule_day=c[12] if rule in (rules.MONTHLY, rules.QUARTERLY) else None,
                                            rule_date=rule_date, all_units=everyone,
                                            lead_codes=[] if everyone else _codes(c[9]),
                                            coordinating_codes=_codes(c[10]),
                                            performer_text=c[9], coordination_text=c[10])
                out.tasks.append((number, code, fields, links))
        except ObjectiveError as exc:
            out.errors.append((number, exc.key, exc.params))
    return out


def apply(actor, plan: ObjectivePlan, data: bytes) -> Preview:
    """Import the whole file or nothing: a file with any bad row raises before the first write."""
    allow(perm.can_manage_plan(actor, plan))
    require(plan.editable, "not_draft")
    result = preview(plan, data)
    require(not result.errors, "import_rows", rows=result.errors)
    require(result.ok, "import_empty")
    by_code = {o.code: o for o in plan.objectives}
    for _n, code, statement in result.objectives:
        obj = Objective(code=code, statement=statement, seq=len(by_code) + 1)
        plan.objectives.append(obj)
        by_code[code] = obj
    for _n, code, fields in result.indicators:
        obj = by_code[code]
        obj.indicators.append(Indicator(seq=len(obj.indicators) + 1, **fields))
    for _n, code, fields, links in result.tasks:
        obj = by_code[code]
        task = ObjectiveTask(seq=len(obj.tasks) + 1, **fields)
        task.units = [TaskUnit(unit_id=u, role=r) for u, r in links]
        obj.tasks.append(task)
    db.session.flush()
    record(actor, "objectives.plan_import", "objectives", plan.year,
           f"Nhập kế hoạch năm {plan.year} từ tệp: {len(result.objectives)} mục tiêu, "
           f"{len(result.indicators)} chỉ số, {len(result.tasks)} nhiệm vụ",
           {"objectives": [c for _n, c, _s in result.objectives], "indicators": len(result.indicators),
            "tasks": len(result.tasks)})
    return result


def value_rows(filename: str, data: bytes) -> list[tuple[int, str, str]]:
    """(row number, period key, value text) from a CSV or XLSX with a header row ("Kỳ", "Giá trị")."""
    name = (filename or "").lower()
    rows = []
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ObjectiveError("bad_file")
        for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > 1 and any(c.strip() for c in cells):
                rows.append((number, (cells + ["", ""])[0].strip(), (cells + ["", ""])[1].strip()))
    elif name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001
            raise ObjectiveError("bad_file")
        for number, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in values] + ["", ""]
            if number > 1 and any(cells):
                rows.append((number, cells[0], cells[1]))
        wb.close()
    else:
        raise ObjectiveError("bad_file")
    require(len(rows) <= MAX_ROWS, "bad_file")
    return rows
