"""What document control asks of each user: drafts to approve, to submit, to rework."""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth import permissions as perm
from app.auth.models import Unit
from app.extensions import db
from app.procedures.models import EDITING, SUBMITTED, Procedure
from app.tasks import Task, task_provider


@task_provider
def procedure_tasks(user, today: date) -> list[Task]:
    tasks: list[Task] = []
    if perm.can_approve(user):
        for p in db.session.scalars(select(Procedure).where(Procedure.draft_state == SUBMITTED)
                                    .order_by(Procedure.submitted_at)):
            tasks.append(Task(_("Quy trình chờ phê duyệt"), f"{p.code} – {p.title}",
                              url_for("procedures.view", code=p.code), detail=p.unit_code))
    if user.unit_code and (perm.can_submit(user, _UnitOnly(user.unit_code)) or
                           perm.can_edit_draft(user, _UnitOnly(user.unit_code))):
        stmt = (select(Procedure).join(Procedure.unit)
                .where(Unit.code == user.unit_code, Procedure.draft_state == EDITING).order_by(Procedure.code))
        for p in db.session.scalars(stmt):
            returned = bool(p.review_comment)
            group = _("Dự thảo bị trả lại") if returned else _("Dự thảo đang soạn thảo")
            tasks.append(Task(group, f"{p.code} – {p.title}", url_for("procedures.view", code=p.code),
                              detail=p.review_comment if returned else ""))
    return tasks


class _UnitOnly:
    """Stands for 'a procedure of this unit' when asking a predicate about the user's own unit."""

    def __init__(self, unit_code: str):
        self.unit_code, self.status = unit_code, "draft"
