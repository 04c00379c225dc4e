"""How the office feature plugs in: document-control hooks, "my tasks" and the reminder digest."""
from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from functools import wraps

from flask import has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from app.office import permissions as operm
from app.office import services
from app.procedures import core
from app.store.attachments import Attachments
from app.tasks import Task, digest_provider, task_provider


def _on_issue(actor, proc):
    services.recall_superseded(actor, proc)
    # A procedure brought in already in force (demo, folder or Word import) was read before the
    # system existed: only issues approved here ask people to confirm; the secretary can still ask.
    if services.last_action(proc) != "procedure.import":
        services.open_acknowledgement(actor, proc)


def _on_withdraw(actor, proc):
    services.recall_superseded(actor, proc)


def _form_text(st, code: str, revision: str | None) -> str:
    """The names and words of a revision's form files, searched with the procedure's text."""
    from app.office.formtext import text_of  # python-docx and openpyxl: loaded when a form is read

    files = Attachments(st)
    parts = []
    for info in files.list(code, revision):
        parts.append(info.name)
        parts.append(text_of(info.name, files.read(code, info.name, revision)))
    return "\n".join(p for p in parts if p)


def register_hooks() -> None:
    """Idempotent: create_app runs many times in one test process."""
    if _form_text not in core.INDEX_TEXT:
        core.INDEX_TEXT.append(_form_text)
    for hooks, fn in ((core.ON_ISSUE, _on_issue), (core.ON_WITHDRAW, _on_withdraw)):
        if fn not in hooks:
            hooks.append(fn)


def _vietnamese_outside_requests(fn):
    @wraps(fn)
    def wrapped(*args, **kwargs):
        with nullcontext() if has_request_context() else force_locale("vi"):
            return fn(*args, **kwargs)

    return wrapped


def _readers_url(code: str) -> str:
    return f"/procedures/{code}/readers"


@task_provider
@_vietnamese_outside_requests
def office_tasks(user, today: date) -> list[Task]:
    tasks = [Task(_("Quy trình cần đọc và xác nhận"), f"{p.code} – {p.title}", _readers_url(p.code),
                  detail=_("Lần ban hành %(n)s", n=p.issue_number), tags=["acknowledge"])
             for p in services.pending_for(user)]
    if operm.can_manage_distribution(user):
        for copy in services.copies_to_recall():
            tasks.append(Task(_("Bản kiểm soát cần thu hồi"),
                              _("%(code)s lần %(n)s – bản số %(number)s", code=copy.procedure.code,
                                n=copy.issue_number, number=copy.number),
                              f"/procedures/{copy.procedure.code}/distribution", detail=copy.unit.name,
                              tags=["recall"]))
    return tasks


@digest_provider
@_vietnamese_outside_requests
def office_digest(unit, today: date) -> list[Task]:
    return [Task(_("Quy trình cần đọc và xác nhận"), f"{p.code} – {p.title}", _readers_url(p.code),
                 detail=_("%(n)s người chưa xác nhận", n=missing), tags=["acknowledge"])
            for p, missing in services.unit_backlog(unit)]


register_hooks()
