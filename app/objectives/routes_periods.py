"""Period pages: the Office's consolidation, a unit's report, CAPA proposals, closing, print and XLSX export."""
from __future__ import annotations

import re

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import Unit
from app.auth.permissions import check, require
from app.exports import XLSX_MIME
from app.extensions import db
from app.objectives import consolidation, figures, labels, reports
from app.objectives import permissions as perm
from app.objectives.forms import CommentForm, SummaryForm
from app.objectives.models import ENTRY_STATUSES, UnitReport
from app.objectives.permissions import (can_consolidate, can_export_period, can_read_objectives,
                                        can_work_on_reports)
from app.objectives.blueprint import bp
from app.objectives.routes import fail, plan_or_404
from app.objectives.services import ObjectiveError, get_period
from app.params import small_int
from app.timeutil import local_today

EVIDENCE = re.compile(r"(https?://\S+|CAPA-\d{4}-\d{3}|QT-[A-Z0-9-]+)")


def period_or_404(year: int, key: str):
    plan = plan_or_404(year)
    period = get_period(plan, key)
    if period is None:
        abort(404)
    return plan, period


def evidence_links(text: str) -> list[tuple[str, str | None]]:
    """Each evidence line with where it points: a web address, a CAPA record, a procedure."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        m = EVIDENCE.search(line)
        href = None
        if m:
            token = m.group(1)
            href = token if token.startswith("http") else (f"/capa/{token}" if token.startswith("CAPA-")
                                                          else f"/procedures/{token}")
        out.append((line, href))
    return out


@bp.get("/<int:year>/periods/<key>", endpoint="period")
@require(can_read_objectives)
def period_page(year: int, key: str, summary_form=None, status=200):
    plan, period = period_or_404(year, key)
    today = local_today()
    view = figures.period_view(plan, period, today)
    sees_all = perm.can_read_all_reports(current_user)
    props = figures.proposals(view) if sees_all else []
    form = summary_form or SummaryForm(summary=period.summary)
    return render_template("objectives/period.html", plan=plan, period=period, view=view, proposals=props,
                           sees_all=sees_all, form=form, today=today,
                           units=db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code))
                           .all()), status


@bp.get("/<int:year>/periods/<key>/print")
@require(can_export_period)
def period_print(year: int, key: str):
    plan, period = period_or_404(year, key)
    view = figures.period_view(plan, period, local_today())
    return render_template("objectives/print.html", plan=plan, period=period, view=view,
                           proposals=figures.proposals(view), today=local_today())


@bp.get("/<int:year>/periods/<key>/export.xlsx")
@require(can_export_period)
def period_export(year: int, key: str):
    plan, period = period_or_404(year, key)
    from app.objectives.export import period_workbook  # openpyxl: loaded by the first export only

    view = figures.period_view(plan, period, local_today())
    data = period_workbook(view, figures.proposals(view))
    return Response(data, mimetype=XLSX_MIME, headers={
        "Content-Disposition": f'attachment; filename="muc-tieu-chat-luong-{period.key}.xlsx"'})


@bp.post("/<int:year>/periods/<key>/summary")
@require(can_consolidate)
def period_summary(year: int, key: str):
    plan, period = period_or_404(year, key)
    form = SummaryForm()
    action = request.form.get("action", "save")
    try:
        if action == "close":
            consolidation.close_period(current_user, period, form.summary.data or "", local_today())
            message = _("Đã khoá kỳ %(key)s: báo cáo và số liệu của kỳ đã được chốt.", key=period.key)
        else:
            consolidation.save_summary(current_user, period, form.summary.data or "")
            message = _("Đã lưu báo cáo tổng hợp.")
    except ObjectiveError as exc:
        fail(exc)
        return period_page(year, key, summary_form=form, status=400)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("objectives.period", year=year, key=period.key))


@bp.post("/<int:year>/periods/<key>/capa")
@require(can_consolidate)
def raise_capa(year: int, key: str):
    plan, period = period_or_404(year, key)
    unit_id = small_int(request.form.get("unit_id"))
    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    try:
        capa = consolidation.raise_capa(current_user, period, request.form.get("kind", ""), request.form.get("ref", ""),
                                        local_today(), unit=unit)
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã lập phiếu %(number)s.", number=capa.number), "success")
    return redirect(url_for("objectives.period", year=year, key=period.key) + "#capa")


@bp.post("/<int:year>/periods/<key>/dismiss")
@require(can_consolidate)
def dismiss(year: int, key: str):
    plan, period = period_or_404(year, key)
    try:
        consolidation.dismiss(current_user, period, request.form.get("kind", ""), request.form.get("ref", ""),
                              request.form.get("reason", ""), local_today())
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã ghi lý do không lập CAPA."), "success")
    return redirect(url_for("objectives.period", year=year, key=period.key) + "#capa")


# -- a unit's report -----------------------------------------------------------------------------
def _unit_or_404(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code.upper()))
    if unit is None:
        abort(404)
    return unit


def _draft_from(form, tasks, indicators) -> reports.Draft:
    draft = reports.Draft(note=form.get("note", ""))
    for task in tasks:
        draft.entries[task.id] = {name: form.get(f"{name}-{task.id}", "") for name in
                                  ("done_text", "status", "reason", "evidence")}
    for ind in indicators:
        draft.values[ind.id] = form.get(f"value-{ind.id}", "")
    return draft


def _draft_of(report, tasks, indicators) -> reports.Draft:
    draft = reports.Draft(note=(report.note or "") if report else "")
    entries = {e.task_id: e for e in report.entries} if report else {}
    values = reports.values_of(report) if report and report.id else {}
    for task in tasks:
        e = entries.get(task.id)
        draft.entries[task.id] = ({"done_text": e.done_text, "status": e.status, "reason": e.reason,
                                   "evidence": e.evidence} if e else {"status": ""})
    for ind in indicators:
        v = values.get(ind.id)
        if v is None:
            draft.values[ind.id] = ""
        elif ind.kind == "rating":
            draft.values[ind.id] = ind.label(v.value)
        else:
            draft.values[ind.id] = f"{v.value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return draft


def render_report(plan, period, unit, draft=None, errors=(), status=200, return_form=None):
    report = reports.get_report(period, unit) or UnitReport(period=period, unit=unit, status="draft")
    check(perm.can_read_report(current_user, report))
    tasks = reports.tasks_for_unit(plan, unit.id, period.kind)
    indicators = reports.indicators_owed(plan, unit.id, period.kind)
    editable = (report.status in reports.EDITABLE and not period.is_closed and plan.status == "in_force"
                and perm.can_draft_report(current_user, report))
    return render_template("objectives/report.html", plan=plan, period=period, unit=unit, report=report,
                           tasks=tasks, indicators=indicators, draft=draft or _draft_of(report, tasks, indicators),
                           errors=set(errors), editable=editable, entry_statuses=ENTRY_STATUSES,
                           evidence_links=evidence_links, today=local_today(),
                           return_form=return_form or CommentForm()), status


@bp.get("/<int:year>/periods/<key>/reports/<unit_code>")
@require(can_read_objectives)
def report(year: int, key: str, unit_code: str):
    plan, period = period_or_404(year, key)
    return render_report(plan, period, _unit_or_404(unit_code))


@bp.post("/<int:year>/periods/<key>/reports/<unit_code>")
@require(can_work_on_reports)
def save_report(year: int, key: str, unit_code: str):
    plan, period = period_or_404(year, key)
    unit = _unit_or_404(unit_code)
    check(perm.can_draft_report(current_user, reports.get_report(period, unit) or UnitReport(unit=unit)))
    tasks = reports.tasks_for_unit(plan, unit.id, period.kind)
    indicators = reports.indicators_owed(plan, unit.id, period.kind)
    draft = _draft_from(request.form, tasks, indicators)
    try:
        rep = reports.save_draft(current_user, period, unit, draft)
        if request.form.get("action") == "send":
            reports.send(current_user, rep)
    except ObjectiveError as exc:
        fields = exc.params.get("fields", [])
        fail(exc)
        plan, period = period_or_404(year, key)
        return render_report(plan, period, _unit_or_404(unit_code), draft, fields, 400)
    db.session.commit()
    flash(_("Đã gửi báo cáo cho Văn phòng Sở.") if request.form.get("action") == "send"
          else _("Đã lưu dự thảo báo cáo."), "success")
    return redirect(url_for("objectives.report", year=year, key=period.key, unit_code=unit.code))


@bp.post("/<int:year>/periods/<key>/reports/<unit_code>/send")
@require(can_work_on_reports)
def send_report(year: int, key: str, unit_code: str):
    plan, period = period_or_404(year, key)
    unit = _unit_or_404(unit_code)
    rep = reports.get_report(period, unit)
    if rep is None:
        abort(404)
    check(perm.can_send_report(current_user, rep))
    try:
        reports.send(current_user, rep)
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã gửi báo cáo cho Văn phòng Sở."), "success")
    return redirect(url_for("objectives.report", year=year, key=period.key, unit_code=unit.code))


@bp.post("/<int:year>/periods/<key>/reports/<unit_code>/accept")
@require(can_consolidate)
def accept_report(year: int, key: str, unit_code: str):
    plan, period = period_or_404(year, key)
    rep = reports.get_report(period, _unit_or_404(unit_code))
    if rep is None:
        abort(404)
    try:
        reports.accept(current_user, rep)
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã chấp nhận báo cáo của %(unit)s.", unit=rep.unit.code), "success")
    return redirect(url_for("objectives.period", year=year, key=period.key))


@bp.post("/<int:year>/periods/<key>/reports/<unit_code>/return")
@require(can_consolidate)
def return_report(year: int, key: str, unit_code: str):
    plan, period = period_or_404(year, key)
    unit = _unit_or_404(unit_code)
    rep = reports.get_report(period, unit)
    if rep is None:
        abort(404)
    form = CommentForm()
    try:
        reports.return_report(current_user, rep, form.comment.data or "")
    except ObjectiveError as exc:
        fail(exc)
        plan, period = period_or_404(year, key)
        return render_report(plan, period, unit, status=400, return_form=form)
    db.session.commit()
    flash(_("Đã trả lại báo cáo cho %(unit)s.", unit=unit.code), "success")
    return redirect(url_for("objectives.period", year=year, key=period.key))


__all__ = ["labels"]
