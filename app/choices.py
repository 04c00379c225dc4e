"""Choices for select, radio and checkbox fields in the shape WTForms wants (no deprecated tuples)."""
from __future__ import annotations

from typing import Iterable

from wtforms.fields.choices import SelectChoice


def choices(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """[(value, label), ...] -> SelectChoice objects, in the same order."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]
