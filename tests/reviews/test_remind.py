"""`qms remind`: one digest per unit and day, to the unit's and its members' addresses, by SMTP or the log."""
from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import mail
from app.extensions import db
from app.reviews import services
from app.reviews.models import MAINTAINED, ReminderLog
from app.tasks import digest_for
from tests.reviews.conftest import IN_2022, review_of


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port
        self.tls = self.user = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.tls = True

    def login(self, user, password):
        self.user = user

    def send_message(self, msg):
        FakeSMTP.sent.append((self, msg))


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config.update(QMS_SMTP_HOST="smtp.example.gov.vn", QMS_SMTP_PORT=587, QMS_SMTP_TLS=True,
                      QMS_SMTP_USER="qms", QMS_SMTP_PASSWORD="secret", QMS_MAIL_FROM="iso@sokhcn.example.gov.vn")
    return FakeSMTP


def test_running_remind_twice_the_same_day_sends_each_digest_once(runner, people, cycle_2022, smtp):
    first = runner.invoke(args=["qms", "remind", "--date", "2023-01-05"])
    assert first.exit_code == 0, first.output
    assert "sent 2" in first.output
    second = runner.invoke(args=["qms", "remind", "--date", "05/01/2023"])
    assert second.exit_code == 0, second.output
    assert "sent 0, already sent today 2" in second.output
    assert len(smtp.sent) == 2
    assert db.session.scalar(select(func.count()).select_from(ReminderLog)) == 2
    next_day = runner.invoke(args=["qms", "remind", "--date", "2023-01-06"])
    assert "sent 2" in next_day.output and len(smtp.sent) == 4


def test_the_digest_goes_to_the_unit_and_its_members_through_the_configured_smtp(runner, people, cycle_2022, smtp):
    people.member.unit.email = "qlkh@sokhcn.example.gov.vn"
    db.session.commit()
    runner.invoke(args=["qms", "remind", "--date", "2023-01-05"])
    server, msg = next((s, m) for s, m in smtp.sent if "QLKH" in m["Subject"])
    assert (server.host, server.port, server.tls, server.user) == ("smtp.example.gov.vn", 587, True, "qms")
    assert msg["From"] == "iso@sokhcn.example.gov.vn"
    assert set(msg["To"].split(", ")) == {"qlkh@sokhcn.example.gov.vn", people.member.email, people.head.email}
    body = msg.get_content()
    assert "Rà soát cần ghi nhận" in body and "[QUÁ HẠN] QT-QLKH-01" in body and "(hạn 31/12/2022)" in body
    assert "/reviews/2022/QT-QLKH-01" in body and "QT-TTR-01" not in body
    assert "3 việc" in msg["Subject"] and "3 quá hạn" in msg["Subject"]


def test_the_digest_lists_open_reviews_to_record_and_to_confirm_but_not_finished_ones(people, cycle_2022):
    services.record(people.member, review_of(cycle_2022, "QT-QLKH-01"), outcome=MAINTAINED, now=IN_2022)
    done = review_of(cycle_2022, "QT-QLKH-02")
    services.record(people.member, done, outcome=MAINTAINED, now=IN_2022)
    services.confirm(people.head, done, now=IN_2022)
    db.session.commit()
    items = digest_for(people.member.unit, date(2022, 12, 1))
    assert [(t.group, t.title.split(" ")[0]) for t in items] == [
        ("Rà soát cần trưởng đơn vị xác nhận", "QT-QLKH-01"), ("Rà soát cần ghi nhận", "QT-QLKH-03")]
    assert not any(t.overdue for t in items)


def test_without_an_smtp_host_the_messages_are_written_to_the_log(runner, people, cycle_2022, caplog):
    with caplog.at_level(logging.INFO, logger="app.mail"):
        result = runner.invoke(args=["qms", "remind", "--date", "2022-12-01"])
    assert result.exit_code == 0 and "sent 2" in result.output
    logged = [r.getMessage() for r in caplog.records if r.name == "app.mail"]
    assert len(logged) == 2 and any("QT-TTR-01" in m and "Subject: [ISO] Nhắc việc ngày 01/12/2022" in m
                                    for m in logged)


def test_a_unit_with_nothing_open_gets_no_mail(runner, people, procs, smtp):
    result = runner.invoke(args=["qms", "remind", "--date", "2022-12-01"])
    assert result.exit_code == 0 and "sent 0" in result.output and smtp.sent == []


def test_a_failed_send_is_reported_and_can_be_retried_the_same_day(runner, app, people, cycle_2022, monkeypatch):
    app.config["QMS_SMTP_HOST"] = "smtp.invalid"

    class Down(FakeSMTP):
        def __init__(self, *a, **k):
            raise OSError("connection refused")

    monkeypatch.setattr(mail.smtplib, "SMTP", Down)
    failed = runner.invoke(args=["qms", "remind", "--date", "2022-12-01"])
    assert failed.exit_code == 1 and "failed 2" in failed.output
    assert db.session.scalar(select(func.count()).select_from(ReminderLog)) == 0
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []
    retry = runner.invoke(args=["qms", "remind", "--date", "2022-12-01"])
    assert "sent 2" in retry.output


def test_the_reminder_log_allows_one_row_per_unit_and_day(people):
    unit = people.member.unit
    db.session.add(ReminderLog(unit_id=unit.id, day=date(2023, 1, 5), recipients="a@b", items=1))
    db.session.commit()
    db.session.add(ReminderLog(unit_id=unit.id, day=date(2023, 1, 5), recipients="a@b", items=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_bad_date_option_is_a_clear_error(runner, people):
    result = runner.invoke(args=["qms", "remind", "--date", "31/02/2023"])
    assert result.exit_code != 0 and "not a date" in result.output


def test_a_run_racing_another_for_the_same_unit_and_day_does_not_send_twice(runner, app, people, cycle_2022, smtp,
                                                                           monkeypatch):
    from app.reviews import cli as review_cli

    real = review_cli.recipients_of

    def claimed_meanwhile(unit):
        # another `qms remind` process claims this unit and day between our check and our claim
        with db.engine.begin() as conn:
            conn.execute(ReminderLog.__table__.insert().values(unit_id=unit.id, day=date(2023, 1, 5),
                                                               recipients="", items=1, sent_at=IN_2022))
        return real(unit)

    monkeypatch.setattr(review_cli, "recipients_of", claimed_meanwhile)
    result = runner.invoke(args=["qms", "remind", "--date", "2023-01-05"])
    assert result.exit_code == 0, result.output
    assert "sent 0, already sent today 2" in result.output and smtp.sent == []
