"""One object's history: a procedure's commits and tags from the store merged with its audit events, paged."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit.messages import summary_of
from app.audit.models import AuditEvent
from app.audit.timeline import _cursor, _older_than, _order_newest, event_row
from app.extensions import db
from app.timeutil import LOCAL_TZ, as_utc, format_datetime

OBJECT_PAGE = 100
_RANK = {"commit": 0, "issue": 1, "withdrawal": 1, "event": 2}
# events without the commit id in their payload -> which store entries they may have recorded
_LOOSE = {"procedure.create": ("commit",), "procedure.import": ("commit", "issue"),
          "procedure.metadata": ("commit",), "procedure.withdraw": ("withdrawal",)}
# git keeps whole seconds; the event that recorded a commit follows it within this much
_SNAP = timedelta(seconds=2)


@dataclass
class Entry:
    """One line of an object's timeline, from the audit log or from the store."""

    when: datetime
    source: str                 # event | commit | issue | withdrawal
    title: str
    actor: str = ""
    sha: str = ""
    detail: str = ""
    event: AuditEvent | None = None
    problem: object | None = None      # integrity.RewrittenCommit when the store lost the commit
    unverified: bool = False           # the commit is only in the database mirror
    seq: int = 0
    stored_at: datetime | None = None  # the store's own time, when `when` was moved next to its event
    owner_id: int | None = None        # the event that recorded this commit or tag
    folded: list = field(default_factory=list)  # on an event: the commit and tag it recorded (one act, one line)

    @property
    def key(self):
        return (self.when, _RANK[self.source], self.seq)


@dataclass
class ObjectPage:
    entries: list[Entry]
    older: int | None = None   # ?after= for the next, older page
    first: bool = True


def _events(object_type: str, object_id: str, cursor=None, limit: int | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
    if cursor:
        stmt = stmt.where(_older_than(cursor))
    stmt = stmt.order_by(*_order_newest())
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))


def _snap(entries: list[Entry], events: list[AuditEvent]) -> None:
    """Put each commit or tag just before the event that recorded it (git keeps whole seconds only)."""
    linked: dict[str, AuditEvent] = {}
    loose: list[AuditEvent] = []
    for ev in sorted(events, key=lambda e: (e.occurred_at, e.id)):
        rev = ev.data.get("revision")
        if ev.action in ("procedure.save", "procedure.issue") and isinstance(rev, str):
            linked.setdefault(rev, ev)
        elif ev.action in _LOOSE:
            loose.append(ev)
    claimed: set[tuple[int, str]] = set()
    for entry in sorted(entries, key=lambda e: e.when):
        ev = linked.get(entry.sha) if entry.source != "withdrawal" else None
        if ev is None:
            ev = next((e for e in loose if entry.source in _LOOSE[e.action] and (e.id, entry.source) not in claimed
                       and timedelta(0) <= as_utc(e.occurred_at) - entry.when < _SNAP), None)
        if ev is not None and timedelta(0) <= as_utc(ev.occurred_at) - entry.when < _SNAP:
            claimed.add((ev.id, entry.source))
            entry.stored_at, entry.when = entry.when, as_utc(ev.occurred_at)
            entry.owner_id = ev.id


def store_entries(code: str, problems: dict) -> list[Entry]:
    """The store's commits and tags for a procedure, plus mirror rows whose commit the store lost."""
    from app.procedures import core
    from app.procedures.models import Procedure, ProcedureRevision
    from app.store import ProcedureNotFound

    st = core.store()
    entries: list[Entry] = []
    try:
        history = st.history(code)
    except ProcedureNotFound:
        history = []
    for n, rev in enumerate(reversed(history)):
        entries.append(Entry(as_utc(rev.authored_at), "commit", rev.summary, rev.author_name, rev.sha,
                             rev.message, problem=problems.get(rev.sha), seq=n))
    seen = {rev.sha for rev in history}
    mirror = db.session.scalars(select(ProcedureRevision).join(Procedure).where(Procedure.code == code)
                                .order_by(ProcedureRevision.authored_at))
    for row in mirror:
        if row.sha not in seen:  # recorded once, gone from the store's history since
            entries.append(Entry(as_utc(row.authored_at), "commit", row.summary, row.author_name, row.sha,
                                 row.message, problem=problems.get(row.sha), unverified=True))
    # tags are refs of their own: they outlive a rewrite of main and still say what was issued
    try:
        issues, withdrawals = st.issues(code), st.withdrawals(code)
    except ProcedureNotFound:
        issues, withdrawals = [], []
    if issues or withdrawals:
        for issue in issues:
            entries.append(Entry(as_utc(issue.tagged_at), "issue",
                                 _("Ban hành lần %(n)s, hiệu lực từ %(d)s", n=issue.number,
                                   d=issue.effective_on.strftime("%d/%m/%Y")),
                                 issue.approver_name, issue.revision, issue.message,
                                 problem=problems.get(issue.revision)))
        for w in withdrawals:
            when = w.tagged_at or datetime.combine(w.withdrawn_on, time.min, tzinfo=LOCAL_TZ)
            entries.append(Entry(as_utc(when), "withdrawal",
                                 _("Bãi bỏ từ %(d)s", d=w.withdrawn_on.strftime("%d/%m/%Y")),
                                 w.by_name, w.revision, w.reason, problem=problems.get(w.revision)))
    return entries


def fold(entries: list[Entry]) -> list[Entry]:
    """One act, one line: a commit or tag recorded by an event is shown on that event's line (a problem with
    it, or a commit only the mirror knows, keeps a line of its own so that it is seen)."""
    events = {e.event.id: e for e in entries if e.source == "event" and e.event is not None}
    out = []
    for e in entries:
        owner = events.get(e.owner_id) if e.source != "event" and e.owner_id is not None else None
        if owner is not None and e.problem is None and not e.unverified:
            owner.folded.append(e)
            if not owner.sha:
                owner.sha = e.sha
            continue
        out.append(e)
    return out


def object_history(object_type: str, object_id: str, problems: dict | None = None, *, after=None,
                   per_page: int | None = OBJECT_PAGE) -> ObjectPage:
    """Newest first, `per_page` events a page (None: everything) with the store entries of the same span."""
    cursor = _cursor(after) if after is not None else None
    events = _events(object_type, object_id, cursor, per_page + 1 if per_page else None)
    more = bool(per_page) and len(events) > per_page
    events = events[:per_page] if per_page else events
    entries: list[Entry] = []
    if object_type == "procedure":
        entries = store_entries(object_id, problems or {})
        # the event just above this page may have recorded a commit shown here: snap to it as well
        above = db.session.get(AuditEvent, cursor[1]) if cursor else None
        _snap(entries, events + ([above] if above is not None else []))
        upper = as_utc(cursor[0]) if cursor else None
        lower = as_utc(events[-1].occurred_at) if more else None
        entries = [e for e in entries if (upper is None or e.when < upper) and (lower is None or e.when >= lower)]
    for ev in events:
        rev = ev.data.get("revision")
        rev = rev if isinstance(rev, str) else ""
        entries.append(Entry(as_utc(ev.occurred_at), "event", summary_of(ev), ev.actor_name, rev, event=ev,
                             problem=(problems or {}).get(rev) if rev else None, seq=ev.id))
    entries.sort(key=lambda e: e.key, reverse=True)
    return ObjectPage(entries, events[-1].id if more else None, cursor is None)


def entry_rows(entries: list[Entry], object_type: str, object_id: str, unit_code: str = ""):
    """Export rows of an object's merged timeline, oldest first."""
    log, store = _("Nhật ký hệ thống"), _("Kho quy trình (git)")
    for entry in sorted(entries, key=lambda e: e.key):
        if entry.event is not None:
            yield event_row(entry.event, log)
            continue
        when = entry.stored_at or entry.when
        yield ["", format_datetime(when), when.isoformat(timespec="seconds"), store, "",
               entry.actor, unit_code, object_type, object_id, f"store.{entry.source}", entry.title, entry.detail,
               entry.sha, "", ""]
