"""Plan pages: the list of plans, a year's plan with its status and trends, and the plan's editing."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import Unit
from app.choices import choices
from app.auth.permissions import check, require
from app.extensions import db
from app.objectives import assignments, figures, hooks, labels, services  # noqa: F401  (hooks: providers)
from app.objectives import permissions as perm
from app.objectives.blueprint import bp
from app.objectives.chart import trend_svg
from app.objectives.forms import IndicatorForm, NewPlanForm, ObjectiveForm, SettingsForm, TaskForm
from app.objectives.models import Indicator, ObjectivePlan, ObjectiveTask, TaskAssignment
from app.objectives.permissions import (can_approve_plan, can_manage_plan, can_read_objectives,
                                        can_work_on_reports)
from app.objectives.services import ObjectiveError
from app.params import small_int
from app.timeutil import format_date, local_today, parse_date



@bp.app_context_processor
def objective_globals():
    return {"OBJ": labels, "objective_origin": figures.capa_origin}


def plan_or_404(year: int) -> ObjectivePlan:
    plan = services.get_plan(year)
    if plan is None:
        abort(404)
    return plan


def fail(exc: ObjectiveError) -> None:
    db.session.rollback()
    flash(labels.error_message(exc), "danger")


def form_errors(form) -> None:
    for name, errors in form.errors.items():
        for e in errors:
            flash(f"{getattr(form, name).label.text}: {e}", "danger")


def next_or(default: str) -> str:
    target = request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc:
        return target
    return default


@bp.get("/")
@require(can_read_objectives)
def index(form=None, status=200):
    plans = db.session.scalars(select(ObjectivePlan).order_by(ObjectivePlan.year.desc())).all()
    if form is None:
        form = NewPlanForm()
        form.year.data = local_today().year
    form.copy_from.choices = choices([("", _("(kế hoạch trống)"))] + [(str(p.year), str(p.year)) for p in plans])
    if not form.is_submitted() and plans:
        form.copy_from.data = str(plans[0].year)
    return render_template("objectives/index.html", plans=plans, form=form), status


@bp.post("/")
@require(can_manage_plan)
def create():
    form = NewPlanForm()
    if not form.validate_on_submit():
        return index(form, 400)
    try:
        source = services.get_plan(small_int(form.copy_from.data)) if small_int(form.copy_from.data) else None
        if form.copy_from.data and source is None:
            raise ObjectiveError("no_source_plan")
        plan = (services.copy_plan(current_user, source, form.year.data) if source
                else services.create_plan(current_user, form.year.data))
    except ObjectiveError as exc:
        fail(exc)
        return index(form, 400)
    db.session.commit()
    flash(_("Đã lập dự thảo kế hoạch năm %(year)s.", year=plan.year), "success")
    return redirect(url_for("objectives.edit", year=plan.year))


@bp.get("/<int:year>")
@require(can_read_objectives)
def plan(year: int):
    plan = plan_or_404(year)
    today = local_today()
    series = figures.year_series(plan, today)
    charts = {}
    for ind_id, s in series.items():
        ind = s.figure.indicator
        scale = {i + 1: label for i, label in enumerate(ind.scale_labels)} if ind.scale_labels else None
        if len(s.points) > 1:
            charts[ind_id] = trend_svg(s.points, ind.target, f"{ind.objective.code} – {ind.name}", scale)
    periods = services.periods_of(plan)
    return render_template("objectives/plan.html", plan=plan, series=series, charts=charts, periods=periods,
                           capas=figures.objective_capas(plan), today=today,
                           assigned=assignments.of_plan(plan),
                           units={u.id: u for u in db.session.scalars(select(Unit))})


def _unit_choices():
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code))
    return choices([("", _("Mọi đơn vị báo cáo"))] + [(str(u.id), f"{u.code} – {u.name}") for u in units])


def _indicator_form(obj, fresh: bool = False):
    form = IndicatorForm(prefix=f"i{obj.id}", formdata=None) if fresh else IndicatorForm(prefix=f"i{obj.id}")
    form.owner_unit.choices = _unit_choices()
    return form


def render_edit(plan, status=200, **forms):
    """Each objective has its own indicator and task forms (prefixed), so a refused one keeps what was typed."""
    settings = forms.get("settings") or SettingsForm(obj=plan, formdata=None)
    target = forms.get("target_code")
    indicator_forms, task_forms = {}, {}
    for obj in plan.objectives:
        indicator_forms[obj.id] = forms["indicator"] if target == obj.code and "indicator" in forms \
            else _indicator_form(obj, fresh=True)
        task_forms[obj.id] = forms["task"] if target == obj.code and "task" in forms else TaskForm(
            prefix=f"t{obj.id}", formdata=None)
    return render_template("objectives/edit.html", plan=plan, settings=settings,
                           objective=forms.get("objective") or ObjectiveForm(formdata=None), indicator_forms=indicator_forms,
                           task_forms=task_forms, target_code=target), status


@bp.get("/<int:year>/edit")
@require(can_manage_plan)
def edit(year: int):
    return render_edit(plan_or_404(year))


@bp.post("/<int:year>/settings")
@require(can_manage_plan)
def settings(year: int):
    plan = plan_or_404(year)
    form = SettingsForm()
    if not form.validate_on_submit():
        return render_edit(plan, 400, settings=form)
    try:
        services.update_settings(current_user, plan, title=form.title.data, window_start_day=form.window_start_day.data,
                                 unit_due_day=form.unit_due_day.data, office_due_day=form.office_due_day.data,
                                 year_due_on=form.year_due_on.data, year_office_due_on=form.year_office_due_on.data,
                                 holidays=form.holidays.data or "", monitoring=form.monitoring.data or "",
                                 signed_by=form.signed_by.data or "")
    except ObjectiveError as exc:
        fail(exc)
        return render_edit(plan_or_404(year), 400, settings=form)
    db.session.commit()
    flash(_("Đã lưu thiết lập kế hoạch."), "success")
    return redirect(url_for("objectives.edit", year=year))


def _objective_or_404(plan, code: str):
    obj = next((o for o in plan.objectives if o.code == code.upper()), None)
    if obj is None:
        abort(404)
    return obj


@bp.post("/<int:year>/objectives")
@require(can_manage_plan)
def add_objective(year: int):
    plan = plan_or_404(year)
    form = ObjectiveForm()
    if not form.validate_on_submit():
        return render_edit(plan, 400, objective=form)
    try:
        services.add_objective(current_user, plan, form.code.data, form.statement.data)
    except ObjectiveError as exc:
        fail(exc)
        return render_edit(plan_or_404(year), 400, objective=form)
    db.session.commit()
    flash(_("Đã thêm mục tiêu %(code)s.", code=form.code.data.upper()), "success")
    return redirect(url_for("objectives.edit", year=year))


@bp.post("/<int:year>/objectives/<code>/delete")
@require(can_manage_plan)
def delete_objective(year: int, code: str):
    plan = plan_or_404(year)
    try:
        services.delete_objective(current_user, _objective_or_404(plan, code))
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã xoá mục tiêu %(code)s.", code=code), "success")
    return redirect(url_for("objectives.edit", year=year))


@bp.post("/<int:year>/objectives/<code>/indicators")
@require(can_manage_plan)
def add_indicator(year: int, code: str):
    plan = plan_or_404(year)
    obj = _objective_or_404(plan, code)
    form = _indicator_form(obj)
    if not form.validate_on_submit():
        return render_edit(plan, 400, indicator=form, target_code=obj.code)
    try:
        owner = small_int(form.owner_unit.data)
        services.add_indicator(current_user, obj, name=form.name.data, measure=form.measure.data or "",
                               kind=form.kind.data, scale=form.scale.data or "", target=form.target.data,
                               direction=form.direction.data, margin=form.margin.data or "",
                               frequency=form.frequency.data, source=form.source.data, owner_unit_id=owner)
    except ObjectiveError as exc:
        fail(exc)
        return render_edit(plan_or_404(year), 400, indicator=form, target_code=obj.code)
    db.session.commit()
    flash(_("Đã thêm chỉ số vào %(code)s.", code=obj.code), "success")
    return redirect(url_for("objectives.edit", year=year))


@bp.post("/<int:year>/indicators/<int:indicator_id>/delete")
@require(can_manage_plan)
def delete_indicator(year: int, indicator_id: int):
    plan = plan_or_404(year)
    ind = db.session.get(Indicator, indicator_id)
    if ind is None or ind.objective.plan_id != plan.id:
        abort(404)
    try:
        services.delete_indicator(current_user, ind)
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã xoá chỉ số."), "success")
    return redirect(url_for("objectives.edit", year=year))


@bp.post("/<int:year>/objectives/<code>/tasks")
@require(can_manage_plan)
def add_task(year: int, code: str):
    plan = plan_or_404(year)
    obj = _objective_or_404(plan, code)
    form = TaskForm(prefix=f"t{obj.id}")
    if not form.validate_on_submit():
        return render_edit(plan, 400, task=form, target_code=obj.code)
    try:
        services.add_task(current_user, obj, content=form.content.data, performer_text=form.performer_text.data or "",
                          coordination_text=form.coordination_text.data or "",
                          deadline_text=form.deadline_text.data or "", rule=form.rule.data,
                          rule_day=form.rule_day.data, rule_date=form.rule_date.data, all_units=form.all_units.data,
                          lead_codes=(form.lead.data or "").split(","),
                          coordinating_codes=(form.coordinating.data or "").split(","))
    except ObjectiveError as exc:
        fail(exc)
        return render_edit(plan_or_404(year), 400, task=form, target_code=obj.code)
    db.session.commit()
    flash(_("Đã thêm nhiệm vụ vào %(code)s.", code=obj.code), "success")
    return redirect(url_for("objectives.edit", year=year))


@bp.post("/<int:year>/tasks/<int:task_id>/delete")
@require(can_manage_plan)
def delete_task(year: int, task_id: int):
    plan = plan_or_404(year)
    task = db.session.get(ObjectiveTask, task_id)
    if task is None or task.objective.plan_id != plan.id:
        abort(404)
    try:
        services.delete_task(current_user, task)
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã xoá nhiệm vụ."), "success")
    return redirect(url_for("objectives.edit", year=year))


@bp.post("/<int:year>/tasks/<int:task_id>/assignments")
@require(can_manage_plan)
def add_assignment(year: int, task_id: int):
    plan = plan_or_404(year)
    task = db.session.get(ObjectiveTask, task_id)
    if task is None or task.objective.plan_id != plan.id:
        abort(404)
    unit_id = small_int(request.form.get("unit_id"))
    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    try:
        due_on = parse_date(request.form.get("due_on", "")) if request.form.get("due_on") else None
    except ValueError:
        due_on = None
    try:
        row = assignments.assign(current_user, task, unit, request.form.get("what", ""), due_on)
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã giao việc cho %(unit)s, hạn %(d)s.", unit=row.unit.code, d=format_date(row.due_on)), "success")
    return redirect(url_for("objectives.plan", year=year) + f"#task-{task_id}")


@bp.post("/<int:year>/assignments/<int:assignment_id>/done")
@require(can_work_on_reports)
def complete_assignment(year: int, assignment_id: int):
    plan = plan_or_404(year)
    row = db.session.get(TaskAssignment, assignment_id)
    if row is None or row.task.objective.plan_id != plan.id:
        abort(404)
    check(perm.can_draft_report(current_user, row))
    try:
        assignments.complete(current_user, row, request.form.get("result", ""), local_today())
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Đã ghi nhận hoàn thành việc được giao."), "success")
    return redirect(url_for("objectives.plan", year=year) + f"#task-{row.task_id}")


def _transition(year: int, fn, message: str, *args):
    plan = plan_or_404(year)
    try:
        fn(current_user, plan, *args)
    except ObjectiveError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("objectives.plan", year=year))


@bp.post("/<int:year>/approve")
@require(can_approve_plan)
def approve(year: int):
    return _transition(year, services.approve, _("Đã phê duyệt kế hoạch năm %(year)s.", year=year))


@bp.post("/<int:year>/return")
@require(can_approve_plan)
def return_plan(year: int):
    return _transition(year, services.return_to_draft, _("Đã trả lại dự thảo kế hoạch."),
                       request.form.get("comment", ""))


@bp.post("/<int:year>/in-force")
@require(can_manage_plan)
def in_force(year: int):
    return _transition(year, services.put_in_force, _("Kế hoạch năm %(year)s đã có hiệu lực.", year=year))


@bp.post("/<int:year>/close")
@require(can_manage_plan)
def close(year: int):
    return _transition(year, services.close_plan, _("Đã kết thúc kế hoạch năm %(year)s.", year=year))
