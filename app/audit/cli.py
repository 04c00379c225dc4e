"""`qms audit-verify`: the chain, its key and anchor, and the store and the log checked against each other."""
from __future__ import annotations

import sys

import click

from app.audit.integrity import MISSING
from app.timeutil import format_datetime

CHAIN_WORDS = {"content": "its content was altered",
               "forged": "its hash was recomputed without the audit key",
               "link": "its link to the previous event is broken (deleted, inserted or reordered)"}
OWN_LINES = {"edited", "forged", "link", "missing_revision"}  # printed in the chain and history lines below


def _reason(reason: str) -> str:
    if reason == MISSING:
        return "no longer exists in the store (removed)"
    return "is no longer an ancestor of the store's main branch (amended, reset or rebased away)"


def register(qms) -> None:
    @qms.command("audit-verify")
    def audit_verify_command():
        """Verify the audit log and the store against each other; exit 1 naming everything found."""
        from app.audit.verify import verify_all
        from app.procedures import core

        v = verify_all(core.store())
        report, store = v.chain, v.history
        if report.ok:
            click.echo(f"OK: {report.count} audit events, chain intact (last hash {report.last_hash[:16]}).")
        else:
            click.echo(f"BROKEN: audit event #{report.first_broken_id} does not verify "
                       f"({CHAIN_WORDS.get(report.reason, report.reason)}).", err=True)
        if store.ok:
            click.echo(f"Store history OK: {store.checked} recorded commits, all on main.")
        if store.error:
            click.echo(f"STORE UNREADABLE: {store.error}", err=True)
        for p in store.problems:
            when = f", recorded {format_datetime(p.recorded_at)}" if p.recorded_at else ""
            events = f", named by audit event(s) {', '.join(f'#{i}' for i in p.event_ids[:5])}" if p.event_ids else ""
            click.echo(f"REWRITTEN: commit {p.sha} of {p.code} ({p.summary!r}{when}{events}) {_reason(p.reason)}.",
                       err=True)
        if store.problems:
            names = ", ".join(f"{p.sha} ({p.code})" for p in store.problems[:10])
            more = f" and {len(store.problems) - 10} more" if len(store.problems) > 10 else ""
            click.echo(f"the store's history was rewritten: recorded commit {names}{more} "
                       f"{'is' if len(store.problems) == 1 else 'are'} missing from main.", err=True)
        for f in v.findings:
            if f.kind not in OWN_LINES:
                click.echo(f"FOUND {f.kind.upper()}: {f.message}", err=True)
        if v.ok:
            click.echo(f"Store and log agree: {v.commits} commits and {v.tags} tags, each with its audit event.")
            return
        click.echo(f"FAILED: {', '.join(sorted(v.kinds()))}.", err=True)
        sys.exit(1)
