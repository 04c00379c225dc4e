"""Import pages: the plan's XLSX template, a preview that names every bad row, the all-or-nothing import,
and the period figures of an imported indicator (CSV or XLSX)."""
from __future__ import annotations

import base64
import binascii

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import require
from app.exports import XLSX_MIME
from app.extensions import db
from app.objectives import consolidation, importer, labels, services
from app.objectives.models import Indicator
from app.objectives.permissions import can_consolidate, can_manage_plan
from app.objectives.blueprint import bp
from app.objectives.routes import fail, plan_or_404
from app.objectives.services import ObjectiveError

MAX_BYTES = 2 * 1024 * 1024


@bp.get("/import-template.xlsx")
@require(can_manage_plan)
def import_template():
    return Response(importer.template_bytes(), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": 'attachment; filename="mau-ke-hoach-muc-tieu-chat-luong.xlsx"'})


def _uploaded() -> bytes | None:
    encoded = request.form.get("content", "")
    if encoded:
        try:
            return base64.b64decode(encoded.encode(), validate=True)
        except (binascii.Error, ValueError):
            return None
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    data = upload.read(MAX_BYTES + 1)
    return data if len(data) <= MAX_BYTES else None


@bp.get("/<int:year>/import")
@require(can_manage_plan)
def import_form(year: int):
    return render_template("objectives/import.html", plan=plan_or_404(year), result=None, errors=[], content="")


@bp.post("/<int:year>/import")
@require(can_manage_plan)
def import_plan(year: int):
    plan = plan_or_404(year)
    data = _uploaded()
    if data is None:
        flash(labels.ERRORS["bad_file"], "danger")
        return render_template("objectives/import.html", plan=plan, result=None, errors=[], content=""), 400
    try:
        if request.form.get("action") == "confirm":
            result = importer.apply(current_user, plan, data)
            db.session.commit()
            flash(_("Đã nhập %(o)s mục tiêu, %(i)s chỉ số, %(t)s nhiệm vụ.", o=len(result.objectives),
                    i=len(result.indicators), t=len(result.tasks)), "success")
            return redirect(url_for("objectives.edit", year=year))
        result = importer.preview(plan, data)
    except ObjectiveError as exc:
        errors = labels.plan_row_errors(exc.params.get("rows", [])) if exc.key == "import_rows" else []
        fail(exc)
        return render_template("objectives/import.html", plan=plan_or_404(year), result=None, errors=errors,
                               content=""), 400
    errors = labels.plan_row_errors(result.errors)
    return render_template("objectives/import.html", plan=plan, result=result, errors=errors,
                           content=base64.b64encode(data).decode() if result.ok else ""), 200 if result.ok else 400


@bp.post("/<int:year>/indicators/<int:indicator_id>/values")
@require(can_consolidate)
def import_values(year: int, indicator_id: int):
    plan = plan_or_404(year)
    ind = db.session.get(Indicator, indicator_id)
    if ind is None or ind.objective.plan_id != plan.id:
        abort(404)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ObjectiveError("bad_file")
        rows = importer.value_rows(upload.filename, upload.read(MAX_BYTES))
        periods = {p.key: p for p in services.periods_of(plan)}
        n = consolidation.import_values(current_user, ind, rows, periods)
    except ObjectiveError as exc:
        for line in labels.row_errors(exc) if exc.key == "import_rows" else []:
            flash(line, "danger")
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã nhập %(n)s số liệu cho chỉ số “%(name)s”.", n=n, name=ind.name), "success")
    return redirect(url_for("objectives.plan", year=year))
