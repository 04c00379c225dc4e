"""Audit test helpers: events at chosen moments, procedures through document control, plain git in the store."""
from __future__ import annotations

import subprocess
from contextlib import contextmanager
from datetime import datetime, timezone

import pytest

from app.audit import services
from app.extensions import db
from app.timeutil import local_today

BODY = "# 1. Mục đích\n\nQuy định trình tự đăng ký.\n\n# 5. Nội dung quy trình\n\nBước 1: tiếp nhận hồ sơ.\n"


@contextmanager
def frozen(monkeypatch, when: datetime):
    """Events recorded inside carry `when` (UTC) as their time."""
    with monkeypatch.context() as m:
        m.setattr(services, "utcnow", lambda: when)
        yield


def event_at(monkeypatch, when: datetime, action="procedure.save", object_type="procedure", object_id="QT-QLKH-01",
             unit_code="QLKH", actor=None, summary="", payload=None):
    with frozen(monkeypatch, when):
        ev = services.record(actor, action, object_type, object_id, summary or f"{action} {object_id}",
                             payload or {}, unit_code=unit_code)
    db.session.commit()
    return ev


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def git(root, *args) -> str:
    env = {"GIT_AUTHOR_NAME": "Kẻ sửa lén", "GIT_AUTHOR_EMAIL": "x@example.org", "GIT_COMMITTER_NAME": "Kẻ sửa lén",
           "GIT_COMMITTER_EMAIL": "x@example.org", "PATH": "/usr/bin:/bin", "HOME": str(root)}
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True, env=env).stdout.strip()


class Workflow:
    """A procedure moved through document control by the right people, as the application would."""

    def __init__(self, make):
        from app.procedures.services import DocumentControl

        self.make = make
        self.secretary = make.user("secretary", unit="VP", full_name="Thư ký ISO")
        self.member = make.user("member", unit="QLKH", full_name="Chuyên viên QLKH")
        self.head = make.user("head", unit="QLKH", full_name="Trưởng phòng QLKH")
        self.leader = make.user("leadership", full_name="Giám đốc Sở")
        self.dc = DocumentControl()

    @property
    def store(self):
        return self.dc.st

    def create(self, code="QT-QLKH-09", unit="QLKH"):
        proc = self.dc.create(self.secretary, code=code, title=f"Quy trình thử {code}", unit=self.make.unit(unit),
                              body=BODY)
        db.session.commit()
        return proc

    def save(self, proc, text="Bước 2: thẩm định.", actor=None):
        sha = self.dc.save_draft(actor or self.member, proc, body=BODY + f"\n{text}\n",
                                 base_revision=proc.current_revision, message=f"Sửa: {text}")
        db.session.commit()
        return sha

    def issue(self, proc):
        self.dc.submit(self.head, proc)
        db.session.commit()
        number = self.dc.approve(self.leader, proc, effective_on=local_today())
        db.session.commit()
        return number


@pytest.fixture
def workflow(app, make):
    return Workflow(make)


@pytest.fixture
def client_for(app):
    """A fresh client signed in as `user` (one client per person: signing in again does not switch user)."""
    from tests.conftest import login

    def _client(user):
        client = app.test_client()
        resp = login(client, user)
        assert resp.status_code == 302, resp.data[:300]
        return client

    return _client
