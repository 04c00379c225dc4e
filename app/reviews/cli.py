"""`qms remind`: each unit's daily digest of what waits for it, by e-mail (or the log), at most once a day."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import click
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Unit, User
from app.extensions import db
from app.mail import MailError, send_mail
from app.reviews import hooks  # noqa: F401  (registers the review digest provider)
from app.reviews.models import ReminderLog
from app.tasks import Task, digest_for
from app.timeutil import format_date, local_today, parse_date


@dataclass
class RemindReport:
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    nothing: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def recipients_of(unit: Unit) -> list[str]:
    """The unit's own address and its active members' addresses."""
    people = db.session.scalars(select(User.email).where(User.unit_id == unit.id, User.active.is_(True))
                                .order_by(User.username)).all()
    return [a for a in dict.fromkeys([(unit.email or "").strip(), *((p or "").strip() for p in people)]) if a]


def digest_message(unit: Unit, items: list[Task], today: date, base_url: str) -> tuple[str, str]:
    overdue = sum(1 for t in items if t.overdue)
    subject = _("[ISO] Nhắc việc ngày %(d)s – %(unit)s: %(n)s việc", d=format_date(today), unit=unit.code,
                n=len(items))
    if overdue:
        subject += " " + _("(%(n)s quá hạn)", n=overdue)
    lines = [_("Kính gửi %(name)s,", name=unit.name), "",
             _("Hệ thống quản lý chất lượng ISO xin nhắc các việc đang chờ đơn vị:"), ""]
    group = None
    for t in items:
        if t.group != group:
            group = t.group
            lines += ["", f"{group}:"]
        flag = _("[QUÁ HẠN] ") if t.overdue else ""
        due = " " + _("(hạn %(d)s)", d=format_date(t.due)) if t.due else ""
        lines.append(f"  - {flag}{t.title}{due}")
        if t.detail:
            lines.append(f"    {t.detail}")
        lines.append(f"    {base_url.rstrip('/')}{t.url}")
    lines += ["", _("Thư này do hệ thống gửi tự động, mỗi đơn vị nhận tối đa một thư mỗi ngày.")]
    return subject, "\n".join(lines) + "\n"


def send_reminders(today: date, echo=click.echo) -> RemindReport:
    """One digest per unit and day: the reminder log's unique (unit, day) row is claimed before sending."""
    report = RemindReport()
    config = current_app.config
    for unit in db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).all():
        code = unit.code
        if db.session.scalar(select(ReminderLog.id).where(ReminderLog.unit_id == unit.id, ReminderLog.day == today)):
            report.already.append(code)
            continue
        items = digest_for(unit, today)
        if not items:
            report.nothing.append(code)
            continue
        to = recipients_of(unit)
        if not to:
            report.no_address.append(code)
            continue
        subject, body = digest_message(unit, items, today, config.get("QMS_BASE_URL", ""))
        try:  # claim (unit, day) before sending; a plain flush, as SQLite's savepoints would commit early
            db.session.add(ReminderLog(unit_id=unit.id, day=today, recipients=", ".join(to), items=len(items)))
            db.session.flush()
        except IntegrityError:  # another run claimed this unit and day first
            db.session.rollback()
            report.already.append(code)
            continue
        try:
            send_mail(to, subject, body, config)
        except MailError as exc:
            db.session.rollback()  # release the claim: a later run may try again today
            report.failed.append(code)
            echo(f"  ! {code}: {exc}", err=True)
            continue
        db.session.commit()
        report.sent.append(code)
        echo(f"  > {code}: {len(items)} item(s) to {', '.join(to)}")
    return report


def register(qms):
    @qms.command("remind")
    @click.option("--date", "day", default=None, help="Run as if today were this date (dd/mm/yyyy or yyyy-mm-dd).")
    def remind_command(day):
        """Send each unit its digest of open and overdue work (for cron; safe to run twice a day)."""
        try:
            today = parse_date(day) if day else local_today()
        except ValueError:
            raise click.BadParameter(f"not a date: {day}", param_hint="--date")
        with force_locale("vi"):
            report = send_reminders(today)
        click.echo(f"{format_date(today)}: sent {len(report.sent)}, already sent today {len(report.already)}, "
                   f"nothing to send {len(report.nothing)}, no address {len(report.no_address)}, "
                   f"failed {len(report.failed)}.")
        if report.no_address:
            click.echo(f"  units without any e-mail address: {', '.join(report.no_address)}", err=True)
        if report.failed:
            raise SystemExit(1)


def on_demo():
    """Nothing to load: the demo starts with no cycle, so the walk-through opens one (and its year is chosen then)."""
    return None
