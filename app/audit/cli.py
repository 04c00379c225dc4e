"""Audit hooks for the CLI: `qms audit-verify` also checks that the store's history was not rewritten."""
from __future__ import annotations

import click

from app.audit.integrity import MISSING, check_store_history
from app.timeutil import format_datetime


def register(qms) -> None:
    """No command of its own: `qms audit-verify` (app/cli.py) calls on_audit_verify below."""


def _reason(reason: str) -> str:
    if reason == MISSING:
        return "no longer exists in the store (removed)"
    return "is no longer an ancestor of the store's main branch (amended, reset or rebased away)"


def on_audit_verify(report) -> None:
    """Fail `qms audit-verify`, naming each commit the database recorded that the store no longer holds."""
    store = check_store_history()
    if store.ok:
        click.echo(f"Store history OK: {store.checked} recorded commits, all on main.")
        return
    if store.error:
        click.echo(f"STORE UNREADABLE: {store.error}", err=True)
    for p in store.problems:
        when = f", recorded {format_datetime(p.recorded_at)}" if p.recorded_at else ""
        events = f", named by audit event(s) {', '.join(f'#{i}' for i in p.event_ids[:5])}" if p.event_ids else ""
        click.echo(f"REWRITTEN: commit {p.sha} of {p.code} ({p.summary!r}{when}{events}) {_reason(p.reason)}.",
                   err=True)
    # the command stops here, so say what it would have said about the chain as well
    if report.ok:
        click.echo(f"Audit chain OK: {report.count} audit events, chain intact.")
    else:
        click.echo(f"BROKEN: audit event #{report.first_broken_id} does not verify "
                   f"({'content altered' if report.reason == 'content' else 'link to the previous event broken'}).",
                   err=True)
    if store.error:
        raise click.ClickException(f"the store's history could not be checked: {store.error}")
    names = ", ".join(f"{p.sha} ({p.code})" for p in store.problems[:10])
    more = f" and {len(store.problems) - 10} more" if len(store.problems) > 10 else ""
    raise click.ClickException(f"the store's history was rewritten: recorded commit {names}{more} "
                               f"{'is' if len(store.problems) == 1 else 'are'} missing from main.")
