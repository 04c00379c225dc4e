"""CAPA pages: the register and its exports, raising a record, the record page with its timeline, transitions."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.choices import choices
from app.auth import permissions as perm
from app.auth.models import Unit, User
from app.auth.permissions import can_propose_capa, check, require, signed_in
from app.capa import queries, services
from app.capa import tasks as _tasks  # noqa: F401  (registers the home-page and digest providers)
from app.capa.forms import (AcceptForm, ActionForm, AnalysisForm, CancelForm, CapaForm, CompleteActionForm,
                            EditActionForm, LinkProcedureForm, VerifyForm)
from app.capa.labels import (EVENT_LABELS, KIND_LABELS, NEXT_STEP, SOURCE_LABELS, STATUS_BADGES, STATUS_LABELS,
                             error_message)
from app.capa.models import PLANNING_STATES, Capa, CapaAction
from app.capa.services import CapaError, PermissionDenied
from app.exports import csv_response, xlsx_response
from app.extensions import db
from app.pagination import paginate
from app.timeutil import local_today

bp = Blueprint("capa", __name__)
PAGE_SIZE = 25
# templates that say where a record came from (an audit finding, a management review output); features
# that raise records append theirs, so this page needs no knowledge of them
ORIGIN_TEMPLATES: list[str] = []


@bp.app_context_processor
def capa_context():
    return {"procedure_actions": ["capa/_procedure_action.html"],
            "CAPA_STATUS_LABELS": STATUS_LABELS, "CAPA_STATUS_BADGES": STATUS_BADGES,
            "CAPA_KIND_LABELS": KIND_LABELS, "CAPA_SOURCE_LABELS": SOURCE_LABELS,
            "capa_origin_templates": ORIGIN_TEMPLATES}


# -- register ----------------------------------------------------------------------------------
@bp.get("/")
@require(signed_in)
def index():
    today = local_today()
    stmt = queries.register_stmt(request.args, current_user, today).options(selectinload(Capa.actions))
    page = paginate(stmt, request.args.get("page", 1, type=int), PAGE_SIZE)
    return render_template("capa/index.html", page=page, args=request.args, today=today,
                           sort=request.args.get("sort", "-number"), units=queries.active_units(),
                           years=queries.years(), counts=queries.count_by_status(current_user))


@bp.get("/export.<fmt>")
@require(signed_in)
def export(fmt: str):
    today = local_today()
    stmt = queries.register_stmt(request.args, current_user, today).options(selectinload(Capa.actions))
    header = queries.export_header(_)
    if fmt == "csv":
        return csv_response("so-theo-doi-capa.csv", header, queries.export_rows(stmt, today))
    if fmt == "xlsx":
        return xlsx_response("so-theo-doi-capa.xlsx", header, queries.export_rows(stmt, today),
                             _("Khắc phục, phòng ngừa"))
    abort(404)


# -- raising a record --------------------------------------------------------------------------
def _unit_choices(blank=None):
    pairs = [("", blank)] if blank is not None else []
    return choices(pairs + [(u.id, f"{u.code} – {u.name}") for u in queries.active_units()])


def _prefill(form: CapaForm, codes: set[str]) -> None:
    """What the page it was raised from already tells: the procedure, the review, the unit."""
    code = request.args.get("procedure", "")
    proc = queries.procedure_by_code(code) if code in codes else None
    review_id = request.args.get("review", type=int)
    review = None
    if review_id:
        form.review_id.data = str(review_id)
        form.source.data = "review"
        model = services.review_model()
        review = db.session.get(model, review_id) if model is not None else None
        if proc is None and review is not None and review.procedure.code in codes:
            proc = review.procedure
    if proc is not None:
        form.procedures.data = [proc.code]
        form.unit_id.data = proc.unit_id
    if review is not None:
        form.unit_id.data = review.unit_id


def _in_order(readable: dict, codes) -> list:
    return [readable[c] for c in dict.fromkeys(codes or []) if c in readable]


@bp.route("/new", methods=["GET", "POST"])
@require(can_propose_capa)
def new():
    form = CapaForm()
    procs = queries.procedures_for(current_user)
    form.procedures.choices = choices((p.code, f"{p.code} – {p.title}") for p in procs)
    form.unit_id.choices = _unit_choices(_("— Thư ký ISO sẽ giao —"))
    if request.method == "GET":
        _prefill(form, {p.code for p in procs})
    elif form.validate_on_submit():
        try:
            capa = services.propose(
                current_user, kind=form.kind.data, source=form.source.data, title=form.title.data,
                description=form.description.data,
                unit=db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None,
                procedures=_in_order(queries.readable_procedures(current_user, form.procedures.data),
                                     form.procedures.data),
                review_id=int(form.review_id.data) if (form.review_id.data or "").isdigit() else None)
        except PermissionDenied:
            db.session.rollback()
            abort(403)
        except CapaError as exc:
            db.session.rollback()
            flash(error_message(exc), "danger")
        else:
            db.session.commit()
            flash(_("Đã lập phiếu %(number)s.", number=capa.number), "success")
            return redirect(url_for("capa.view", number=capa.number))
    return render_template("capa/new.html", form=form)


# -- the record page ---------------------------------------------------------------------------
def _load(number: str) -> Capa:
    capa = services.get(number)
    if capa is None:
        abort(404)
    check(perm.can_view_capa(current_user, capa))
    return capa


def _forms(capa: Capa, bound: dict | None = None) -> dict:
    """Every form of the record page, unbound unless it is the one just submitted."""
    bound = bound or {}
    today = local_today()
    forms = {
        "accept": bound.get("accept") or AcceptForm(prefix="accept", formdata=None, unit_id=capa.unit_id),
        "analyse": bound.get("analyse") or AnalysisForm(
            prefix="analysis", formdata=None, root_cause=capa.root_cause, similar_note=capa.similar_note,
            similar_elsewhere={True: "yes", False: "no"}.get(capa.similar_elsewhere)),
        "action": bound.get("action") or ActionForm(prefix="action", formdata=None, owner_unit_id=capa.unit_id),
        "verify": bound.get("verify") or VerifyForm(prefix="verify", formdata=None, verified_on=today),
        "cancel": bound.get("cancel") or CancelForm(prefix="cancel", formdata=None),
        "link": bound.get("link") or LinkProcedureForm(prefix="link", formdata=None),
    }
    forms["accept"].unit_id.choices = _unit_choices(_("— Chọn đơn vị —"))
    forms["action"].owner_unit_id.choices = _unit_choices(_("— Đơn vị chịu trách nhiệm —"))
    forms["action"].owner_user_id.choices = forms["link"].code.choices = []
    # the long lists only for the forms this reader is shown (the templates ask the same predicates)
    if perm.can_act_on_capa(current_user, capa) and capa.status in PLANNING_STATES:
        users = db.session.scalars(select(User).where(User.active.is_(True), User.unit_id.is_not(None))
                                   .order_by(User.full_name)).all()
        forms["action"].owner_user_id.choices = choices([("", _("— Không chỉ định —"))] + [
            (u.id, f"{u.full_name} ({u.unit_code})") for u in users])
    if perm.can_link_capa(current_user, capa) and not capa.is_terminal:
        linked = {link.procedure_id for link in capa.links}
        forms["link"].code.choices = [c for p, c in queries.procedure_choices(current_user) if p not in linked]
    forms["complete"] = {}
    for a in capa.actions:
        key = f"complete{a.seq}"
        forms["complete"][a.seq] = bound.get(key) or CompleteActionForm(prefix=f"done{a.seq}", formdata=None,
                                                                        done_on=today)
    forms["edit"] = {a.seq: bound.get(f"edit{a.seq}") or EditActionForm(
        prefix=f"edit{a.seq}", formdata=None, description=a.description, due_on=a.due_on) for a in capa.actions}
    return forms


def _render(capa: Capa, bound: dict | None = None):
    today = local_today()
    events = queries.timeline(capa)
    review = None
    model = services.review_model()
    if capa.review_id and model is not None:
        review = db.session.get(model, capa.review_id)
    review_url = None
    if review is not None and "reviews.review" in current_app.view_functions:
        review_url = url_for("reviews.review", year=review.cycle.year, code=review.procedure.code)
    return render_template("capa/view.html", capa=capa, forms=_forms(capa, bound), events=events, today=today,
                           EVENT_LABELS=EVENT_LABELS, NEXT_STEP=NEXT_STEP, PLANNING_STATES=PLANNING_STATES,
                           review=review, review_url=review_url)


@bp.get("/<number>")
@require(signed_in)
def view(number: str):
    return _render(_load(number))


def _run(capa: Capa, call, success: str, bound: dict | None = None):
    """Call one service, commit, and come back to the record page; a domain error re-renders it."""
    try:
        call()
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except CapaError as exc:
        db.session.rollback()
        flash(error_message(exc), "danger")
        if bound:
            return _render(capa, bound)
        return redirect(url_for("capa.view", number=capa.number))
    except StaleDataError:
        db.session.rollback()
        flash(_("Phiếu vừa được người khác cập nhật. Hãy xem lại phiếu rồi thao tác lại."), "warning")
        return redirect(url_for("capa.view", number=capa.number))
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("capa.view", number=capa.number))


def _invalid(capa: Capa, key: str, form):
    flash(_("Vui lòng kiểm tra lại thông tin đã nhập."), "danger")
    return _render(capa, {key: form})


@bp.post("/<number>/accept")
@require(signed_in)
def accept(number: str):
    capa = _load(number)
    check(perm.can_accept_capa(current_user, capa))
    form = AcceptForm(prefix="accept")
    form.unit_id.choices = _unit_choices("")
    if not form.validate_on_submit():
        return _invalid(capa, "accept", form)
    unit = db.session.get(Unit, form.unit_id.data)
    return _run(capa, lambda: services.accept(current_user, capa, unit, form.note.data or ""),
                _("Đã tiếp nhận phiếu %(number)s và giao %(unit)s.", number=capa.number,
                  unit=unit.code if unit else ""), {"accept": form})


@bp.post("/<number>/analyse")
@require(signed_in)
def analyse(number: str):
    capa = _load(number)
    check(perm.can_act_on_capa(current_user, capa))
    form = AnalysisForm(prefix="analysis")
    if not form.validate_on_submit():
        return _invalid(capa, "analyse", form)
    return _run(capa, lambda: services.analyse(
        current_user, capa, root_cause=form.root_cause.data, similar_elsewhere=form.similar_elsewhere.data == "yes",
        similar_note=form.similar_note.data or ""), _("Đã ghi nhận phân tích nguyên nhân."), {"analyse": form})


@bp.post("/<number>/actions")
@require(signed_in)
def add_action(number: str):
    capa = _load(number)
    check(perm.can_act_on_capa(current_user, capa))
    form = ActionForm(prefix="action")
    form.owner_unit_id.choices = _unit_choices("")
    form.owner_user_id.choices = choices([("", "")] + [(u.id, u.full_name) for u in
                                                       db.session.scalars(select(User).where(User.active.is_(True)))])
    if not form.validate_on_submit():
        return _invalid(capa, "action", form)
    owner_unit = db.session.get(Unit, form.owner_unit_id.data) if form.owner_unit_id.data else None
    owner_user = db.session.get(User, form.owner_user_id.data) if form.owner_user_id.data else None
    return _run(capa, lambda: services.add_action(current_user, capa, description=form.description.data,
                                                  due_on=form.due_on.data, owner_unit=owner_unit,
                                                  owner_user=owner_user),
                _("Đã thêm hành động."), {"action": form})


@bp.post("/<number>/actions/<int:seq>/edit")
@require(signed_in)
def edit_action(number: str, seq: int):
    capa = _load(number)
    check(perm.can_act_on_capa(current_user, capa))
    form = EditActionForm(prefix=f"edit{seq}")
    if not form.validate_on_submit():
        return _invalid(capa, f"edit{seq}", form)
    return _run(capa, lambda: services.edit_action(current_user, capa, seq, description=form.description.data,
                                                   due_on=form.due_on.data),
                _("Đã sửa hành động %(seq)s.", seq=seq), {f"edit{seq}": form})


@bp.post("/<number>/actions/<int:seq>/remove")
@require(signed_in)
def remove_action(number: str, seq: int):
    capa = _load(number)
    check(perm.can_act_on_capa(current_user, capa))
    return _run(capa, lambda: services.remove_action(current_user, capa, seq),
                _("Đã bỏ hành động %(seq)s khỏi kế hoạch.", seq=seq))


@bp.post("/<number>/actions/<int:seq>/complete")
@require(signed_in)
def complete_action(number: str, seq: int):
    capa = _load(number)
    action = db.session.scalar(select(CapaAction).where(CapaAction.capa_id == capa.id, CapaAction.seq == seq))
    if action is None:
        abort(404)
    check(perm.can_complete_capa_action(current_user, capa, action))
    form = CompleteActionForm(prefix=f"done{seq}")
    if not form.validate_on_submit():
        return _invalid(capa, f"complete{seq}", form)
    return _run(capa, lambda: services.complete_action(current_user, capa, action, done_on=form.done_on.data,
                                                       evidence=form.evidence.data),
                _("Đã ghi nhận hoàn thành hành động %(n)s.", n=seq), {f"complete{seq}": form})


@bp.post("/<number>/plan")
@require(signed_in)
def plan(number: str):
    capa = _load(number)
    check(perm.can_act_on_capa(current_user, capa))
    return _run(capa, lambda: services.plan(current_user, capa), _("Đã xác nhận kế hoạch hành động."))


@bp.post("/<number>/start")
@require(signed_in)
def start(number: str):
    capa = _load(number)
    check(perm.can_act_on_capa(current_user, capa))
    return _run(capa, lambda: services.start(current_user, capa), _("Đã bắt đầu thực hiện các hành động."))


@bp.post("/<number>/verify")
@require(signed_in)
def verify(number: str):
    capa = _load(number)
    check(perm.can_verify_capa(current_user, capa))
    form = VerifyForm(prefix="verify")
    if not form.validate_on_submit():
        return _invalid(capa, "verify", form)
    effective = form.effective.data == "yes"
    message = (_("Đã ghi nhận: hành động có hiệu quả.") if effective
               else _("Đã ghi nhận: chưa hiệu quả. Phiếu được trả về đơn vị để lập kế hoạch bổ sung."))
    return _run(capa, lambda: services.verify(current_user, capa, verified_on=form.verified_on.data,
                                              effective=effective, evidence=form.evidence.data),
                message, {"verify": form})


@bp.post("/<number>/close")
@require(signed_in)
def close(number: str):
    capa = _load(number)
    check(perm.can_verify_capa(current_user, capa))
    return _run(capa, lambda: services.close(current_user, capa), _("Đã đóng phiếu %(number)s.", number=number))


@bp.post("/<number>/cancel")
@require(signed_in)
def cancel(number: str):
    capa = _load(number)
    check(perm.can_cancel_capa(current_user, capa))
    form = CancelForm(prefix="cancel")
    if not form.validate_on_submit():
        return _invalid(capa, "cancel", form)
    return _run(capa, lambda: services.cancel(current_user, capa, form.reason.data),
                _("Đã hủy phiếu %(number)s.", number=number), {"cancel": form})


@bp.post("/<number>/procedures")
@require(signed_in)
def link_procedure(number: str):
    capa = _load(number)
    check(perm.can_link_capa(current_user, capa))
    form = LinkProcedureForm(prefix="link")
    form.code.choices = choices((p.code, p.code) for p in queries.procedures_for(current_user))
    if not form.validate_on_submit():
        return _invalid(capa, "link", form)
    proc = queries.readable_procedures(current_user, [form.code.data]).get(form.code.data)
    return _run(capa, lambda: services.link_procedure(current_user, capa, proc),
                _("Đã liên kết quy trình %(code)s.", code=form.code.data), {"link": form})
