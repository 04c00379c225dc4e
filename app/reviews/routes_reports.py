"""The steering committee's consolidated report of a cycle: XLSX, CSV and a printable page."""
from __future__ import annotations

from itertools import groupby

from flask import abort, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from app.auth.models import Unit, User
from app.auth.permissions import can_read_all_reviews, require
from app.exports import csv_response, xlsx_response
from app.extensions import db
from app.pagecache import shared_page
from app.procedures.models import Procedure
from app.reviews import compliance
from app.reviews.labels import OUTCOME_LABELS, STATUS_LABELS, accepted_by_text
from app.reviews.models import SOURCE_ISSUE, Review, ReviewCycle
from app.reviews.blueprint import bp
from app.reviews.routes import cycle_or_404
from app.timeutil import local_today


def report_header() -> list[str]:
    return [_("Đơn vị"), _("Mã hiệu"), _("Tên quy trình"), _("Trạng thái"), _("Kết quả"), _("Nhận xét / lý do"),
            _("Lần ban hành"), _("Phiên bản được rà soát"), _("Người ghi nhận"), _("Ngày ghi nhận"),
            _("Người xác nhận"), _("Ngày xác nhận"), _("Người chấp nhận"), _("Ngày chấp nhận")]


def report_reviews(cycle: ReviewCycle) -> list[Review]:
    """Every review of the cycle with its procedure, unit and people, in one query."""
    stmt = (select(Review).join(Procedure, Procedure.id == Review.procedure_id).join(Unit, Unit.id == Review.unit_id)
            .where(Review.cycle_id == cycle.id)
            .options(contains_eager(Review.procedure), contains_eager(Review.unit),
                     *(joinedload(rel).lazyload(User.role_rows)
                       for rel in (Review.recorded_by, Review.confirmed_by, Review.accepted_by)))
            .order_by(Unit.code, Procedure.code))
    return list(db.session.scalars(stmt).unique())


def _name(user) -> str:
    return user.full_name if user else ""


def outcome_text(review: Review) -> str:
    if not review.outcome:
        return ""
    text = str(OUTCOME_LABELS[review.outcome])
    if review.source == SOURCE_ISSUE:
        text = _("%(outcome)s (ban hành lần %(n)s)", outcome=text, n=review.issue_number)
    return text


def report_row(review: Review) -> list:
    return [review.unit.code, review.procedure.code, review.procedure.title, str(STATUS_LABELS[review.status]),
            outcome_text(review), review.note or "", review.issue_number or "", review.revision or "",
            _name(review.recorded_by), review.recorded_at, _name(review.confirmed_by), review.confirmed_at,
            accepted_by_text(review), review.accepted_at]


def objective4_summary(result) -> str:
    text = _("Mục tiêu 4: %(done)s/%(total)s quy trình đã rà soát (%(pct)s%%), còn %(left)s, quá hạn %(overdue)s",
             done=result.reviewed, total=result.total, pct=result.pct, left=result.remaining,
             overdue=result.overdue)
    if result.awaiting_issue:
        text += "; " + _("%(n)s chờ ban hành bản cập nhật", n=result.awaiting_issue)
    return text


@bp.get("/<int:year>/report.<fmt>")
@require(can_read_all_reviews)
def report(year: int, fmt: str):
    cycle = cycle_or_404(year)
    rows = (report_row(r) for r in report_reviews(cycle))
    name = f"ra-soat-quy-trinh-{year}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", report_header(), rows)
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", report_header(), rows, _("Rà soát năm %(year)s", year=year),
                             objective4_summary(compliance.cycle_compliance(cycle, local_today())))
    abort(404)


@bp.get("/<int:year>/print")
@shared_page
@require(can_read_all_reviews)
def print_report(year: int):
    cycle = cycle_or_404(year)
    result = compliance.cycle_compliance(cycle, local_today())
    reviews = report_reviews(cycle)
    groups = [(code, list(items)) for code, items in groupby(reviews, key=lambda r: r.unit.code)]
    # a province's year is thousands of rows: each label is translated once, not once per row
    outcomes = {key: str(label) for key, label in OUTCOME_LABELS.items()}
    by_issue = _("%(outcome)s (ban hành lần %(n)s)", outcome="{0}", n="{1}")

    def outcome_of(review):
        if not review.outcome:
            return ""
        text = outcomes[review.outcome]
        return by_issue.format(text, review.issue_number) if review.source == SOURCE_ISSUE else text

    return render_template("reviews/print.html", cycle=cycle, result=result, groups=groups,
                           outcome_text=outcome_of, today=local_today(),
                           status_text={key: str(label) for key, label in STATUS_LABELS.items()},
                           issue_text=_("Lần ban hành %(n)s", n="{}"), draft_text=_("Bản dự thảo"))
