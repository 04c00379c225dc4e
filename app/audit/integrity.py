"""Integrity shown, not assumed: the hash chain's verdict (cached for big logs) and the store-history check.

Every commit the database ever recorded (a ProcedureRevision row of the mirror, or the `revision` of a
procedure event in the hash-chained log, which `qms fsck` cannot prune) must still exist in the store
and be an ancestor of its main branch. A commit amended, reset away or otherwise rewritten is named.
"""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from flask import after_this_request, current_app, has_request_context
from sqlalchemy import func, select

from app.audit import checkpoint
from app.audit.models import AuditEvent
from app.audit.services import ChainReport, current_key, data_dir, verify_after, verify_chain
from app.extensions import db
from app.timeutil import as_utc, utcnow

MISSING, NOT_ON_MAIN = "missing", "not_on_main"
# Past this many recorded commits one `git log` of main beats one `merge-base` per commit.
BULK_THRESHOLD = 64
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _cache() -> dict:
    return current_app.extensions.setdefault("qms_audit_integrity", {})


# -- the hash chain ------------------------------------------------------------------------------
CHECKPOINT_INVALID, CHECKPOINT_CHANGED = "checkpoint_invalid", "checkpoint_changed"
VERIFY_LOCK_FILE = ".audit-verify.lock"


@dataclass
class ChainStatus:
    """The chain's verdict for a page, and how fresh it is.

    The whole chain was walked from its first event at `full_at` (`full_count` events); `newer` events
    appended since were verified on top of that walk at `checked_at`. Older events rest on that walk until
    the next one: on "check again", on `qms audit-verify`, and in the background once it is older than
    QMS_AUDIT_VERIFY_TTL seconds.
    """

    report: ChainReport
    checked_at: datetime
    cached: bool = False
    full_at: datetime | None = None
    full_count: int = 0
    newer: int = 0
    note: str = ""                # CHECKPOINT_INVALID / CHECKPOINT_CHANGED: why the whole chain was walked now
    rechecking: bool = False      # a full re-verification runs in the background now
    walked_now: bool = False      # this check walked the whole chain (else older events rest on `full_at`)


def _iso(when: datetime) -> str:
    return as_utc(when).isoformat(timespec="microseconds")


def _tail() -> tuple[int, str]:
    tail = db.session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    return (tail[0], tail[1]) if tail else (0, "")


def _checkpoint_of(report: ChainReport, at: datetime) -> checkpoint.Checkpoint:
    """What a full walk that started at `at` leaves for the next process."""
    when = _iso(at)
    if report.ok:
        return checkpoint.Checkpoint(report.last_id, report.last_hash, report.count, when, report.last_id,
                                     report.count, when)
    good = report.count - 1
    return checkpoint.Checkpoint(report.last_id, report.last_hash, good, when, report.last_id, good, when,
                                 broken={"id": report.first_broken_id, "reason": report.reason,
                                         "count": report.count, "found_at": when})


def _status_of(cp: checkpoint.Checkpoint, **kw) -> ChainStatus:
    if cp.broken:
        b = cp.broken
        report = ChainReport(False, int(b["count"]), int(b["id"]), str(b["reason"]), cp.hash, cp.event_id)
        return ChainStatus(report, as_utc(datetime.fromisoformat(b["found_at"])), full_at=cp.full_time,
                           full_count=cp.full_count, **kw)
    report = ChainReport(True, cp.count, None, "", cp.hash, cp.event_id)
    return ChainStatus(report, cp.checked_time, full_at=cp.full_time, full_count=cp.full_count,
                       newer=cp.count - cp.full_count, **kw)


def verify_full(note: str = "") -> ChainStatus:
    """verify_chain() from the first event, now; its result becomes the checkpoint later processes start from.

    What `qms audit-verify`, the page's "check again" and the background re-verification run.
    """
    key = current_key()
    started = utcnow()
    report = verify_chain()
    status = ChainStatus(report, started, full_at=started, full_count=report.count if report.ok else 0, note=note,
                         walked_now=True)
    if key is not None:
        checkpoint.update(data_dir(), key, _replace_chain(_checkpoint_of(report, started)))
    _cache().pop("chain", None)
    return status


def _replace_chain(new: checkpoint.Checkpoint):
    """Write the chain's part of the checkpoint, keeping the store check's state another process saved."""
    def change(current: checkpoint.Read):
        if current.state != checkpoint.VALID:
            return new.with_(store=None)
        found = current.checkpoint.broken
        if found and not new.broken and str(found.get("found_at", "")) > new.full_at:
            return None  # a break found after this walk began: it stands until a walk that began later
        return new.with_(store=current.checkpoint.store)
    return change


def _may_advance(base: checkpoint.Checkpoint, new: checkpoint.Checkpoint):
    """Write events verified on top of `base` unless another process wrote something newer meanwhile."""
    def change(current: checkpoint.Read):
        if current.state == checkpoint.MISSING:
            return new.with_(store=None)
        cp = current.checkpoint
        if current.state != checkpoint.VALID or cp.broken or cp.full_at != base.full_at or cp.event_id >= new.event_id:
            return None
        return new.with_(store=cp.store)
    return change


def chain_status(force: bool = False, recheck: bool = True) -> ChainStatus:
    """_chain_status(), then the anchor kept outside the database (one query): a deleted tail or a
    recomputed chain shows on the page as it fails `qms audit-verify`. `recheck=False`: a full walk that is
    due is left for the next page to start (a worker warming up)."""
    status = _chain_status(force, recheck)
    if status.report.ok:
        problem = anchor_problem()
        if problem is not None:
            reason, event_id = problem
            status = replace(status, report=ChainReport(False, status.report.count, event_id, reason,
                                                        status.report.last_hash, status.report.last_id))
    return status


def anchor_problem() -> tuple[str, int] | None:
    """('truncated' | 'recomputed', anchored event id) if the log no longer holds the anchored event as it was."""
    from app.audit import keys

    anchor = keys.read_anchor(data_dir())
    if anchor is None or anchor.event_id <= 0:
        return None
    at = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == anchor.event_id))
    if at is None:
        return "truncated", anchor.event_id
    if at != anchor.hash:
        return "recomputed", anchor.event_id
    return None


def _chain_status(force: bool = False, recheck: bool = True) -> ChainStatus:
    """verify_chain(), the same check as `qms audit-verify`, kept cheap for pages on a big log.

    A process starts from the verified checkpoint in the data directory (its MAC checked with the audit
    key): the checkpoint's event must still carry its hash, and only the events after it are verified (and
    the checkpoint moved forward). The whole chain is walked again on `force` (the page's "check again"),
    when there is no checkpoint or it does not verify (edited without the key, or its event changed), and
    in a background process once the last full walk is older than QMS_AUDIT_VERIFY_TTL seconds (the page
    does not wait for it). On `force` a log longer than QMS_AUDIT_PAGE_WALK_EVENTS is walked in that process too. Within a process, an unchanged tail and checkpoint file give the same verdict.
    """
    key = current_key()
    if key is None:
        return verify_full()
    if force:
        if not _walks_in_background(_tail()[0]):
            return verify_full()
        # a long log takes seconds to walk: the page shows the checkpoint's verdict and the walk starts now,
        # in the background process, as a due walk does; the next page shows what it found
        return _start_walk(_chain_status(recheck=False), requested=utcnow())
    where = data_dir()
    cache = _cache()
    tail = _tail()
    hit = cache.get("chain")
    if hit and hit["sig"] == checkpoint.signature(where) and hit["tail"] == tail and hit["key"] == key:
        status = replace(hit["status"], cached=True)
        return _recheck_if_due(status, hit["cp"]) if recheck else status
    got = checkpoint.read(where, key)
    if got.state == checkpoint.MISSING:
        return verify_full()
    if got.state == checkpoint.INVALID:
        return verify_full(CHECKPOINT_INVALID)
    cp = got.checkpoint
    if not cp.broken:
        if cp.event_id and db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == cp.event_id)) != cp.hash:
            return verify_full(CHECKPOINT_CHANGED)
        report = verify_after(cp.event_id, cp.hash, cp.count, key)
        now = _iso(utcnow())
        if not report.ok:
            new = cp.with_(event_id=report.last_id, hash=report.last_hash, count=report.count - 1, checked_at=now,
                           broken={"id": report.first_broken_id, "reason": report.reason, "count": report.count,
                                   "found_at": now})
            checkpoint.update(where, key, _replace_chain(new))
            cp = new
        elif report.last_id != cp.event_id:
            new = cp.with_(event_id=report.last_id, hash=report.last_hash, count=report.count, checked_at=now)
            checkpoint.update(where, key, _may_advance(cp, new))
            cp = new
    status = _status_of(cp)
    cache["chain"] = {"sig": checkpoint.signature(where), "tail": tail, "status": status, "cp": cp, "key": key}
    return _recheck_if_due(status, cp) if recheck else status


# -- the full re-verification in the background ---------------------------------------------------
# A separate process (python -m app.audit.background), not a thread and not a bounded share per page:
# a full walk of 200,000 events takes seconds of CPU; in a thread it would hold this worker's GIL and
# slow every request the worker serves meanwhile, and in slices small enough for a 150 ms page it would
# take hundreds of page views to finish. The process has its own interpreter, database connection and
# core; one runs per data directory at a time (a non-blocking flock), the workers keep serving the
# checkpoint's verdict meanwhile, and what it finds is written into the checkpoint, so every process
# shows it from its next page on.
_background: dict[str, subprocess.Popen] = {}
_background_lock = threading.Lock()
# what the verifying process needs of this application's configuration (the rest comes from the same
# environment); passed on its standard input, never on its command line
_PASSED_CONFIG = ("QMS_DATA_DIR", "QMS_STORE_DIR", "SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS",
                  "QMS_AUDIT_VERIFY_TTL", "QMS_TIMEZONE")


# the walk a page makes itself on "check again": up to this many events (about 0.15 s on a slow core)
PAGE_WALK_EVENTS = 4000
_REQUESTED = "QMS_AUDIT_WALK_REQUESTED_AT"


def _due(cp: checkpoint.Checkpoint) -> bool:
    ttl = current_app.config.get("QMS_AUDIT_VERIFY_TTL", 300)
    return (utcnow() - cp.full_time).total_seconds() >= ttl


def _background_enabled() -> bool:
    return bool(current_app.config.get("QMS_AUDIT_BACKGROUND_VERIFY", True))


def _walks_in_background(events: int) -> bool:
    """Whether "check again" on a log of `events` events walks it in the background process."""
    return _background_enabled() and events > int(current_app.config.get("QMS_AUDIT_PAGE_WALK_EVENTS",
                                                                          PAGE_WALK_EVENTS))


def _recheck_if_due(status: ChainStatus, cp: checkpoint.Checkpoint) -> ChainStatus:
    if not _due(cp) or not _background_enabled():
        return status
    return _start_walk(status)


def _start_walk(status: ChainStatus, requested: datetime | None = None) -> ChainStatus:
    """Start the full walk in the background process (one per data directory at a time) once the page is
    sent; `requested`: someone asked for it at that time, so it walks even if the last walk is not due."""
    where, logger = data_dir(), current_app.logger
    config = dict(current_app.config)
    if requested is not None:
        config[_REQUESTED] = _iso(requested)

    def start() -> None:
        with _background_lock:
            running = _background.get(where)
            if running is None or running.poll() is not None:
                try:
                    _background[where] = _spawn(config)
                except OSError:
                    logger.warning("could not start the background verification", exc_info=True)

    if has_request_context():
        # once the page is sent: the user who opened it does not share the CPU with the walk
        @after_this_request
        def _after(response):
            response.call_on_close(start)
            return response
    else:
        start()
    return replace(status, rechecking=True)


def _spawn(config) -> subprocess.Popen:
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    passed = {k: config[k] for k in (*_PASSED_CONFIG, _REQUESTED) if k in config}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p))
    proc = subprocess.Popen([sys.executable, "-m", "app.audit.background"], cwd=root, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        proc.stdin.write(json.dumps(passed, default=str).encode("utf-8"))
    finally:
        proc.stdin.close()
    return proc


def verify_if_due() -> bool:
    """The background process's work: under the data directory's verification lock, walk the whole chain
    unless another process did it meanwhile (a walk asked for at QMS_AUDIT_WALK_REQUESTED_AT: unless one
    began after that). False when another process holds the lock."""
    where = data_dir()
    fd = os.open(os.path.join(where, VERIFY_LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        key = current_key()
        got = checkpoint.read(where, key) if key is not None else None
        requested = current_app.config.get(_REQUESTED)
        if got is None or got.state != checkpoint.VALID or _due(got.checkpoint) or (
                requested and got.checkpoint.full_at < str(requested)):
            verify_full()
        return True
    finally:
        os.close(fd)


def wait_background(timeout: float | None = None) -> None:
    """Wait for the verifications this process started (tests, benchmarks, an orderly shutdown)."""
    with _background_lock:
        procs = list(_background.values())
    for proc in procs:
        proc.wait(timeout)


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


def _mirror_commits(after_id: int = 0) -> dict[str, _Recorded]:
    from app.procedures.models import Procedure, ProcedureRevision

    rows = db.session.execute(select(ProcedureRevision.sha, Procedure.code, ProcedureRevision.authored_at,
                                     ProcedureRevision.message).join(Procedure)
                              .where(ProcedureRevision.id > after_id).order_by(ProcedureRevision.id))
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


def store_key(st) -> tuple:
    from app.procedures.models import ProcedureRevision

    # the database first, then the tip: every commit recorded by then was made before the tip was read
    mirror = tuple(db.session.execute(select(func.count(ProcedureRevision.id), func.max(ProcedureRevision.id))).one())
    last_event = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    tip = _store_tip(st)
    return (tip, (mirror[0], mirror[1] or 0), last_event)


def _saved_store() -> dict | None:
    """The store check's state kept in the verified checkpoint (its MAC checked), if any."""
    key = current_key()
    if key is None:
        return None
    got = checkpoint.read(data_dir(), key)
    if got.state != checkpoint.VALID or not isinstance(got.checkpoint.store, dict):
        return None
    state = got.checkpoint.store
    try:
        return {"tip": str(state["tip"]), "mirror_max": int(state["mirror_max"]), "last_event": int(state["last_event"]),
                "checked": int(state["checked"]), "checked_at": as_utc(datetime.fromisoformat(state["checked_at"]))}
    except (KeyError, TypeError, ValueError):
        return None


def save_store_state(report: StoreReport, key: tuple) -> None:
    """Remember in the checkpoint that every commit recorded up to `key` was found on main at its tip."""
    audit_key = current_key()
    tip, (_count, mirror_max), last_event = key
    if audit_key is None or tip is None or not report.ok:
        return
    state = {"tip": tip, "mirror_max": mirror_max, "last_event": last_event, "checked": report.checked,
             "checked_at": _iso(report.checked_at or utcnow())}

    def change(current: checkpoint.Read):
        if current.state != checkpoint.VALID or current.checkpoint.store == state:
            return None
        return current.checkpoint.with_(store=state)

    checkpoint.update(data_dir(), audit_key, change)


def _incremental_store(st, saved: dict, key: tuple) -> StoreReport | None:
    """The commits recorded since the saved state, checked on top of it; None when a full check is needed.

    Every commit recorded up to the saved state was on main at the saved tip. While the saved tip is still an
    ancestor of main's tip they all still are (git commits are immutable), so only the commits recorded since
    (mirror rows and audit events after the saved ones) need checking. A rewritten main (the saved tip no
    longer its ancestor, or gone) means the whole check again, which names what was lost.
    """
    from app.procedures.models import ProcedureRevision

    tip, (_count, mirror_max), last_event = key
    if tip is None or mirror_max < saved["mirror_max"] or last_event < saved["last_event"]:
        return None
    try:
        if saved["tip"] != tip and not st.is_ancestor(saved["tip"]):
            return None
        recorded = _mirror_commits(saved["mirror_max"])
        _merge(recorded, _event_commits(saved["last_event"])[0])
        verdicts = _verdicts(st, list(recorded), None) if recorded else {}
    except Exception:  # noqa: BLE001  (the full check reports an unreadable store)
        return None
    if verdicts:
        return None
    known = set(db.session.scalars(select(ProcedureRevision.sha).where(
        ProcedureRevision.sha.in_(list(recorded)), ProcedureRevision.id <= saved["mirror_max"]))) if recorded else set()
    return StoreReport(checked=saved["checked"] + len(set(recorded) - known), checked_at=utcnow())


def store_status() -> StoreReport:
    """check_store_history() for pages: redone whenever main's tip or the recorded commits change.

    A new process starts from the state kept in the verified checkpoint (see _incremental_store) instead of
    reading every recorded commit and main's whole log again.
    """
    from app.procedures import core

    cache = _cache()
    st = core.store()
    key = store_key(st)
    tip = key[0]
    hit = cache.get("store")
    if tip is not None and hit and hit[0] == key:
        return hit[1]
    if not (hit and hit[1].ok is False):   # a process that saw problems keeps checking in full
        saved = _saved_store()
        if saved is not None:
            if (saved["tip"], saved["mirror_max"], saved["last_event"]) == (tip, key[1][1], key[2]):
                report = StoreReport(checked=saved["checked"], checked_at=saved["checked_at"])
            else:
                report = _incremental_store(st, saved, key)
            if report is not None:
                save_store_state(report, key)
                cache["store"] = (key, report)
                return report
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
        save_store_state(report, key)
    return report
