"""CAPA on the home page ("My tasks") and in the unit digest of `qms remind`."""
from __future__ import annotations

from datetime import date, timedelta

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from app.auth import permissions as perm
from app.auth.models import HEAD, MEMBER
from app.capa.models import (ANALYSED, IN_PROGRESS, OPEN, PLANNED, PLANNING_STATES, PROPOSED, VERIFIED, Capa,
                             CapaAction)
from app.extensions import db
from app.tasks import Task, digest_provider, task_provider

DIGEST_HORIZON = timedelta(days=7)


def record_url(number: str) -> str:
    # `qms remind` runs without a request: a path, which the mailer prefixes with QMS_BASE_URL
    if has_request_context():
        return url_for("capa.view", number=number)
    return f"/capa/{number}"


def _records(*where) -> list[Capa]:
    return list(db.session.scalars(select(Capa).where(*where).options(selectinload(Capa.actions))
                                   .order_by(Capa.year, Capa.seq)))


def _action_task(action: CapaAction, today: date) -> Task:
    capa = action.capa
    return Task(group=_("Hành động khắc phục, phòng ngừa"),
                title=_("%(number)s – hành động %(n)s: %(text)s", number=capa.number, n=action.seq,
                        text=action.description[:120]),
                url=record_url(capa.number), due=action.due_on, overdue=action.is_overdue(today),
                detail=capa.title, tags=["capa", "overdue"] if action.is_overdue(today) else ["capa"])


def _open_actions(*where) -> list[CapaAction]:
    stmt = (select(CapaAction).join(CapaAction.capa)
            .where(CapaAction.done_on.is_(None), Capa.status.in_(PLANNING_STATES), *where)
            .order_by(CapaAction.due_on, Capa.year, Capa.seq, CapaAction.seq))
    return list(db.session.scalars(stmt))


@task_provider
def capa_tasks(user, today: date) -> list[Task]:
    if not perm.signed_in(user):
        return []
    tasks: list[Task] = []
    if perm.can_accept_capa(user):
        for c in _records(Capa.status == PROPOSED):
            tasks.append(Task(_("Phiếu CAPA chờ tiếp nhận"), f"{c.number}: {c.title}", record_url(c.number),
                              detail=c.raised_by.full_name if c.raised_by else ""))
    if perm.can_verify_capa(user):
        for c in _records(Capa.status == IN_PROGRESS):
            if c.actions and not c.open_actions:
                tasks.append(Task(_("Phiếu CAPA chờ kiểm tra hiệu quả"), f"{c.number}: {c.title}",
                                  record_url(c.number), detail=c.unit_code or ""))
        for c in _records(Capa.status == VERIFIED):
            tasks.append(Task(_("Phiếu CAPA chờ đóng"), f"{c.number}: {c.title}", record_url(c.number),
                              detail=c.unit_code or ""))
    if user.unit_id is not None and user.has_role(MEMBER, HEAD):
        steps = {OPEN: _("Cần phân tích nguyên nhân"), ANALYSED: _("Cần lập kế hoạch hành động"),
                 PLANNED: _("Cần bắt đầu thực hiện")}
        for c in _records(Capa.unit_id == user.unit_id, Capa.status.in_(steps)):
            tasks.append(Task(_("Phiếu CAPA của đơn vị"), f"{c.number}: {c.title}", record_url(c.number),
                              detail=str(steps[c.status])))
    mine = [CapaAction.owner_user_id == user.id]
    if user.unit_id is not None and user.has_role(MEMBER, HEAD):
        mine.append(and_(CapaAction.owner_user_id.is_(None), CapaAction.owner_unit_id == user.unit_id))
    tasks.extend(_action_task(a, today) for a in _open_actions(or_(*mine)))
    return tasks


@digest_provider
def capa_digest(unit, today: date) -> list[Task]:
    """Open actions of the unit that are overdue or due within a week."""
    actions = _open_actions(CapaAction.owner_unit_id == unit.id, CapaAction.due_on <= today + DIGEST_HORIZON)
    return [_action_task(a, today) for a in actions]
