"""The search page (/search): Vietnamese full-text search over the procedures a user may read."""
from __future__ import annotations

import logging

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import Unit
from app.auth.permissions import can_read_register, require
from app.extensions import db
from app.procedures import core, views
from app.procedures.queries import search_draft_units
from app.search import QueryError

bp = Blueprint("search", __name__)

NOTICES = {
    "truncated": _l("Từ khóa quá dài nên chỉ phần đầu được dùng để tìm."),
    "unclosed_quote": _l("Dấu ngoặc kép chưa đóng; đã tìm theo từng từ."),
    "ignored_syntax": _l("Một số ký hiệu trong từ khóa không được hỗ trợ và đã bị bỏ qua."),
    "no_terms": _l("Từ khóa không có chữ hoặc số nào để tìm."),
    "short_prefix": _l("Tìm theo tiền tố (dấu *) cần ít nhất 2 chữ cái; tiền tố ngắn hơn đã bị bỏ qua."),
    "index_unavailable": _l("Chức năng tìm kiếm tạm thời chưa sẵn sàng, vui lòng thử lại sau."),
    "folded_match": _l("Không quy trình nào có đủ các từ đúng dấu như đã gõ; kết quả dưới đây khớp khi bỏ qua dấu."),
    "partial_match": _l("Không quy trình nào chứa: %(words)s. Kết quả dưới đây tìm theo các từ còn lại."),
    "partial_suggestion": _l("Không quy trình nào chứa: %(words)s. Các từ còn lại có trong rất nhiều quy trình "
                             "nên không hiển thị kết quả."),
}
ERRORS = {
    "not_text": _l("Từ khóa tìm kiếm phải là văn bản."),
    "invalid_query": _l("Không hiểu được từ khóa tìm kiếm; hãy thử các từ đơn giản hơn."),
}
log = logging.getLogger(__name__)


def _draft_units():
    return search_draft_units(current_user)


@bp.get("/search")
@require(can_read_register)
def search():
    q = (request.args.get("q") or "").strip()
    unit, status = request.args.get("unit") or None, request.args.get("status") or None
    sort = request.args.get("sort") if request.args.get("sort") in ("relevance", "code") else "relevance"
    page = max(1, request.args.get("page", 1, type=int))
    results, error = None, None
    index = core.search_index()
    views.activate_due()
    if index.needs_rebuild:
        _rebuild(index)
    if q:
        try:
            results = index.search(q, unit=unit, status=status, draft_units=_draft_units(), sort=sort,
                                   page=page, per_page=20)
        except QueryError as exc:
            error = ERRORS.get(exc.code, ERRORS["invalid_query"])
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all()
    return render_template("search/results.html", q=q, results=results, error=error, units=units,
                           args=request.args, sort=sort, notices=_notices(results))


def _notices(results) -> list[str]:
    if not results:
        return []
    words = ", ".join(f"“{w}”" for w in results.dropped)
    return [str(NOTICES[n]) % {"words": words} if n in ("partial_match", "partial_suggestion") else str(NOTICES[n])
            for n in results.notices if n in NOTICES]


def _rebuild(index) -> None:
    """A missing or corrupt index is a cache miss: rebuild it from the store before answering."""
    from app.procedures.cli import reindex

    log.warning("search index missing or unhealthy: rebuilding from the store")
    reindex(echo=lambda *a, **k: None, progress=False)
