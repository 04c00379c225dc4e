"""Time helpers: UTC storage, Asia/Ho_Chi_Minh calendar for people and for the yearly review."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Callable
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


_clock: Callable[[], datetime] | None = None


def utcnow() -> datetime:
    """Now, in UTC. Every "today" of the application comes from here, so a test can move the clock."""
    if _clock is not None:
        return _clock()
    return datetime.now(timezone.utc)


def set_clock(clock: Callable[[], datetime] | datetime | None) -> None:
    """Make utcnow() answer `clock` (a fixed aware datetime or a function); None restores the real clock."""
    global _clock
    if isinstance(clock, datetime):
        fixed = as_utc(clock)
        _clock = lambda: fixed  # noqa: E731
    else:
        _clock = clock


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored datetime is UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def to_local(value: datetime) -> datetime:
    return as_utc(value).astimezone(LOCAL_TZ)


def local_today(now: datetime | None = None) -> date:
    """Today's date on the department's calendar, whatever the server's own time zone."""
    return to_local(now or utcnow()).date()


def local_year(now: datetime | None = None) -> int:
    return local_today(now).year


def format_date(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%d/%m/%Y %H:%M")


# Dates anyone here means: a year outside these is a typing slip or a probe (and 0001 or 9999 overflow
# as soon as a day or a year is added to them).
MIN_YEAR, MAX_YEAR = 1900, 2999


def parse_date(text: str) -> date:
    """Parse dd/mm/yyyy (what people type here) or ISO yyyy-mm-dd (what date inputs send)."""
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise ValueError(text)
        return day
    raise ValueError(text)
