"""Sending e-mail: SMTP from the QMS_SMTP_* settings, or the log when no SMTP host is configured (development)."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Iterable, Mapping

log = logging.getLogger("app.mail")


class MailError(RuntimeError):
    """The SMTP server refused or could not be reached."""


def build_message(config: Mapping, to: Iterable[str], subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = config.get("QMS_MAIL_FROM") or "qms@localhost"
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="qms.local")
    msg.set_content(body, charset="utf-8")
    return msg


def send_mail(to: Iterable[str], subject: str, body: str, config: Mapping | None = None) -> EmailMessage:
    """Send one plain-text message; without QMS_SMTP_HOST it is written to the log instead."""
    if config is None:
        from flask import current_app

        config = current_app.config
    recipients = [a for a in dict.fromkeys(a.strip() for a in to) if a]
    if not recipients:
        raise MailError("no recipients")
    msg = build_message(config, recipients, subject, body)
    host = (config.get("QMS_SMTP_HOST") or "").strip()
    if not host:
        log.info("mail (no SMTP host configured, logged only)\nTo: %s\nSubject: %s\n\n%s",
                 msg["To"], subject, body)
        return msg
    port = int(config.get("QMS_SMTP_PORT") or 25)
    try:
        factory = smtplib.SMTP_SSL if port == 465 else smtplib.SMTP
        with factory(host, port, timeout=30) as smtp:
            if config.get("QMS_SMTP_TLS") and factory is smtplib.SMTP:
                smtp.starttls()
            if config.get("QMS_SMTP_USER"):
                smtp.login(config["QMS_SMTP_USER"], config.get("QMS_SMTP_PASSWORD") or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"SMTP {host}:{port}: {exc}") from exc
    log.info("mail sent to %s: %s", msg["To"], subject)
    return msg
