"""`flask --app wsgi qms ...`: set up, demo data, accounts, audit verification, and feature commands."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import select

from app.extensions import db

qms = AppGroup("qms", help="Quản lý hệ thống ISO / QMS administration commands.")


def _feature_clis():
    """Each feature's command module, by name: a missing one is an error, never skipped."""
    from app.audit import cli as audit_cli
    from app.capa import cli as capa_cli
    from app.legal import cli as legal_cli
    from app.objectives import cli as objectives_cli
    from app.procedures import cli as procedures_cli
    from app.reports import cli as reports_cli
    from app.reviews import cli as reviews_cli

    return (procedures_cli, reviews_cli, capa_cli, objectives_cli, audit_cli, legal_cli, reports_cli)


def init_app(app: Flask) -> None:
    for module in _feature_clis():
        module.register(qms)
    app.cli.add_command(qms)


def _feature_hooks(hook: str):
    for module in _feature_clis():
        fn = getattr(module, hook, None)
        if fn is not None:
            yield fn


@qms.command("init")
@click.option("--admin-username", default=None, help="First administrator's username.")
@click.option("--admin-password", default=None, help="First administrator's password.")
@click.option("--admin-name", default="Quản trị hệ thống")
@click.option("--no-admin", is_flag=True, help="Only create the data directory and the schema.")
def init_command(admin_username, admin_password, admin_name, no_admin):
    """Create the data directory, upgrade the schema and the first administrator."""
    from app.auth import services
    from app.auth.models import ADMIN, User

    data_dir = Path(current_app.config["QMS_DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    upgrade()
    click.echo(f"Schema up to date ({current_app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]}).")
    for fn in _feature_hooks("on_init"):
        fn()
    if no_admin:
        return
    if db.session.scalar(select(User.id).join(User.role_rows).where(User.role_rows.any(role=ADMIN))):
        click.echo("An administrator already exists.")
        return
    username = admin_username or click.prompt("Administrator username", default="admin")
    password = admin_password or click.prompt("Administrator password", hide_input=True, confirmation_prompt=True)
    try:
        services.create_user(None, username=username, full_name=admin_name, password=password, roles=[ADMIN])
    except services.AccountError as exc:
        raise click.ClickException(f"Cannot create the administrator: {exc}")
    db.session.commit()
    click.echo(f"Administrator '{username}' created.")


def _ensure_schema() -> None:
    """Build the schema when the database is empty, so `qms demo` works on its own too."""
    from sqlalchemy import inspect

    if "user" not in inspect(db.engine).get_table_names():
        upgrade()


@qms.command("demo")
@click.option("--scale", type=click.Choice(["demo", "province"]), default="demo", show_default=True,
              help="province: add 3,000 procedures of 50 units and years of records (docs: README).")
@click.option("--procedures", type=click.IntRange(1, 20000), default=None, help="province: how many procedures.")
@click.option("--units", type=click.IntRange(1, 50), default=None, help="province: over how many units.")
@click.option("--events", type=click.IntRange(0), default=None, help="province: audit events in the log at the end.")
@click.option("--cycles", type=click.IntRange(0, 20), default=None, help="province: closed yearly review cycles.")
@click.option("--capa", type=click.IntRange(0), default=None, help="province: CAPA records.")
@click.option("--objective-years", type=click.IntRange(1, 10), default=None,
              help="province: years of quality objectives.")
def demo_command(scale, procedures, units, events, cycles, capa, objective_years):
    """Load the demo units, accounts and data (safe to run again)."""
    from app.demo import DEMO_PASSWORD, load_demo

    _ensure_schema()
    if scale == "province":
        from app.province_demo import AlreadyLoaded, Spec, check_not_loaded

        spec = Spec(**{k: v for k, v in dict(procedures=procedures, units=units, events=events, cycles=cycles,
                                               capa=capa, objective_years=objective_years).items() if v is not None})
        try:
            check_not_loaded()  # before the ordinary demo's part, so a second run changes nothing at all
        except AlreadyLoaded as exc:
            raise click.ClickException(str(exc))
    accounts = load_demo()
    db.session.commit()
    for fn in _feature_hooks("on_demo"):
        fn()
    click.echo("")
    click.echo("Tài khoản demo / demo accounts (password: %s):" % DEMO_PASSWORD)
    for username, roles in accounts:
        click.echo(f"  {username:<12} {roles}")
    if scale == "province":
        _province(spec)


def _province(spec) -> None:
    import time

    from app.province_demo import AlreadyLoaded, build

    started = time.perf_counter()
    try:
        timings = build(spec)
    except AlreadyLoaded as exc:
        raise click.ClickException(str(exc))
    for name, seconds in timings.items():
        click.echo(f"  {name:<26} {seconds:7.1f} s")
    click.echo(f"  {'total (province phases)':<26} {time.perf_counter() - started:7.1f} s")
    click.echo("Every account of the demo (and <unit>.cv / <unit>.tp of each new unit) uses the password above.")


@qms.command("create-user")
@click.option("--username", prompt=True)
@click.option("--full-name", prompt=True)
@click.option("--email", default="")
@click.option("--unit", "unit_code", default=None, help="Unit code, e.g. QLKH.")
@click.option("--role", "roles", multiple=True, type=click.Choice(
    ["admin", "secretary", "member", "head", "leadership", "committee"]), help="May be repeated.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(username, full_name, email, unit_code, roles, password):
    """Create an account."""
    from app.auth import services
    from app.auth.models import Unit

    unit = None
    if unit_code:
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code.upper()))
        if unit is None:
            raise click.ClickException(f"Unknown unit: {unit_code}")
    try:
        services.create_user(None, username=username, full_name=full_name, password=password, email=email,
                             unit=unit, roles=roles)
    except services.AccountError as exc:
        raise click.ClickException(str(exc))
    db.session.commit()
    click.echo(f"User '{username}' created.")


@qms.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup_command(dest):
    """Take a consistent copy of the running system into DEST (a new directory)."""
    from app.backup import BackupError, take_backup
    from app.procedures import core

    try:
        manifest = take_backup(dest, Path(current_app.config["QMS_DATA_DIR"]), core.store())
    except BackupError as exc:
        raise click.ClickException(str(exc))
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(f"Backup written to {dest}: store at {manifest['store']['tip'][:12]} with "
               f"{len(manifest['store']['refs']) - 1} tags, {rows} database rows in {len(manifest['tables'])} tables.")
    if manifest["in_flight_commits"]:
        click.echo(f"note: {len(manifest['in_flight_commits'])} commit(s) were being saved during the backup; "
                   "after a restore `qms fsck` records them.", err=True)


@qms.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(src):
    """Restore a backup onto this (fresh) data directory and database, then verify it."""
    from app.audit.verify import verify_all
    from app.backup import BackupError
    from app.procedures import core
    from app.procedures.cli import reindex
    from app.restore import restore_backup

    cfg = current_app.config
    try:
        restore_backup(src, Path(cfg["QMS_DATA_DIR"]), Path(cfg["QMS_STORE_DIR"]), echo=click.echo)
    except BackupError as exc:
        raise click.ClickException(str(exc))
    v = verify_all(core.store())
    for f in v.findings:
        click.echo(f"FOUND {f.kind.upper()}: {f.message}", err=True)
    total = reindex(echo=lambda *_a, **_k: None, progress=False)
    click.echo(f"Search index rebuilt: {total} documents.")
    if not v.ok:
        raise click.ClickException("the restored copy does not pass audit-verify (see above)")
    click.echo(f"audit-verify OK on the restored copy: {v.events} events, {v.commits} commits, {v.tags} tags.")
