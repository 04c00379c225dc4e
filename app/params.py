"""Parsing numbers that arrive as text (query strings, path parts): None unless a sane 32-bit integer."""
from __future__ import annotations

INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1


def small_int(value) -> int | None:
    """int(value) if it is a plain ASCII integer that fits every database's INTEGER, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value or "").strip()
        if not text or not text.lstrip("-").isascii() or not text.lstrip("-").isdigit() or len(text) > 11:
            return None
        number = int(text)
    return number if INT_MIN <= number <= INT_MAX else None
