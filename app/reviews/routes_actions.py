"""Review pages that change something: open, settings and close of a cycle; record, confirm, accept, return."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app.auth import permissions as perm
from app.auth.permissions import (can_accept_review, can_confirm_reviews, can_manage_cycles, can_work_on_reviews,
                                  check, require)
from app.extensions import db
from app.reviews import services
from app.reviews.forms import CycleSettingsForm, OpenCycleForm, RecordForm, ReturnForm
from app.reviews.labels import error_message
from app.reviews.models import Review
from app.reviews.blueprint import bp
from app.reviews.routes import cycle_or_404, render_index, render_review, review_or_404
from app.reviews.services import ReviewError
from app.timeutil import local_today


def _next_or(default: str) -> str:
    """Only a local path is followed (no open redirect)."""
    target = request.form.get("next") or request.args.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


def _fail(exc: ReviewError) -> None:
    db.session.rollback()
    flash(error_message(exc), "danger")


@bp.post("/")
@require(can_manage_cycles)
def open_cycle():
    form = OpenCycleForm()
    today = local_today()
    if not form.validate_on_submit():
        return render_index(form, today, 400)
    try:
        cycle = services.open_cycle(current_user, year=form.year.data, deadline=form.deadline.data,
                                    meeting_on=form.meeting_on.data, note=form.note.data or "")
    except ReviewError as exc:
        _fail(exc)
        return render_index(form, today, 400)
    db.session.commit()
    flash(_("Đã mở đợt rà soát năm %(year)s.", year=cycle.year), "success")
    return redirect(url_for("reviews.cycle", year=cycle.year))


@bp.post("/<int:year>/settings")
@require(can_manage_cycles)
def settings(year: int):
    cycle = cycle_or_404(year)
    form = CycleSettingsForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for e in errors:
                flash(e, "danger")
        return redirect(url_for("reviews.cycle", year=year))
    try:
        services.update_cycle(current_user, cycle, deadline=form.deadline.data, meeting_on=form.meeting_on.data,
                              note=form.note.data or "")
    except ReviewError as exc:
        _fail(exc)
    else:
        db.session.commit()
        flash(_("Đã lưu thông tin đợt rà soát."), "success")
    return redirect(url_for("reviews.cycle", year=year))


@bp.post("/<int:year>/close")
@require(can_manage_cycles)
def close(year: int):
    cycle = cycle_or_404(year)
    try:
        services.close_cycle(current_user, cycle)
    except ReviewError as exc:
        _fail(exc)
    else:
        db.session.commit()
        flash(_("Đã đóng đợt rà soát năm %(year)s: kết quả đã được chốt.", year=year), "success")
    return redirect(url_for("reviews.cycle", year=year))


@bp.post("/<int:year>/<code>/record")
@require(can_work_on_reviews)
def record(year: int, code: str):
    review = review_or_404(cycle_or_404(year), code)
    check(perm.can_record_review(current_user, review))
    form = RecordForm()
    if not form.validate_on_submit():
        return render_review(review, record_form=form, status=400)
    try:
        services.record(current_user, review, outcome=form.outcome.data, note=form.note.data or "")
    except ReviewError as exc:
        _fail(exc)
        review = review_or_404(cycle_or_404(year), code)
        return render_review(review, record_form=form, status=400)
    db.session.commit()
    flash(_("Đã ghi nhận kết quả rà soát %(code)s; chờ trưởng đơn vị xác nhận.", code=code), "success")
    return redirect(url_for("reviews.review", year=year, code=code))


@bp.post("/<int:year>/<code>/confirm")
@require(can_confirm_reviews)
def confirm(year: int, code: str):
    review = review_or_404(cycle_or_404(year), code)
    check(perm.can_confirm_review(current_user, review))
    try:
        services.confirm(current_user, review)
    except ReviewError as exc:
        _fail(exc)
    else:
        db.session.commit()
        flash(_("Đã xác nhận rà soát %(code)s và gửi Thư ký ISO.", code=code), "success")
    return redirect(_next_or(url_for("reviews.review", year=year, code=code)))


@bp.post("/<int:year>/bulk-confirm")
@require(can_confirm_reviews)
def bulk_confirm(year: int):
    cycle = cycle_or_404(year)
    ids = [int(i) for i in request.form.getlist("review_id") if i.isdigit()]
    reviews = list(db.session.scalars(select(Review).where(Review.cycle_id == cycle.id, Review.id.in_(ids)))) \
        if ids else []
    for review in reviews:
        check(perm.can_confirm_review(current_user, review))
    try:
        done, skipped = services.bulk_confirm(current_user, reviews)
    except ReviewError as exc:
        _fail(exc)
    else:
        db.session.commit()
        flash(ngettext("Đã xác nhận %(num)d rà soát.", "Đã xác nhận %(num)d rà soát.", len(done)), "success")
        if skipped:
            flash(_("%(n)s rà soát không xác nhận hàng loạt được (chỉ rà soát “Duy trì” đang chờ xác nhận).",
                    n=len(skipped)), "warning")
    return redirect(_next_or(url_for("reviews.cycle", year=year)))


@bp.post("/<int:year>/<code>/accept")
@require(can_accept_review)
def accept(year: int, code: str):
    review = review_or_404(cycle_or_404(year), code)
    try:
        services.accept(current_user, review)
    except ReviewError as exc:
        _fail(exc)
    else:
        db.session.commit()
        flash(_("Đã chấp nhận kết quả rà soát %(code)s.", code=code), "success")
    return redirect(_next_or(url_for("reviews.review", year=year, code=code)))


@bp.post("/<int:year>/<code>/return")
@require(can_accept_review)
def return_review(year: int, code: str):
    review = review_or_404(cycle_or_404(year), code)
    form = ReturnForm()
    if not form.validate_on_submit():
        return render_review(review, return_form=form, status=400)
    try:
        services.return_review(current_user, review, form.comment.data)
    except ReviewError as exc:
        _fail(exc)
        review = review_or_404(cycle_or_404(year), code)
        return render_review(review, return_form=form, status=400)
    db.session.commit()
    flash(_("Đã trả lại rà soát %(code)s cho đơn vị.", code=code), "success")
    return redirect(url_for("reviews.review", year=year, code=code))

