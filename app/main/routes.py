"""Home page: what needs this user's attention."""
from __future__ import annotations

from itertools import groupby

from flask import Blueprint, render_template
from flask_login import current_user

from app.auth.permissions import require, signed_in
from app.tasks import tasks_for
from app.timeutil import local_today

bp = Blueprint("main", __name__)


@bp.get("/")
@require(signed_in)
def home():
    today = local_today()
    tasks = tasks_for(current_user, today)
    groups = [(name, list(items)) for name, items in groupby(sorted(tasks, key=lambda t: t.group),
                                                             key=lambda t: t.group)]
    return render_template("main/home.html", groups=groups, task_count=len(tasks), today=today)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
