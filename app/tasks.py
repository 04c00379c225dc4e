"""What waits for whom: features register providers; the home page and `qms remind` read them.

A task provider is `fn(user, today) -> list[Task]` (shown on the user's home page); a digest
provider is `fn(unit, today) -> list[Task]` (sent to a unit by `qms remind`). Features register
theirs when their package is imported, which keeps the home page free of feature knowledge.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

TASK_PROVIDERS: list[Callable] = []
# templates included at the top of the home page (e.g. the Objective 4 indicator)
HOME_WIDGETS: list[str] = []
DIGEST_PROVIDERS: list[Callable] = []


@dataclass
class Task:
    group: str          # translated heading, e.g. "Rà soát cần ghi nhận"
    title: str
    url: str
    due: date | None = None
    overdue: bool = False
    detail: str = ""
    tags: list[str] = field(default_factory=list)


def task_provider(fn: Callable) -> Callable:
    if fn not in TASK_PROVIDERS:
        TASK_PROVIDERS.append(fn)
    return fn


def digest_provider(fn: Callable) -> Callable:
    if fn not in DIGEST_PROVIDERS:
        DIGEST_PROVIDERS.append(fn)
    return fn


def tasks_for(user, today: date) -> list[Task]:
    tasks: list[Task] = []
    for provider in TASK_PROVIDERS:
        tasks.extend(provider(user, today))
    return sorted(tasks, key=lambda t: (not t.overdue, t.due or date.max, t.title))


def digest_for(unit, today: date) -> list[Task]:
    items: list[Task] = []
    for provider in DIGEST_PROVIDERS:
        items.extend(provider(unit, today))
    return sorted(items, key=lambda t: (not t.overdue, t.due or date.max, t.title))
