"""Read side of CAPA: who sees which records, the register's filters and sorts, exports, the timeline."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, asc, desc, exists, false, func, or_, select
from wtforms.fields.choices import SelectChoice

from app.audit.models import AuditEvent
from app.auth import permissions as perm
from app.auth.models import Unit
from app.capa.labels import KIND_LABELS, SOURCE_LABELS, STATUS_LABELS
from app.capa.models import KINDS, SOURCES, STATUSES, TERMINAL, Capa, CapaAction
from app.extensions import db
from app.pagecache import shared_value
from app.procedures.models import Procedure

SORTS = {
    "number": (Capa.year, Capa.seq), "raised": (Capa.raised_at,), "status": (Capa.status,),
    "unit": (Unit.code,), "kind": (Capa.kind,), "source": (Capa.source,), "title": (Capa.title,),
}


def _overdue_clause(today: date):
    return and_(Capa.status.not_in(TERMINAL),
                exists().where(CapaAction.capa_id == Capa.id, CapaAction.done_on.is_(None),
                               CapaAction.due_on < today))


def visible_to(user):
    """A WHERE clause matching `perm.can_view_capa` for the register and exports."""
    if perm.can_read_all_capa(user):
        return None
    clauses = [Capa.raised_by_id == user.id,
               exists().where(CapaAction.capa_id == Capa.id, CapaAction.owner_user_id == user.id)]
    if user.unit_id is not None:
        clauses += [Capa.unit_id == user.unit_id,
                    exists().where(CapaAction.capa_id == Capa.id, CapaAction.owner_unit_id == user.unit_id)]
    return or_(*clauses) if clauses else false()


def register_stmt(args, user, today: date):
    stmt = select(Capa).outerjoin(Capa.unit)
    where = visible_to(user)
    if where is not None:
        stmt = stmt.where(where)
    year = args.get("year", type=int)
    if year:
        stmt = stmt.where(Capa.year == year)
    status = args.get("status", "")
    if status == "active":
        stmt = stmt.where(Capa.status.not_in(TERMINAL))
    elif status in STATUSES:
        stmt = stmt.where(Capa.status == status)
    if args.get("unit"):
        stmt = stmt.where(Unit.code == args["unit"])
    if args.get("kind") in KINDS:
        stmt = stmt.where(Capa.kind == args["kind"])
    if args.get("source") in SOURCES:
        stmt = stmt.where(Capa.source == args["source"])
    if args.get("overdue"):
        stmt = stmt.where(_overdue_clause(today))
    q = (args.get("q") or "").strip()
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Capa.number.ilike(like), Capa.title.ilike(like), Capa.description.ilike(like)))
    sort = args.get("sort", "-number")
    columns = SORTS.get(sort.lstrip("-"), SORTS["number"])
    order = desc if sort.startswith("-") else asc
    return stmt.order_by(*[order(c) for c in columns], desc(Capa.year), desc(Capa.seq))


def years() -> list[int]:
    return list(db.session.scalars(select(Capa.year).distinct().order_by(Capa.year.desc())))


def active_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)))


def procedures_for(user) -> list:
    """Procedures a record may be linked to: those this user may read, as rows (id, code, title, unit_code)
    for choice lists; readable_procedures() gives the records themselves for the chosen codes."""
    stmt = (select(Procedure.id, Procedure.code, Procedure.title, Procedure.issued_revision,
                   Unit.code.label("unit_code")).join(Unit, Procedure.unit_id == Unit.id).order_by(Procedure.code))
    return [p for p in db.session.execute(stmt) if p.issued_revision is not None or perm.can_view_draft(user, p)]


def procedure_choices(user) -> list:
    """(procedure id, choice "code – title") of procedures_for(user), kept until the next write for every
    reader who sees the same drafts."""
    scope = ("all",) if perm.sees_all_drafts(user) else ("unit", getattr(user, "unit_code", None))
    return shared_value("capa.procedure_choices", scope, lambda: [
        (p.id, SelectChoice(value=p.code, label=f"{p.code} – {p.title}")) for p in procedures_for(user)])


def readable_procedures(user, codes) -> dict[str, Procedure]:
    """The procedures of these codes that this user may link a record to, by code."""
    wanted = list(dict.fromkeys(c for c in codes or [] if isinstance(c, str)))
    if not wanted:
        return {}
    procs = db.session.scalars(select(Procedure).where(Procedure.code.in_(wanted)))
    return {p.code: p for p in procs if p.issued_revision is not None or perm.can_view_draft(user, p)}


def procedure_by_code(code: str) -> Procedure | None:
    return db.session.scalar(select(Procedure).where(Procedure.code == (code or "").strip()))


def export_header(_) -> list[str]:
    return [_("Số phiếu"), _("Loại"), _("Nguồn"), _("Tiêu đề"), _("Mô tả"), _("Đơn vị"), _("Trạng thái"),
            _("Người lập"), _("Ngày lập"), _("Quy trình liên quan"), _("Nguyên nhân gốc rễ"),
            _("Hành động (xong/tổng)"), _("Hành động quá hạn"), _("Ngày đóng"), _("Lý do hủy")]


def export_rows(stmt, today: date):
    for c in db.session.scalars(stmt).unique():
        done = sum(1 for a in c.actions if not a.is_open)
        yield [c.number, str(KIND_LABELS[c.kind]), str(SOURCE_LABELS[c.source]), c.title, c.description,
               c.unit_code or "", str(STATUS_LABELS[c.status]), c.raised_by.full_name if c.raised_by else "",
               c.raised_at, ", ".join(link.procedure.code for link in c.links), c.root_cause,
               f"{done}/{len(c.actions)}", len(c.overdue_actions(today)), c.closed_at, c.cancel_reason]


def timeline(capa: Capa) -> list[AuditEvent]:
    """The audit events of this record, oldest first."""
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "capa",
                                                            AuditEvent.object_id == capa.number)
                                   .order_by(AuditEvent.id)))


def count_by_status(user) -> dict[str, int]:
    stmt = select(Capa.status, func.count()).group_by(Capa.status)
    where = visible_to(user)
    if where is not None:
        stmt = stmt.where(where)
    return dict(db.session.execute(stmt).all())
