"""Command-line hooks of the objectives: demo data (the seed's 2022 plan); reminders go through `qms remind`."""
from __future__ import annotations

from app.objectives import hooks  # noqa: F401  (registers the home-page and digest providers)
from app.timeutil import local_today


def register(qms) -> None:
    """No command of its own: due and overdue reports reach units through `qms remind` (app.objectives.hooks)."""
    return None


def on_demo() -> None:
    from app.objectives import demo

    demo.load(local_today())
