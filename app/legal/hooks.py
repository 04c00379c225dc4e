"""How the register plugs into the rest: document-control and review-cycle hooks, home tasks, the digest."""
from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from functools import wraps

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import HEAD, MEMBER, SECRETARY
from app.extensions import db
from app.legal import change_reviews, citations
from app.legal import inputs as _inputs  # noqa: F401  (the management review's input item)
from app.legal.models import PENDING, RECORDED, ChangeReview, LegalChange, LegalDocument
from app.procedures import core
from app.procedures.models import ISSUED, Procedure
from app.reviews import services as review_services
from app.tasks import Task, digest_provider, task_provider

TASK_LIMIT = 15


def register_hooks() -> None:
    """Idempotent: create_app runs many times in one test process."""
    for hooks, fn in ((core.ON_ISSUE, change_reviews.on_issue), (core.ON_WITHDRAW, change_reviews.on_withdraw),
                      (core.ON_TRANSFER, change_reviews.on_transfer), (core.ON_SYNC, citations.on_sync),
                      (review_services.ON_CYCLE_OPEN, change_reviews.on_cycle_open)):
        if fn not in hooks:
            hooks.append(fn)
    _audit_labels()


def _audit_labels() -> None:
    """The history pages name the register's events and objects, and filter them as one kind."""
    from flask_babel import lazy_gettext as _l

    from app.audit import present, timeline

    present.ACTION_LABELS.update({
        "legal.create": _l("Thêm văn bản pháp luật"), "legal.update": _l("Sửa văn bản pháp luật"),
        "legal.relate": _l("Ghi nhận quan hệ văn bản"), "legal.change": _l("Ghi nhận văn bản thay đổi"),
        "change_review.flag": _l("Giao rà soát khi có thay đổi"),
        "change_review.record": _l("Ghi nhận rà soát khi có thay đổi"),
        "change_review.confirm": _l("Xác nhận rà soát khi có thay đổi"),
        "change_review.issued": _l("Ban hành trả lời rà soát khi có thay đổi"),
        "change_review.close": _l("Đóng rà soát khi có thay đổi"),
        "change_review.transfer": _l("Chuyển rà soát khi có thay đổi"),
        "review.change_counted": _l("Rà soát khi có thay đổi được tính là rà soát năm"),
    })
    present.OBJECT_LABELS.update({"legal_document": _l("Văn bản pháp luật"),
                                  "change_review": _l("Rà soát khi có thay đổi")})
    timeline.KINDS.setdefault("legal", (_l("Văn bản pháp luật"), ("legal_document", "change_review")))


def _vietnamese_outside_requests(fn):
    @wraps(fn)
    def wrapped(*args, **kwargs):
        with nullcontext() if has_request_context() else force_locale("vi"):
            return fn(*args, **kwargs)

    return wrapped


def _rows(unit_id: int | None, statuses, limit: int | None, due_before: date | None = None):
    stmt = (select(ChangeReview, Procedure.code, Procedure.title, LegalDocument.number, LegalChange.kind)
            .join(Procedure, Procedure.id == ChangeReview.procedure_id)
            .join(LegalChange, LegalChange.id == ChangeReview.change_id)
            .join(LegalDocument, LegalDocument.id == LegalChange.document_id)
            .where(ChangeReview.status.in_(statuses), Procedure.status == ISSUED)
            .order_by(ChangeReview.due_on, Procedure.code))
    if unit_id is not None:
        stmt = stmt.where(ChangeReview.unit_id == unit_id)
    if due_before is not None:
        stmt = stmt.where(ChangeReview.due_on < due_before)
    return db.session.execute(stmt.limit(limit) if limit else stmt).all()


def _tasks(group: str, rows, today: date) -> list[Task]:
    from app.legal.labels import CHANGE_LABELS

    return [Task(group=group, title=f"{code} – {title}", url=f"/legal/changes/{cr.change_id}/{code}", due=cr.due_on,
                 overdue=today > cr.due_on,
                 detail=_("Văn bản %(number)s: %(change)s", number=number, change=str(CHANGE_LABELS[kind]).lower()),
                 tags=["change_review"])
            for cr, code, title, number, kind in rows]


@task_provider
@_vietnamese_outside_requests
def change_review_tasks(user, today: date) -> list[Task]:
    """Reviews a change asks of the user's unit (members and heads), to confirm (heads), overdue (secretary)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(MEMBER, HEAD, SECRETARY):
        return []
    tasks: list[Task] = []
    unit = user.unit
    if unit is not None and user.has_role(MEMBER, HEAD):
        tasks += _tasks(_("Rà soát khi có thay đổi văn bản pháp luật"), _rows(unit.id, (PENDING,), TASK_LIMIT), today)
    if unit is not None and user.has_role(HEAD):
        tasks += _tasks(_("Rà soát khi có thay đổi cần xác nhận"), _rows(unit.id, (RECORDED,), TASK_LIMIT), today)
    if user.has_role(SECRETARY):
        late = _rows(None, (PENDING, RECORDED), TASK_LIMIT, due_before=today)
        tasks += _tasks(_("Rà soát khi có thay đổi đã quá hạn"), late, today)
    return tasks


@digest_provider
@_vietnamese_outside_requests
def change_review_digest(unit, today: date) -> list[Task]:
    return (_tasks(_("Rà soát khi có thay đổi văn bản pháp luật"), _rows(unit.id, (PENDING,), None), today)
            + _tasks(_("Rà soát khi có thay đổi cần trưởng đơn vị xác nhận"), _rows(unit.id, (RECORDED,), None),
                     today))


register_hooks()
