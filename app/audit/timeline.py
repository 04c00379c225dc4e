"""Timeline queries: filters from the query string, keyset pages newest first, streamed export rows."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, text

from app.audit.models import AuditEvent
from app.extensions import db
from app.params import small_int
from app.timeutil import LOCAL_TZ, as_utc, format_datetime, local_year, parse_date, to_local

PER_PAGE = 50

# kind of object -> (label, the object_type values recorded for it by the features' services)
KINDS = {
    "procedure": (_l("Quy trình"), ("procedure",)),
    "review": (_l("Rà soát"), ("review", "review_cycle", "cycle", "unit_review")),
    "capa": (_l("Khắc phục, phòng ngừa"), ("capa", "capa_action")),
    "account": (_l("Tài khoản, đơn vị"), ("account", "unit", "user")),
    "objectives": (_l("Mục tiêu chất lượng"), ("objectives",)),
}
SYSTEM_ACTOR = "system"
# successful sign-ins and sign-outs are most of the log and say little: hidden unless asked for
SIGNIN_ACTIONS = ("auth.login", "auth.logout")


def _order_newest():
    return (AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def _order_oldest():
    return (AuditEvent.occurred_at.asc(), AuditEvent.id.asc())


def _local_midnight_utc(day: date) -> datetime:
    return as_utc(datetime.combine(day, time.min, tzinfo=LOCAL_TZ))


@dataclass
class Filters:
    """What the committee narrowed the timeline to; dates are days of the department's calendar."""

    date_from: date | None = None
    date_to: date | None = None
    year: int | None = None
    unit: str = ""
    user: str = ""          # a user id, or "system" for events without an actor
    kind: str = ""
    action: str = ""
    signins: bool = False
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> "Filters":
        f = cls()
        for name in ("from", "to"):
            raw = (args.get(name) or "").strip()
            if not raw:
                continue
            try:
                setattr(f, "date_from" if name == "from" else "date_to", parse_date(raw))
            except ValueError:
                f.errors.append(_("Ngày không hợp lệ: %(value)s (nhập theo dạng dd/mm/yyyy).", value=raw))
        if f.date_from and f.date_to and f.date_from > f.date_to:
            f.errors.append(_("Ngày bắt đầu sau ngày kết thúc; bộ lọc ngày được bỏ qua."))
            f.date_from = f.date_to = None
        year = (args.get("year") or "").strip()
        if year:
            if year.isdigit() and 1900 < int(year) < 3000:
                f.year = int(year)
            else:
                f.errors.append(_("Năm không hợp lệ: %(value)s.", value=year))
        f.unit = (args.get("unit") or "").strip().upper()[:20]
        user = (args.get("user") or "").strip()
        if user == SYSTEM_ACTOR or small_int(user) is not None:
            f.user = user
        kind = (args.get("kind") or "").strip()
        f.kind = kind if kind in KINDS else ""
        f.action = (args.get("action") or "").strip()[:60]
        f.signins = args.get("signins") == "1"
        return f

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) in UTC, the intersection of the year and the from/to days."""
        start = end = None
        if self.year:
            start, end = date(self.year, 1, 1), date(self.year + 1, 1, 1)
        if self.date_from:
            start = max(start, self.date_from) if start else self.date_from
        if self.date_to:
            stop = self.date_to + timedelta(days=1)
            end = min(end, stop) if end else stop
        return (_local_midnight_utc(start) if start else None, _local_midnight_utc(end) if end else None)

    def clauses(self) -> list:
        out = []
        start, end = self.bounds()
        if start is not None:
            out.append(AuditEvent.occurred_at >= start)
        if end is not None:
            out.append(AuditEvent.occurred_at < end)
        if self.unit:
            out.append(AuditEvent.unit_code == self.unit)
        if self.user == SYSTEM_ACTOR:
            out.append(AuditEvent.actor_id.is_(None))
        elif self.user:
            out.append(AuditEvent.actor_id == int(self.user))
        if self.kind:
            out.append(AuditEvent.object_type.in_(KINDS[self.kind][1]))
        if self.action:
            out.append(AuditEvent.action == self.action)
        elif not self.signins:
            out.append(AuditEvent.action.not_in(SIGNIN_ACTIONS))
        return out

    def query_args(self) -> dict:
        """The filters as query-string arguments, for pager and export links."""
        args = {"from": self.date_from.isoformat() if self.date_from else "",
                "to": self.date_to.isoformat() if self.date_to else "",
                "year": self.year or "", "unit": self.unit, "user": self.user, "kind": self.kind,
                "action": self.action, "signins": "1" if self.signins else ""}
        return {k: v for k, v in args.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.query_args())


# -- one page, newest first, by keyset -----------------------------------------------------------
@dataclass
class TimelinePage:
    items: list[AuditEvent]
    total: int
    newer: int | None = None   # id to pass as ?before= for the newer page
    older: int | None = None   # id to pass as ?after= for the older page
    per_page: int = PER_PAGE


def _cursor(event_id) -> tuple[datetime, int] | None:
    event_id = small_int(event_id)
    if event_id is None:
        return None
    row = db.session.execute(select(AuditEvent.occurred_at, AuditEvent.id).where(AuditEvent.id == event_id)).first()
    return (row[0], row[1]) if row else None


def _older_than(cur, inclusive: bool = False):
    ts, ident = cur
    tie = AuditEvent.id <= ident if inclusive else AuditEvent.id < ident
    # the plain range on occurred_at keeps the (unit_code, occurred_at) index usable
    return and_(AuditEvent.occurred_at <= ts, or_(AuditEvent.occurred_at < ts, tie))


def _newer_than(cur):
    ts, ident = cur
    return and_(AuditEvent.occurred_at >= ts, or_(AuditEvent.occurred_at > ts, AuditEvent.id > ident))


def _exists(clauses) -> bool:
    return db.session.scalar(select(AuditEvent.id).where(*clauses).limit(1)) is not None


def count(clauses) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(*clauses)) or 0


def page(clauses: list, *, after=None, before=None, at=None, per_page: int = PER_PAGE) -> TimelinePage:
    """One page of events matching `clauses`, newest first.

    `after=<id>`: the events older than that one; `before=<id>`: the newer ones; `at=<id>`: from that
    event on (itself included). A keyset page costs the same on page 1 and page 4,000.
    """
    base = select(AuditEvent).where(*clauses)
    if before is not None and (cur := _cursor(before)):
        rows = list(db.session.scalars(base.where(_newer_than(cur)).order_by(*_order_oldest()).limit(per_page + 1)))
        rows = rows[:per_page][::-1]
    else:
        cur = _cursor(at if at is not None else after)
        stmt = base.where(_older_than(cur, inclusive=at is not None)) if cur else base
        rows = list(db.session.scalars(stmt.order_by(*_order_newest()).limit(per_page + 1)))[:per_page]
    result = TimelinePage(rows, count(clauses), per_page=per_page)
    if rows:
        first = (rows[0].occurred_at, rows[0].id)
        last = (rows[-1].occurred_at, rows[-1].id)
        if _exists([*clauses, _newer_than(first)]):
            result.newer = rows[0].id
        if _exists([*clauses, _older_than(last)]):
            result.older = rows[-1].id
    return result


# -- choices for the filter form ------------------------------------------------------------------
def years() -> list[int]:
    """From the year of the first event to this year, newest first."""
    first = db.session.scalar(select(func.min(AuditEvent.occurred_at)))
    this = local_year()
    start = to_local(first).year if first else this
    return list(range(max(this, start), min(this, start) - 1, -1))


# DISTINCT would read all 200,000 rows; this walks the action index one value at a time (a "skip scan")
_DISTINCT_ACTIONS = text(
    "WITH RECURSIVE a(action) AS ("
    " SELECT MIN(action) FROM audit_event"
    " UNION ALL SELECT (SELECT MIN(e.action) FROM audit_event e WHERE e.action > a.action)"
    " FROM a WHERE a.action IS NOT NULL)"
    " SELECT action FROM a WHERE action IS NOT NULL")


def actions() -> list[str]:
    """The actions recorded so far, in alphabetical order."""
    return list(db.session.scalars(_DISTINCT_ACTIONS))


# -- export --------------------------------------------------------------------------------------
def export_header() -> list[str]:
    """Every field that goes into an event's hash is a column, so the export can be re-verified."""
    return [_("Mã sự kiện"), _("Thời gian"), _("Thời điểm UTC"), _("Nguồn"), _("Mã người thực hiện"),
            _("Người thực hiện"), _("Đơn vị"), _("Loại đối tượng"), _("Đối tượng"), _("Hành động"),
            _("Nội dung"), _("Dữ liệu (JSON)"), _("Commit"), "prev_hash", "hash"]


def _revision_of(payload: str) -> str:
    if '"revision"' not in (payload or ""):
        return ""
    try:
        value = json.loads(payload).get("revision")
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def event_row(ev, source: str) -> list:
    when = as_utc(ev.occurred_at)
    return [ev.id, format_datetime(when), when.isoformat(timespec="microseconds"), source, ev.actor_id or "",
            ev.actor_name, ev.unit_code or "", ev.object_type, ev.object_id, ev.action, ev.summary, ev.payload,
            _revision_of(ev.payload), ev.prev_hash, ev.hash]


def export_rows(clauses: list, batch: int = 1000):
    """Plain rows, oldest first, streamed `batch` at a time: a big export never fills memory."""
    source = _("Nhật ký hệ thống")
    stmt = (select(*AuditEvent.__table__.columns).where(*clauses).order_by(*_order_oldest())
            .execution_options(yield_per=batch))
    for ev in db.session.execute(stmt):
        yield event_row(ev, source)

