"""Statuses only move forward, and the review is due before the change takes effect."""
from __future__ import annotations

from datetime import date

from app.legal.rules import accepts_changes, review_due, status_after


def test_status_moves_forward_only():
    assert status_after("in_force", "amended") == "amended"
    assert status_after("amended", "partly_replaced") == "partly_replaced"
    assert status_after("partly_replaced", "amended") == "partly_replaced"
    assert status_after("amended", "repealed") == "repealed"
    assert not accepts_changes("repealed") and not accepts_changes("replaced") and accepts_changes("amended")


def test_due_the_day_before_the_change_takes_effect():
    assert review_due(date(2026, 11, 30), date(2027, 1, 1), 30) == date(2026, 12, 31)


def test_due_n_days_after_recording_when_the_change_is_already_in_effect_or_undated():
    assert review_due(date(2026, 11, 30), date(2021, 12, 20), 30) == date(2026, 12, 30)
    assert review_due(date(2026, 11, 30), None, 10) == date(2026, 12, 10)
    assert review_due(date(2026, 11, 30), date(2026, 11, 30), 30) == date(2026, 12, 30)
