"""Management review on the home page and in `qms remind`: outputs to carry out, meetings to record, minutes."""
from __future__ import annotations

from datetime import date, timedelta

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from app.auth.models import HEAD, MEMBER
from app.extensions import db
from app.management_review import permissions as perm
from app.management_review.models import HELD, OUTPUT_OPEN, PLANNED, ManagementReview, ReviewOutput
from app.tasks import Task, digest_provider, task_provider

DIGEST_HORIZON = timedelta(days=7)


def review_url(review_id: int, anchor: str = "") -> str:
    if has_request_context():
        return url_for("management_review.view", review_id=review_id) + anchor
    return f"/management-reviews/{review_id}{anchor}"


def _output_task(o: ReviewOutput, today: date) -> Task:
    return Task(group=_("Kết luận của cuộc họp xem xét của lãnh đạo"),
                title=_("Kết luận %(n)s (họp ngày %(d)s): %(text)s", n=o.seq,
                        d=o.review.meeting_on.strftime("%d/%m/%Y"), text=o.description[:120]),
                url=review_url(o.review_id, "#outputs"), due=o.due_on, overdue=o.is_overdue(today),
                detail=o.owner_label, tags=["management_review"])


def _open_outputs(*where) -> list[ReviewOutput]:
    return list(db.session.scalars(select(ReviewOutput).where(ReviewOutput.status == OUTPUT_OPEN, *where)
                                   .order_by(ReviewOutput.due_on, ReviewOutput.id)))


@task_provider
def management_review_tasks(user, today: date) -> list[Task]:
    if not perm.can_read_management_reviews(user):
        return []
    tasks: list[Task] = []
    group = _("Xem xét của lãnh đạo")
    if perm.can_manage_management_reviews(user):
        for r in db.session.scalars(select(ManagementReview).where(ManagementReview.status == PLANNED)):
            tasks.append(Task(group, _("Chuẩn bị đầu vào và ghi nhận cuộc họp ngày %(d)s",
                                       d=r.meeting_on.strftime("%d/%m/%Y")), review_url(r.id), due=r.meeting_on))
    if perm.can_approve_minutes(user):
        for r in db.session.scalars(select(ManagementReview).where(ManagementReview.status == HELD)):
            if r.minutes:
                tasks.append(Task(group, _("Phê duyệt biên bản họp xem xét ngày %(d)s",
                                           d=r.meeting_on.strftime("%d/%m/%Y")), review_url(r.id)))
    mine = [ReviewOutput.owner_user_id == user.id]
    if user.unit_id is not None and user.has_role(MEMBER, HEAD):
        mine.append(and_(ReviewOutput.owner_user_id.is_(None), ReviewOutput.owner_unit_id == user.unit_id))
    tasks.extend(_output_task(o, today) for o in _open_outputs(or_(*mine)))
    return tasks


@digest_provider
def management_review_digest(unit, today: date) -> list[Task]:
    outputs = _open_outputs(ReviewOutput.owner_unit_id == unit.id, ReviewOutput.due_on <= today + DIGEST_HORIZON)
    return [_output_task(o, today) for o in outputs]
