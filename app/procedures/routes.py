"""Procedure pages for reading: register, issued text, draft, print view, history, diff, exports."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth import permissions as perm
from app.auth.models import Unit
from app.auth.permissions import can_read_register, check, require
from app.exports import csv_response, xlsx_response
from app.extensions import db
from app.pagecache import shared_page
from app.pagination import paginate
from app.procedures import core, views
from app.procedures import tasks as _tasks  # noqa: F401  (registers the home-page providers)
from app.procedures.blueprint import bp
from app.procedures.labels import DRAFT_STATE_LABELS, STATUS_BADGES, STATUS_LABELS, commit_title
from app.procedures.models import IssueView, ProcedureRevision
from app.procedures.queries import register_statement
from app.render import diff_stats, render_inline, render_side_by_side
from app.timeutil import format_date, local_today


@bp.app_context_processor
def labels():
    return {"STATUS_LABELS": STATUS_LABELS, "DRAFT_STATE_LABELS": DRAFT_STATE_LABELS,
            "STATUS_BADGES": STATUS_BADGES, "commit_title": commit_title}


def _register_query(args):
    return register_statement(current_user, unit=args.get("unit", ""), status=args.get("status", ""),
                              q=args.get("q", ""), sort=args.get("sort", "code"))


@bp.get("/")
@shared_page
@require(can_read_register)
def register():
    views.activate_due()
    stmt = _register_query(request.args)
    page = paginate(stmt, request.args.get("page", 1, type=int), 25)
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all()
    return render_template("procedures/register.html", page=page, units=units, args=request.args,
                           sort=request.args.get("sort", "code"))


def _export_rows(stmt):
    today = local_today()
    for p in db.session.scalars(stmt):
        status = str(STATUS_LABELS[p.status])
        shown = p.in_force_issue(today) or IssueView("", None, p.issue_number, p.issued_on, p.effective_on)
        if p.is_pending(today):
            coming = _("lần %(n)s có hiệu lực từ %(d)s", n=p.issue_number, d=format_date(p.effective_on))
            status = f"{status} ({coming})" if p.prior_revision else _("Chờ hiệu lực") + f" ({coming})"
        if p.draft_state:
            status = f"{status} ({DRAFT_STATE_LABELS[p.draft_state]})"
        yield [p.code, p.title, p.unit_code, shown.number or "", shown.issued_on, shown.effective_on, status,
               p.last_reviewed_on]


def _filter_text(args) -> str:
    """What the export holds, said in words for its title row."""
    parts = []
    if args.get("unit"):
        parts.append(_("Đơn vị: %(u)s", u=args["unit"]))
    status = args.get("status", "")
    labels = {**STATUS_LABELS, "pending": _("Có dự thảo đang xử lý"), "upcoming": _("Chờ đến ngày hiệu lực")}
    if status in labels:
        parts.append(_("Trạng thái: %(s)s", s=labels[status]))
    if args.get("q"):
        parts.append(_("Tìm: %(q)s", q=args["q"]))
    return "; ".join(str(p) for p in parts) or _("Tất cả quy trình")


@bp.get("/export.<fmt>")
@require(can_read_register)
def export(fmt: str):
    header = [_("Mã hiệu"), _("Tên quy trình"), _("Đơn vị"), _("Lần ban hành"), _("Ngày ban hành"),
              _("Ngày hiệu lực"), _("Trạng thái"), _("Rà soát gần nhất")]
    stmt = _register_query(request.args)
    if fmt == "csv":
        return csv_response("danh-muc-quy-trinh.csv", header, _export_rows(stmt))
    if fmt == "xlsx":
        return xlsx_response("danh-muc-quy-trinh.xlsx", header, _export_rows(stmt), _("Danh mục tài liệu"),
                             _filter_text(request.args))
    abort(404)


@bp.get("/<code>")
@shared_page
@require(can_read_register)
def view(code: str):
    proc = views.load_or_404(code)
    today = local_today()
    in_force = proc.in_force_issue(today)
    if in_force is None and proc.issued_revision is None:
        check(perm.can_view_draft(current_user, proc))
        return document_page(proc, proc.current_revision, proc.current_blob, "draft")
    if in_force is None:  # the first issue, approved, waits for its effective date
        return document_page(proc, proc.issued_revision, proc.issued_blob, "pending")
    return document_page(proc, in_force.revision, in_force.blob, "issued")


@bp.get("/<code>/pending")
@require(can_read_register)
def pending(code: str):
    """The approved issue that comes into force on its effective date."""
    proc = views.load_or_404(code)
    if proc.pending_issue(local_today()) is None:
        return redirect(url_for("procedures.view", code=code))
    return document_page(proc, proc.issued_revision, proc.issued_blob, "pending")


@bp.get("/<code>/draft")
@require(can_read_register)
def draft(code: str):
    proc = views.load_or_404(code)
    check(perm.can_view_draft(current_user, proc))
    return document_page(proc, proc.current_revision, proc.current_blob, "draft")


@bp.get("/<code>/print")
@shared_page
@require(can_read_register)
def print_view(code: str):
    proc = views.load_or_404(code)
    today = local_today()
    wanted = request.args.get("variant")
    in_force, pending_issue = proc.in_force_issue(today), proc.pending_issue(today)
    if wanted == "pending" and pending_issue is not None:
        revision, blob, variant = pending_issue.revision, pending_issue.blob, "pending"
    elif in_force is not None and wanted != "draft":
        revision, blob, variant = in_force.revision, in_force.blob, "issued"
    elif proc.issued_revision is not None and wanted != "draft":
        revision, blob, variant = proc.issued_revision, proc.issued_blob, "pending"
    else:
        check(perm.can_view_draft(current_user, proc))
        revision, blob, variant = proc.current_revision, proc.current_blob, "draft"
    return document_page(proc, revision, blob, variant, template="procedures/print.html")


@bp.get("/<code>/revisions/<sha>")
@shared_page
@require(can_read_register)
def revision(code: str, sha: str):
    proc = views.load_or_404(code)
    rev = _revision_or_404(proc, sha)
    return document_page(proc, rev.sha, None, "revision", revision_row=rev)


def document_page(proc, revision, blob, variant, template="procedures/view.html", revision_row=None, **extra):
    doc, rendered = views.document_at(proc.code, revision, blob)
    today = local_today()
    watermark = None
    if proc.status == "withdrawn":
        watermark = _("ĐÃ BÃI BỎ")
    elif variant in ("draft", "revision") and (revision_row is None or revision_row.issue_number is None):
        watermark = _("DỰ THẢO")
    key = (proc.code, revision, blob, proc.updated_at, str(get_locale()), watermark)
    document_html = views.cached_fragment(key, lambda: render_template(
        "procedures/_document.html", proc=proc, doc=doc, rendered=rendered, watermark=watermark,
        log=views.amendment_log(proc)))
    return render_template(template, proc=proc, doc=doc, rendered=rendered, variant=variant,
                           document_html=document_html, revision_row=revision_row,
                           in_force=proc.in_force_issue(today), pending_issue=proc.pending_issue(today),
                           can_see_draft=perm.can_view_draft(current_user, proc),
                           approval=views.approval_context(proc, current_user) if variant in ("draft", "issued") else None,
                           **extra)


def _revision_or_404(proc, sha: str) -> ProcedureRevision:
    rev = views.find_revision(views.revisions(proc, current_user), sha)
    if rev is None:
        abort(404)
    return rev


@bp.get("/<code>/history")
@shared_page
@require(can_read_register)
def history(code: str):
    proc = views.load_or_404(code)
    if proc.issued_revision is None:  # a never-issued draft: its code and title are the unit's business
        check(perm.can_view_draft(current_user, proc))
    revs = views.revisions(proc, current_user)
    return render_template("procedures/history.html", proc=proc, revisions=revs,
                           default_from=views.default_from(revs))


@bp.get("/<code>/diff")
@shared_page
@require(can_read_register)
def diff(code: str):
    proc = views.load_or_404(code)
    revs = views.revisions(proc, current_user)
    if len(revs) < 1:
        abort(404)
    to_sha = request.args.get("to") or revs[0].sha
    from_sha = request.args.get("from") or views.default_from(revs)
    new, old = _revision_or_404(proc, to_sha), _revision_or_404(proc, from_sha)
    old_text, new_text = core.store().diff(proc.code, old.sha, new.sha)
    mode = "inline" if request.args.get("mode") == "inline" else "side"
    html = render_inline(old_text, new_text) if mode == "inline" else render_side_by_side(old_text, new_text)
    return render_template("procedures/diff.html", proc=proc, revisions=revs, old=old, new=new, mode=mode,
                           diff_html=html, stats=diff_stats(old_text, new_text))

