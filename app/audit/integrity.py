"""Integrity shown, not assumed: the hash chain's verdict (cached for big logs) and the store-history check.

Every commit the database ever recorded (a ProcedureRevision row of the mirror, or the `revision` of a
procedure event in the hash-chained log, which `qms fsck` cannot prune) must still exist in the store
and be an ancestor of its main branch. A commit amended, reset away or otherwise rewritten is named.
"""
from __future__ import annotations

import json
import time as _time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.audit.services import ChainReport, check_event, current_key, verify_chain
from app.extensions import db
from app.timeutil import as_utc, utcnow

MISSING, NOT_ON_MAIN = "missing", "not_on_main"
# Verifying the whole chain is linear in the log; below this many seconds it is simply redone per page.
SLOW_VERIFY_SECONDS = 0.25
# Past this many recorded commits one `git log` of main beats one `merge-base` per commit.
BULK_THRESHOLD = 64
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _cache() -> dict:
    return current_app.extensions.setdefault("qms_audit_integrity", {})


# -- the hash chain ------------------------------------------------------------------------------
@dataclass
class ChainStatus:
    report: ChainReport
    checked_at: datetime
    cached: bool = False


def _verify_appended(after_id: int, expected_prev: str, count: int) -> tuple[ChainReport, int]:
    """verify_chain()'s walk over the events appended after a verified `after_id` only."""
    stmt = (select(*AuditEvent.__table__.columns).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
            .execution_options(yield_per=2000))
    last = after_id
    key = current_key()
    for ev in db.session.execute(stmt):
        count += 1
        reason = check_event(ev, key, expected_prev)
        if reason:
            return ChainReport(False, count, ev.id, reason, expected_prev), ev.id
        expected_prev, last = ev.hash, ev.id
    return ChainReport(True, count, None, "", expected_prev), last


def chain_status(force: bool = False) -> ChainStatus:
    """_chain_status(), then the anchor kept outside the database (one query): a deleted tail or a
    recomputed chain shows on the page as it fails `qms audit-verify`."""
    status = _chain_status(force)
    if status.report.ok:
        problem = anchor_problem()
        if problem is not None:
            reason, event_id = problem
            status = ChainStatus(ChainReport(False, status.report.count, event_id, reason, status.report.last_hash),
                                 status.checked_at, status.cached)
    return status


def anchor_problem() -> tuple[str, int] | None:
    """('truncated' | 'recomputed', anchored event id) if the log no longer holds the anchored event as it was."""
    from app.audit import keys
    from app.audit.services import data_dir

    anchor = keys.read_anchor(data_dir())
    if anchor is None or anchor.event_id <= 0:
        return None
    at = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == anchor.event_id))
    if at is None:
        return "truncated", anchor.event_id
    if at != anchor.hash:
        return "recomputed", anchor.event_id
    return None


def _chain_status(force: bool = False) -> ChainStatus:
    """verify_chain(), the same check as `qms audit-verify`, kept cheap for pages on a big log.

    A small log is verified whole on every page. When that takes long (a big log), the verdict is
    kept: events appended since are verified on top of it, and the whole chain is verified again
    after QMS_AUDIT_VERIFY_TTL seconds, on `force` (the page's "check again"), or when the tail
    changed in any other way than by appending (a deleted or edited last event).
    """
    tail = db.session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    tail = (tail[0], tail[1]) if tail else (0, "")
    cache = _cache()
    ttl = current_app.config.get("QMS_AUDIT_VERIFY_TTL", 300)
    hit = cache.get("chain")
    if not force and hit and _time.monotonic() - hit["full_at"] < ttl:
        if hit["tail"] == tail:
            return ChainStatus(hit["report"], hit["checked_at"], cached=True)
        through = hit["through"]
        if hit["report"].ok and through is not None and tail[0] > through[0] and _still(through):
            report, last_id = _verify_appended(through[0], through[1], hit["report"].count)
            now = utcnow()
            hit.update(tail=tail, report=report, checked_at=now,
                       through=(last_id, report.last_hash) if report.ok else None)
            return ChainStatus(report, now)
    started = _time.monotonic()
    report = verify_chain()
    now = utcnow()
    if _time.monotonic() - started >= SLOW_VERIFY_SECONDS:
        # the walk may have gone past the tail read above: remember exactly where it stopped
        through = None
        if report.ok and report.count:
            stop = db.session.scalar(select(AuditEvent.id).where(AuditEvent.hash == report.last_hash))
            through = (stop, report.last_hash) if stop is not None else None
        cache["chain"] = {"tail": tail, "through": through, "report": report, "checked_at": now, "full_at": started}
    else:
        cache.pop("chain", None)
    return ChainStatus(report, now)


def _still(through: tuple[int, str]) -> bool:
    """The last verified event is still there, unchanged."""
    return db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == through[0])) == through[1]


# -- the store's history -------------------------------------------------------------------------
@dataclass
class RewrittenCommit:
    """A commit the database recorded that the store's main branch no longer holds."""

    sha: str
    code: str
    recorded_at: datetime | None
    message: str
    reason: str                       # MISSING: no such commit object; NOT_ON_MAIN: not an ancestor of main
    event_ids: tuple[int, ...] = ()   # audit events that name it

    @property
    def summary(self) -> str:
        return (self.message or "").split("\n", 1)[0]


@dataclass
class StoreReport:
    checked: int = 0
    problems: list[RewrittenCommit] = field(default_factory=list)
    error: str = ""
    checked_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not self.error

    def by_sha(self) -> dict[str, RewrittenCommit]:
        return {p.sha: p for p in self.problems}

    def for_code(self, code: str) -> list[RewrittenCommit]:
        return [p for p in self.problems if p.code == code]


@dataclass
class _Recorded:
    code: str
    recorded_at: datetime | None
    message: str
    event_ids: list[int] = field(default_factory=list)


def _mirror_commits() -> dict[str, _Recorded]:
    from app.procedures.models import Procedure, ProcedureRevision

    rows = db.session.execute(select(ProcedureRevision.sha, Procedure.code, ProcedureRevision.authored_at,
                                     ProcedureRevision.message).join(Procedure)
                              .order_by(ProcedureRevision.id))
    return {sha: _Recorded(code, as_utc(at) if at else None, msg or "") for sha, code, at, msg in rows}


def _event_commits(after_id: int = 0) -> tuple[dict[str, _Recorded], int]:
    """Commit ids named by procedure events after `after_id` (canonical JSON: '"revision":"<sha>"')."""
    found: dict[str, _Recorded] = {}
    # no condition on object_type in SQL: the primary-key range is the index to use for a few new events
    stmt = (select(AuditEvent.id, AuditEvent.object_type, AuditEvent.object_id, AuditEvent.occurred_at,
                   AuditEvent.summary, AuditEvent.payload)
            .where(AuditEvent.id > after_id, AuditEvent.payload.like('%"revision":"%'))
            .order_by(AuditEvent.id).execution_options(yield_per=2000))
    last = db.session.scalar(select(func.max(AuditEvent.id))) or after_id
    for ev_id, object_type, code, at, summary, payload in db.session.execute(stmt):
        if object_type != "procedure":
            continue
        try:
            sha = json.loads(payload).get("revision")
        except (ValueError, AttributeError):
            continue
        if isinstance(sha, str) and sha:
            rec = found.setdefault(sha, _Recorded(code, as_utc(at), summary or ""))
            rec.event_ids.append(ev_id)
    return found, last


def _merge(into: dict[str, _Recorded], more: dict[str, _Recorded]) -> None:
    for sha, rec in more.items():
        have = into.get(sha)
        if have is None:
            into[sha] = _Recorded(rec.code, rec.recorded_at, rec.message, list(rec.event_ids))
        else:
            have.event_ids.extend(i for i in rec.event_ids if i not in have.event_ids)


def recorded_commits(event_cache: dict | None = None) -> dict[str, _Recorded]:
    """Every commit the database recorded: the mirror's, then those named by events."""
    recorded = _mirror_commits()
    if event_cache is None:
        events, _last = _event_commits()
    else:
        more, last = _event_commits(event_cache.get("last", 0))
        events = event_cache.setdefault("found", {})
        _merge(events, more)
        event_cache["last"] = last
    for sha, rec in events.items():
        if sha in recorded:
            recorded[sha].event_ids = list(rec.event_ids)
        else:
            recorded[sha] = _Recorded(rec.code, rec.recorded_at, rec.message, list(rec.event_ids))
    return recorded


def on_main(st) -> set[str]:
    """Every commit id on the store's main branch (one `git log`)."""
    return {c.sha for c in st.all_commits()}


def _verdicts(st, shas: list[str], reachable: set[str] | None) -> dict[str, str]:
    """sha -> MISSING / NOT_ON_MAIN for the recorded commits main does not hold."""
    if reachable is None and len(shas) > BULK_THRESHOLD:
        reachable = on_main(st)
    suspects = shas if reachable is None else [s for s in shas if s not in reachable]
    out = {}
    for sha in suspects:  # the store's own answer for each suspect, and why
        if not st.commit_exists(sha):
            out[sha] = MISSING
        elif not st.is_ancestor(sha):
            out[sha] = NOT_ON_MAIN
    return out


def check_store_history(st=None, event_cache: dict | None = None, reachable: set[str] | None = None) -> StoreReport:
    """Name every recorded commit that was removed from, or rewritten out of, the store's main branch."""
    recorded = recorded_commits(event_cache)
    report = StoreReport(checked=len(recorded), checked_at=utcnow())
    if not recorded:
        return report
    try:
        if st is None:
            from app.procedures import core

            st = core.store()
        verdicts = _verdicts(st, list(recorded), reachable)
    except Exception as exc:  # noqa: BLE001  (an unreadable store is itself a finding)
        report.error = f"{type(exc).__name__}: {exc}"
        return report
    for sha, reason in verdicts.items():
        rec = recorded[sha]
        report.problems.append(RewrittenCommit(sha, rec.code, rec.recorded_at, rec.message, reason,
                                               tuple(sorted(rec.event_ids))))
    report.problems.sort(key=lambda p: (p.recorded_at or _EPOCH, p.sha))
    return report


def _store_tip(st) -> str | None:
    try:
        import git

        from app.store.heads import read_tip
        from app.store.repo import BRANCH

        return read_tip(st.root / ".git", BRANCH, git.Git(str(st.root)))
    except Exception:  # noqa: BLE001
        return None


def store_status() -> StoreReport:
    """check_store_history() for pages: redone whenever main's tip or the recorded commits change."""
    from app.procedures import core
    from app.procedures.models import ProcedureRevision

    cache = _cache()
    st = core.store()
    tip = _store_tip(st)
    mirror = tuple(db.session.execute(select(func.count(ProcedureRevision.id), func.max(ProcedureRevision.id))).one())
    last_event = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    key = (tip, mirror, last_event)
    hit = cache.get("store")
    if tip is not None and hit and hit[0] == key:
        return hit[1]
    reachable = None
    if tip is not None:
        known = cache.get("store_main")
        if not known or known[0] != tip:
            try:
                known = (tip, on_main(st))
            except Exception:  # noqa: BLE001  (check_store_history reports an unreadable store)
                known = (tip, None)
            cache["store_main"] = known
        reachable = known[1]
    report = check_store_history(st, event_cache=cache.setdefault("store_events", {}), reachable=reachable)
    if tip is not None:
        cache["store"] = (key, report)
    return report
