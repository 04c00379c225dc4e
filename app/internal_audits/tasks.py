"""Internal audits on the home page: approvals, notices to send, audits to carry out, report and close."""
from __future__ import annotations

from datetime import date

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.auth.models import HEAD, MEMBER
from app.extensions import db
from app.internal_audits import permissions as perm
from app.internal_audits.models import (DRAFT, IN_PROGRESS, NOTIFIED, PLANNED, REPORTED, Audit, AuditProgramme,
                                        AuditTeamMember)
from app.tasks import Task, task_provider


def audit_url(number: str) -> str:
    if has_request_context():
        return url_for("internal_audits.audit", number=number)
    return f"/internal-audits/audit/{number}"


def _audits(*where) -> list[Audit]:
    return list(db.session.scalars(select(Audit).where(*where).order_by(Audit.starts_on, Audit.number)))


@task_provider
def audit_tasks(user, today: date) -> list[Task]:
    if not perm.can_read_programmes(user):
        return []
    tasks: list[Task] = []
    group = _("Đánh giá nội bộ")
    if perm.can_approve_programme(user):
        for p in db.session.scalars(select(AuditProgramme).where(AuditProgramme.status == DRAFT)):
            if p.audits:
                url = (url_for("internal_audits.programme", year=p.year) if has_request_context()
                       else f"/internal-audits/{p.year}")
                tasks.append(Task(group, _("Phê duyệt chương trình đánh giá năm %(y)s", y=p.year), url))
    if perm.can_plan_audits(user):
        for a in _audits(Audit.status == PLANNED):
            if a.programme.is_approved:
                tasks.append(Task(group, _("Thông báo cuộc đánh giá %(n)s đến %(u)s", n=a.number, u=a.unit_code),
                                  audit_url(a.number), due=a.starts_on))
        for a in _audits(Audit.status == REPORTED):
            tasks.append(Task(group, _("Kết thúc cuộc đánh giá %(n)s", n=a.number), audit_url(a.number),
                              detail=a.unit_code))
    mine = select(AuditTeamMember.audit_id).where(AuditTeamMember.user_id == user.id)
    for a in _audits(Audit.status.in_((NOTIFIED, IN_PROGRESS)),
                     or_(Audit.lead_auditor_id == user.id, Audit.id.in_(mine))):
        title = (_("Thực hiện cuộc đánh giá %(n)s tại %(u)s", n=a.number, u=a.unit_code) if a.status == NOTIFIED
                 else _("Ghi nhận phát hiện và báo cáo cuộc đánh giá %(n)s", n=a.number))
        tasks.append(Task(group, title, audit_url(a.number), due=a.ends_on, overdue=a.ends_on < today))
    if user.unit_id is not None and user.has_role(MEMBER, HEAD):
        for a in _audits(Audit.status == NOTIFIED, Audit.unit_id == user.unit_id):
            tasks.append(Task(group, _("Đơn vị được đánh giá nội bộ: %(n)s", n=a.number), audit_url(a.number),
                              due=a.starts_on, detail=a.lead_auditor.full_name))
    return tasks
