"""The register's rules that need no database: statuses and their order, what a relation changes, due dates.

Flask-free, so that tests read them without an application.
"""
from __future__ import annotations

from datetime import date, timedelta

# status of a legal document
IN_FORCE, AMENDED, PARTLY_REPLACED, REPLACED, REPEALED = (
    "in_force", "amended", "partly_replaced", "replaced", "repealed")
STATUSES = (IN_FORCE, AMENDED, PARTLY_REPLACED, REPLACED, REPEALED)
# a status only moves forward: an amended decree that is then repealed is repealed, never "amended" again
_RANK = {IN_FORCE: 0, AMENDED: 1, PARTLY_REPLACED: 2, REPLACED: 3, REPEALED: 3}
ENDED = (REPLACED, REPEALED)

# relations, read "source <kind> target": 107/2021/NĐ-CP amends 61/2018/NĐ-CP
AMENDS, PARTLY_REPLACES, REPLACES, REPEALS, GUIDES = "amends", "partly_replaces", "replaces", "repeals", "guides"
RELATIONS = (AMENDS, PARTLY_REPLACES, REPLACES, REPEALS, GUIDES)
# what a relation does to its target's status (guiding changes nothing)
CHANGE_OF = {AMENDS: AMENDED, PARTLY_REPLACES: PARTLY_REPLACED, REPLACES: REPLACED, REPEALS: REPEALED}
RELATION_OF = {v: k for k, v in CHANGE_OF.items()}
CHANGES = (AMENDED, PARTLY_REPLACED, REPLACED, REPEALED)


def status_after(current: str, change: str) -> str:
    """The status a document has once `change` is recorded on it."""
    if change not in CHANGES:
        raise ValueError(f"not a change: {change!r}")
    return change if _RANK[change] >= _RANK.get(current, 0) else current


def accepts_changes(status: str) -> bool:
    """A replaced or repealed document is no longer in force: nothing further can change it."""
    return status not in ENDED


def review_due(recorded_on: date, effective_on: date | None, days_after: int) -> date:
    """When the change-triggered review is due: the day before the change takes effect, when that is still
    ahead; otherwise `days_after` days after the change was recorded."""
    if effective_on is not None and effective_on - timedelta(days=1) >= recorded_on:
        return effective_on - timedelta(days=1)
    return recorded_on + timedelta(days=days_after)
