"""Words the register's pages show for kinds, statuses, relations, changes, review states and errors."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "law": _l("Luật"), "decree": _l("Nghị định"), "circular": _l("Thông tư"),
    "joint_circular": _l("Thông tư liên tịch"), "decision": _l("Quyết định"), "resolution": _l("Nghị quyết"),
    "directive": _l("Chỉ thị"), "standard": _l("Tiêu chuẩn"), "other": _l("Văn bản khác"),
}
STATUS_LABELS = {
    "in_force": _l("Còn hiệu lực"), "amended": _l("Đã được sửa đổi, bổ sung"),
    "partly_replaced": _l("Bị thay thế một phần"), "replaced": _l("Bị thay thế (hết hiệu lực)"),
    "repealed": _l("Bị bãi bỏ (hết hiệu lực)"),
}
STATUS_BADGES = {"in_force": "bg-success", "amended": "bg-info text-dark", "partly_replaced": "bg-warning text-dark",
                 "replaced": "bg-danger", "repealed": "bg-danger"}
# "source <relation> target", read from the source's page and from the target's
RELATION_LABELS = {"amends": _l("Sửa đổi, bổ sung"), "partly_replaces": _l("Thay thế một phần"),
                   "replaces": _l("Thay thế"), "repeals": _l("Bãi bỏ"), "guides": _l("Hướng dẫn")}
RELATION_INVERSE = {"amends": _l("Được sửa đổi, bổ sung bởi"), "partly_replaces": _l("Bị thay thế một phần bởi"),
                    "replaces": _l("Bị thay thế bởi"), "repeals": _l("Bị bãi bỏ bởi"),
                    "guides": _l("Được hướng dẫn bởi")}
CHANGE_LABELS = {"amended": _l("Được sửa đổi, bổ sung"), "partly_replaced": _l("Bị thay thế một phần"),
                 "replaced": _l("Bị thay thế"), "repealed": _l("Bị bãi bỏ")}
REVIEW_STATUS_LABELS = {"pending": _l("Chờ đơn vị rà soát"), "recorded": _l("Chờ trưởng đơn vị xác nhận"),
                        "awaiting_issue": _l("Đang cập nhật, chờ ban hành"), "done": _l("Đã hoàn thành"),
                        "closed": _l("Đã đóng (quy trình bãi bỏ)")}
REVIEW_STATUS_BADGES = {"pending": "bg-light text-dark border", "recorded": "bg-info text-dark",
                        "awaiting_issue": "bg-warning text-dark", "done": "bg-success", "closed": "bg-secondary"}
OUTCOME_LABELS = {"maintained": _l("Duy trì (không thay đổi)"), "updated": _l("Cập nhật"),
                  "withdraw": _l("Đề nghị bãi bỏ")}
CITED_LABELS = {"yes": _l("Được quy trình viện dẫn"), "no": _l("Chưa quy trình nào viện dẫn")}

ERRORS = {
    "forbidden": _l("Bạn không có quyền thực hiện thao tác này."),
    "number_required": _l("Vui lòng nhập số, ký hiệu văn bản."),
    "number_too_long": _l("Số, ký hiệu quá dài (tối đa 80 ký tự)."),
    "number_unreadable": _l("Không đọc được số, ký hiệu: hãy viết như 61/2018/NĐ-CP hoặc TCVN ISO 9001:2015."),
    "bad_kind": _l("Loại văn bản không hợp lệ."),
    "title_required": _l("Vui lòng nhập trích yếu (tên) văn bản."),
    "title_too_long": _l("Trích yếu quá dài (tối đa %(limit)s ký tự)."),
    "issuer_too_long": _l("Tên cơ quan ban hành quá dài (tối đa 200 ký tự)."),
    "effective_before_signed": _l("Ngày hiệu lực không được trước ngày ban hành."),
    "duplicate": _l("Văn bản %(number)s đã có trong danh mục."),
    "duplicate_in_file": _l("Trùng với văn bản ở dòng %(other)s của tệp."),
    "bad_date": _l("Ngày không hợp lệ: %(value)s (viết dd/mm/yyyy)."),
    "bad_relation": _l("Vui lòng chọn quan hệ giữa hai văn bản."),
    "self_relation": _l("Một văn bản không thể sửa đổi, thay thế hay hướng dẫn chính nó."),
    "relation_exists": _l("Quan hệ này đã được ghi nhận."),
    "unknown_target": _l("Không tìm thấy văn bản %(number)s trong danh mục: hãy thêm văn bản đó trước."),
    "bad_change": _l("Vui lòng chọn loại thay đổi."),
    "no_longer_in_force": _l("Văn bản %(number)s đã hết hiệu lực nên không ghi nhận thêm thay đổi."),
    "change_exists": _l("Thay đổi này (bởi văn bản %(number)s) đã được ghi nhận."),
    "change_recorded_today": _l("Thay đổi này đã được ghi nhận hôm nay; nếu là một văn bản khác, hãy nêu số, ký hiệu "
                                "của văn bản đó."),
    "review_closed": _l("Rà soát này đã hoàn thành hoặc đã đóng."),
    "procedure_withdrawn": _l("Quy trình đã bãi bỏ nên không cần rà soát."),
    "bad_outcome": _l("Vui lòng chọn kết quả rà soát."),
    "note_required": _l("Vui lòng ghi nhận xét: vì sao quy trình được duy trì hoặc đề nghị bãi bỏ."),
    "not_recorded": _l("Rà soát chưa được ghi nhận hoặc đã được xác nhận."),
    "import_has_errors": _l("Tệp còn dòng lỗi nên không nhập dòng nào."),
    "unreadable": _l("Không đọc được tệp: hãy dùng tệp CSV (UTF-8) hoặc XLSX."),
    "not_utf8": _l("Tệp CSV phải được lưu với bảng mã UTF-8."),
    "bad_format": _l("Chỉ nhận tệp .csv hoặc .xlsx."),
    "empty": _l("Tệp không có dòng dữ liệu nào."),
    "missing_column": _l("Tệp thiếu cột bắt buộc (Số ký hiệu, Trích yếu)."),
    "too_many_rows": _l("Tệp quá nhiều dòng (tối đa %(limit)s)."),
    "no_file": _l("Vui lòng chọn tệp để nhập."),
}


def error_message(exc) -> str:
    template = ERRORS.get(getattr(exc, "key", ""), ERRORS["forbidden"])
    params = getattr(exc, "params", None) or {}
    try:
        return str(template) % params if params else str(template)
    except (KeyError, TypeError):
        return str(template)
