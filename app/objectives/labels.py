"""Words the objectives pages, exports and reminders show for states, rules and errors (translatable)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

PLAN_STATUS = {"draft": _l("Dự thảo"), "approved": _l("Đã phê duyệt"), "in_force": _l("Đang thực hiện"),
               "closed": _l("Đã kết thúc")}
PLAN_BADGES = {"draft": "bg-light text-dark border", "approved": "bg-info text-dark", "in_force": "bg-primary",
               "closed": "bg-secondary"}
REPORT_STATUS = {"draft": _l("Đang soạn"), "sent": _l("Đã gửi"), "accepted": _l("Đã chấp nhận"),
                 "returned": _l("Bị trả lại"), "none": _l("Chưa có")}
REPORT_BADGES = {"draft": "bg-light text-dark border", "sent": "bg-info text-dark", "accepted": "bg-success",
                 "returned": "bg-warning text-dark", "none": "bg-light text-dark border"}
ENTRY_STATUS = {"done": _l("Đã hoàn thành"), "in_progress": _l("Đang thực hiện"), "not_done": _l("Chưa thực hiện")}
STATUS = {"met": _l("Đạt"), "at_risk": _l("Có nguy cơ không đạt"), "not_met": _l("Không đạt"),
          "no_data": _l("Chưa có số liệu")}
# shapes keep the statuses apart when printed in black and white
STATUS_MARKS = {"met": "●", "at_risk": "▲", "not_met": "✖", "no_data": "○"}
STATUS_BADGES = {"met": "bg-success", "at_risk": "bg-warning text-dark", "not_met": "bg-danger",
                 "no_data": "bg-light text-dark border"}
FREQUENCY = {"month": _l("Hàng tháng"), "quarter": _l("Hàng quý"), "year": _l("Hàng năm")}
SOURCE = {"unit": _l("Đơn vị báo cáo"), "computed": _l("Hệ thống tính (rà soát hằng năm)"),
          "imported": _l("Nhập từ tệp (CSV/XLSX)")}
RULE = {"monthly": _l("Hàng tháng, chậm nhất ngày %(day)s"),
        "quarterly": _l("Hàng quý, chậm nhất ngày %(day)s của tháng cuối quý"),
        "yearly": _l("Hàng năm, trước ngày %(date)s"), "on_assignment": _l("Theo thời hạn khi được giao"),
        "continuous": _l("Thường xuyên")}
RULE_CHOICES = {"monthly": _l("Hàng tháng"), "quarterly": _l("Hàng quý"), "yearly": _l("Hàng năm"),
                "on_assignment": _l("Khi được giao"), "continuous": _l("Thường xuyên")}
PERIOD_KIND = {"month": _l("Tháng"), "quarter": _l("Quý"), "year": _l("Năm")}
PROPOSAL_KIND = {"not_met": _l("Chỉ số không đạt"), "missing_report": _l("Thiếu báo cáo")}

EVENT_LABELS = {
    "objectives.plan_create": _l("Lập dự thảo kế hoạch mục tiêu"), "objectives.plan_copy": _l("Sao chép kế hoạch"),
    "objectives.plan_settings": _l("Thiết lập kế hoạch"), "objectives.plan_approve": _l("Phê duyệt kế hoạch"),
    "objectives.plan_return": _l("Trả lại dự thảo kế hoạch"), "objectives.plan_in_force": _l("Kế hoạch có hiệu lực"),
    "objectives.plan_close": _l("Kết thúc kế hoạch"), "objectives.plan_import": _l("Nhập kế hoạch từ tệp"),
    "objectives.objective_add": _l("Thêm mục tiêu"), "objectives.objective_delete": _l("Xoá mục tiêu"),
    "objectives.indicator_add": _l("Thêm chỉ số"), "objectives.indicator_delete": _l("Xoá chỉ số"),
    "objectives.task_add": _l("Thêm nhiệm vụ"), "objectives.task_delete": _l("Xoá nhiệm vụ"),
    "objectives.assignment_add": _l("Giao việc"), "objectives.assignment_done": _l("Hoàn thành việc được giao"),
    "objectives.report_save": _l("Lưu báo cáo mục tiêu"), "objectives.report_send": _l("Gửi báo cáo mục tiêu"),
    "objectives.report_accept": _l("Chấp nhận báo cáo mục tiêu"),
    "objectives.report_return": _l("Trả lại báo cáo mục tiêu"),
    "objectives.period_summary": _l("Báo cáo tổng hợp kỳ"), "objectives.period_close": _l("Khoá kỳ báo cáo"),
    "objectives.capa_raise": _l("Lập CAPA từ mục tiêu"), "objectives.capa_dismiss": _l("Không lập CAPA"),
    "objectives.values_import": _l("Nhập số liệu chỉ số"),
}

ERRORS = {
    "forbidden": _l("Bạn không có quyền thực hiện thao tác này."),
    "bad_year": _l("Năm không hợp lệ."),
    "plan_exists": _l("Kế hoạch năm %(year)s đã có."),
    "no_source_plan": _l("Chưa có kế hoạch năm trước để sao chép."),
    "title_required": _l("Vui lòng nhập tên kế hoạch."),
    "bad_holiday": _l("Ngày nghỉ lễ dòng %(line)s không phải là ngày (dd/mm/yyyy): “%(text)s”."),
    "window_start_day": _l("Ngày bắt đầu kỳ báo cáo phải từ 1 đến 28."),
    "due_day": _l("Ngày hạn báo cáo phải từ 1 đến 31."),
    "year_due": _l("Hạn báo cáo năm không hợp lệ."),
    "wrong_state": _l("Thao tác này không phù hợp với trạng thái hiện tại."),
    "plan_empty": _l("Kế hoạch chưa có mục tiêu nào."),
    "comment_required": _l("Vui lòng ghi ý kiến khi trả lại."),
    "plan_closed": _l("Kế hoạch đã kết thúc: chỉ xem được."),
    "not_draft": _l("Chỉ sửa được kế hoạch đang là dự thảo."),
    "code_required": _l("Vui lòng nhập mã mục tiêu (ví dụ MT1, tối đa 10 ký tự)."),
    "statement_required": _l("Vui lòng nhập nội dung mục tiêu."),
    "code_exists": _l("Mục tiêu %(code)s đã có trong kế hoạch."),
    "indicator_name_required": _l("Vui lòng nhập tên chỉ số."),
    "bad_kind": _l("Loại chỉ số không hợp lệ."),
    "bad_direction": _l("Chiều so sánh với chỉ tiêu không hợp lệ."),
    "bad_frequency": _l("Tần suất không hợp lệ (tháng, quý, năm)."),
    "bad_source": _l("Nguồn số liệu không hợp lệ."),
    "scale_required": _l("Chỉ số xếp loại cần thang xếp loại, ví dụ: Kém|Trung bình|Khá|Tốt|Xuất sắc."),
    "bad_target": _l("Chỉ tiêu không hợp lệ (một số, hoặc một mức của thang xếp loại)."),
    "bad_margin": _l("Ngưỡng cảnh báo phải là một số không âm."),
    "task_content_required": _l("Vui lòng nhập nội dung công việc."),
    "bad_rule": _l("Quy tắc thời hạn không hợp lệ."),
    "rule_day": _l("Vui lòng nhập ngày hạn (1–31)."),
    "rule_date": _l("Vui lòng nhập ngày hạn của nhiệm vụ hàng năm."),
    "rule_kind": _l("Quy tắc thời hạn không hợp lệ."),
    "unknown_unit": _l("Không có đơn vị mã “%(code)s”."),
    "lead_required": _l("Vui lòng chọn đơn vị chủ trì (hoặc “tất cả các phòng, đơn vị”)."),
    "plan_not_in_force": _l("Kế hoạch chưa có hiệu lực hoặc đã kết thúc."),
    "period_closed": _l("Kỳ báo cáo đã khoá: chỉ xem được."),
    "report_not_editable": _l("Báo cáo đã gửi nên không sửa được (trừ khi bị trả lại)."),
    "bad_rating": _l("“%(name)s”: hãy chọn một mức trong: %(allowed)s."),
    "bad_value": _l("“%(name)s”: “%(value)s” không phải là một số hợp lệ."),
    "bad_entry_status": _l("Vui lòng chọn tình trạng cho mỗi nhiệm vụ."),
    "reason_required": _l("Vui lòng nêu lý do."),
    "values_missing": _l("Chưa nhập số liệu: %(names)s."),
    "entries_missing": _l("Chưa ghi tình hình thực hiện của mọi nhiệm vụ: hãy lưu dự thảo đầy đủ trước khi gửi."),
    "summary_required": _l("Vui lòng viết báo cáo tổng hợp trước khi khoá kỳ."),
    "no_proposal": _l("Đề xuất này không còn (số liệu đã thay đổi)."),
    "already_decided": _l("Đề xuất này đã được xử lý."),
    "not_imported_indicator": _l("Chỉ số này không lấy số liệu từ tệp."),
    "import_rows": _l("Tệp có dòng không hợp lệ; chưa nhập gì."),
    "import_empty": _l("Tệp không có dòng số liệu nào."),
    "bad_file": _l("Không đọc được tệp: hãy dùng tệp XLSX theo mẫu (hoặc CSV cho số liệu)."),
    "row_kind": _l("loại dòng “%(value)s” không hợp lệ (Mục tiêu, Chỉ số, Nhiệm vụ)"),
    "row_objective": _l("mục tiêu “%(code)s” chưa có trong kế hoạch hay trong tệp"),
    "not_on_assignment": _l("Chỉ giao việc cho nhiệm vụ có thời hạn “khi được giao”."),
    "unit_required": _l("Vui lòng chọn đơn vị được giao."),
    "what_required": _l("Vui lòng ghi nội dung được giao."),
    "result_required": _l("Vui lòng ghi kết quả thực hiện."),
    "capa_forbidden": _l("Bạn không có quyền lập phiếu CAPA."),
    "capa_title_required": _l("Phiếu CAPA cần tiêu đề."),
    "capa_description_required": _l("Phiếu CAPA cần mô tả."),
}
ROW_ERRORS = {
    "bad_period": _l("kỳ “%(v)s” không có hoặc không đúng tần suất của chỉ số"),
    "period_closed": _l("kỳ “%(v)s” đã khoá"),
    "bad_value": _l("“%(v)s” không phải là một số hợp lệ"),
}


def error_message(exc) -> str:
    template = ERRORS.get(getattr(exc, "key", ""), ERRORS["forbidden"])
    params = {k: v for k, v in (exc.params or {}).items() if not isinstance(v, (list, dict))}
    try:
        return str(template) % params if params else str(template)
    except (KeyError, TypeError, ValueError):
        return str(template)


def plan_row_errors(errors) -> list[str]:
    """Row-by-row reasons of a refused plan file: "Dòng 4: ..."."""
    from types import SimpleNamespace

    return [str(_l("Dòng %(n)s: %(reason)s", n=n, reason=error_message(SimpleNamespace(key=k, params=p))))
            for n, k, p in errors]


def row_errors(exc) -> list[str]:
    """Row-by-row reasons of a refused import: "Dòng 4: ..."."""
    out = []
    for number, key, value in (exc.params or {}).get("rows", []):
        reason = ROW_ERRORS.get(key)
        out.append(_l("Dòng %(n)s: %(reason)s", n=number, reason=str(reason) % {"v": value} if reason else key))
    return out


def rule_text(task) -> str:
    """A task's deadline rule in words: "Hàng tháng, chậm nhất ngày 14"."""
    from app.timeutil import format_date

    template = str(RULE.get(task.rule, ""))
    return template % {"day": task.rule_day, "date": format_date(task.rule_date)} if "%(" in template else template
