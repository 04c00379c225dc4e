"""The qms command line: init, demo, create-user."""
from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Unit, User
from app.extensions import db
from tests.conftest import login


def test_init_creates_the_first_administrator(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["qms", "init", "--admin-username", "root", "--admin-password", "a-long-pass"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "root"))
    assert user is not None and "admin" in user.roles


def test_init_twice_does_not_create_a_second_administrator(empty_app):
    runner = empty_app.test_cli_runner()
    runner.invoke(args=["qms", "init", "--admin-username", "root", "--admin-password", "a-long-pass"])
    result = runner.invoke(args=["qms", "init", "--admin-username", "root2", "--admin-password", "a-long-pass"])
    assert result.exit_code == 0 and "already exists" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_demo_is_idempotent_and_prints_the_accounts(app, runner):
    first = runner.invoke(args=["qms", "demo"])
    assert first.exit_code == 0, first.output
    counts = (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Unit.id))))
    second = runner.invoke(args=["qms", "demo"])
    assert second.exit_code == 0, second.output
    assert (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Unit.id)))) == counts
    for name in ("admin", "thuky", "lanhdao", "bcd", "qlkh.cv", "qlkh.tp", "vp.cv", "cctdc.tp"):
        assert name in first.output
    assert "demo-password" in first.output


def test_demo_accounts_have_their_roles_and_units(app, runner, client):
    runner.invoke(args=["qms", "demo"])
    users = {u.username: u for u in db.session.scalars(select(User))}
    assert users["thuky"].roles == {"secretary"}
    assert users["lanhdao"].roles == {"leadership"}
    assert users["bcd"].roles == {"committee"}
    assert users["qlkh.cv"].roles == {"member"} and users["qlkh.cv"].unit_code == "QLKH"
    assert users["qlkh.tp"].roles == {"head"}
    assert login(client, "thuky", "demo-password").status_code == 302


def test_create_user_with_unit_and_roles(app, runner):
    runner.invoke(args=["qms", "demo"])
    result = runner.invoke(args=["qms", "create-user", "--username", "hoa", "--full-name", "Trần Thị Hoa",
                                 "--unit", "qlkh", "--role", "member", "--role", "head",
                                 "--password", "hoa-password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "hoa"))
    assert user.roles == {"member", "head"} and user.unit_code == "QLKH"


def test_create_user_with_an_unknown_unit_is_a_clear_error(app, runner):
    result = runner.invoke(args=["qms", "create-user", "--username", "x", "--full-name", "X", "--unit", "NOPE",
                                 "--password", "long-enough"])
    assert result.exit_code != 0 and "Unknown unit" in result.output
