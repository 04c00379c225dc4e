"""A change-triggered review's page: what changed, and the owner unit's answer (record, confirm)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import can_confirm_reviews, can_read_reviews, can_work_on_reviews, check, require
from app.extensions import db
from app.legal import change_reviews
from app.legal.blueprint import bp, fail
from app.legal.citations import bases_of
from app.legal.forms import ChangeReviewForm
from app.legal.labels import error_message
from app.legal.permissions import can_confirm_change_review, can_read_change_review, can_record_change_review
from app.legal.services import LegalError


def _review_or_404(change_id: int, code: str):
    cr = change_reviews.get(change_id, code)
    if cr is None:
        abort(404)
    return cr


def _page(cr, form=None, status: int = 200):
    form = form or ChangeReviewForm(data={"outcome": cr.outcome, "note": cr.note})
    return render_template("legal/review.html", cr=cr, form=form, bases=bases_of(cr.procedure),
                           can_record=can_record_change_review(current_user, cr) and cr.is_open,
                           can_confirm=can_confirm_change_review(current_user, cr) and cr.status == "recorded"), status


@bp.get("/changes/<int:change_id>/<code>")
@require(can_read_reviews)
def review(change_id: int, code: str):
    cr = _review_or_404(change_id, code)
    check(can_read_change_review(current_user, cr))
    return _page(cr)


@bp.post("/changes/<int:change_id>/<code>/record")
@require(can_work_on_reviews)
def record_review(change_id: int, code: str):
    cr = _review_or_404(change_id, code)
    check(can_record_change_review(current_user, cr))
    form = ChangeReviewForm()
    if not form.validate_on_submit():
        return _page(cr, form, 400)
    try:
        change_reviews.record(current_user, cr, outcome=form.outcome.data, note=form.note.data or "")
    except LegalError as exc:
        db.session.rollback()
        if exc.field and hasattr(form, exc.field):
            getattr(form, exc.field).errors = [error_message(exc)]
        else:
            flash(error_message(exc), "danger")
        return _page(_review_or_404(change_id, code), form, 400)
    db.session.commit()
    if cr.status == "awaiting_issue":
        flash(_("Đã ghi nhận: quy trình sẽ được cập nhật. Hãy soạn bản cập nhật; rà soát hoàn thành khi bản mới "
                "được ban hành."), "success")
    elif cr.status == "recorded":
        flash(_("Đã ghi nhận; chờ trưởng đơn vị xác nhận."), "success")
    else:
        flash(_("Đã ghi nhận và hoàn thành rà soát."), "success")
    return redirect(url_for("legal.review", change_id=change_id, code=code))


@bp.post("/changes/<int:change_id>/<code>/confirm")
@require(can_confirm_reviews)
def confirm_review(change_id: int, code: str):
    cr = _review_or_404(change_id, code)
    check(can_confirm_change_review(current_user, cr))
    try:
        change_reviews.confirm(current_user, cr)
    except LegalError as exc:
        fail(exc)
        return redirect(url_for("legal.review", change_id=change_id, code=code))
    db.session.commit()
    flash(_("Đã xác nhận; rà soát được tính cho năm nay."), "success")
    return redirect(url_for("legal.review", change_id=change_id, code=code))
