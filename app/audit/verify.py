"""`qms audit-verify` in full: the chain, its key and anchor, and the store and the log vouching for each other.

Each problem found is a Finding with a kind a script can test and a sentence a person can read:
  edited, forged, link           an event changed, rehashed without the key, or deleted/inserted/reordered
  truncated, recomputed          the anchor kept outside the database names an event that is gone or different
  key_missing, anchor_missing    the files outside the database that make the above possible are gone
  empty_log                      no events at all beside a store holding procedures (a store restored alone)
  unrecorded_commit              a store commit no event names (made outside the application, or not recovered)
  unrecorded_tag, moved_tag, deleted_tag    issue/withdrawal tags the log does not account for exactly
  missing_revision               an event or the mirror names a commit the store's main branch lacks
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.audit import keys
from app.audit.integrity import MISSING, check_store_history, save_store_state, store_key, verify_full
from app.audit.models import AuditEvent
from app.audit.services import ChainReport, current_key, data_dir
from app.extensions import db

_TAG = re.compile(r"^(?P<code>[^/]+)/(?:issue-[0-9]+|withdrawn-[0-9]{8}(?:-[0-9]+)?)$")
CHAIN_KINDS = {"content": "edited", "forged": "forged", "link": "link"}


@dataclass
class Finding:
    kind: str
    message: str


@dataclass
class Verification:
    chain: ChainReport
    events: int = 0
    commits: int = 0
    tags: int = 0
    findings: list[Finding] = field(default_factory=list)
    history: object = None  # integrity.StoreReport

    @property
    def ok(self) -> bool:
        return not self.findings

    def kinds(self) -> set[str]:
        return {f.kind for f in self.findings}

    def add(self, kind: str, message: str) -> None:
        self.findings.append(Finding(kind, message))


# -- what the log says about the store ---------------------------------------------------------------
@dataclass
class LoggedStore:
    revisions: dict[str, int] = field(default_factory=dict)        # commit -> first event naming it
    tags: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # tag -> (event, object or "", commit)
    legacy_withdrawals: list[tuple[int, str, str]] = field(default_factory=list)  # (event, code, yyyymmdd)
    legacy_imports: set[str] = field(default_factory=set)  # issue tags an old import event may have made


def logged_store() -> LoggedStore:
    """Every commit and tag the procedure events name (events without a tag name: the pre-0006 format)."""
    out = LoggedStore()
    stmt = (select(AuditEvent.id, AuditEvent.action, AuditEvent.object_id, AuditEvent.payload)
            .where(AuditEvent.object_type == "procedure").order_by(AuditEvent.id).execution_options(yield_per=2000))
    for ev_id, action, code, payload in db.session.execute(stmt):
        try:
            data = json.loads(payload or "{}")
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        sha = data.get("revision")
        if isinstance(sha, str) and sha:
            out.revisions.setdefault(sha, ev_id)
        tag = data.get("tag")
        if isinstance(tag, str) and tag:
            out.tags[tag] = (ev_id, str(data.get("tag_object") or ""), str(sha or ""))
        elif action == "procedure.issue" and data.get("issue"):
            out.tags[f"{code}/issue-{data['issue']}"] = (ev_id, "", str(sha or ""))
        elif action == "procedure.import" and data.get("issue"):
            out.legacy_imports.add(f"{code}/issue-{data['issue']}")
        elif action == "procedure.withdraw" and data.get("withdrawn_on"):
            out.legacy_withdrawals.append((ev_id, code, str(data["withdrawn_on"]).replace("-", "")))
    return out


def store_commits(st) -> list:
    """Commits on main that changed a procedure file (the store's empty first commit changes none)."""
    return [c for c in st.all_commits(oldest_first=True) if c.codes]


def unrecorded_commits(st, logged: LoggedStore | None = None) -> list:
    logged = logged or logged_store()
    return [c for c in store_commits(st) if c.sha not in logged.revisions]


def unrecorded_tags(st, logged: LoggedStore | None = None) -> list:
    """Issue/withdrawal tags in the store that no event names (and that no legacy event can account for)."""
    logged = logged or logged_store()
    legacy = {(code, day) for _e, code, day in logged.legacy_withdrawals}
    out = []
    for raw in st.all_tags():
        m = _TAG.match(raw.name)
        if not m or raw.name in logged.tags or raw.name in logged.legacy_imports:
            continue
        if "/withdrawn-" in raw.name and (m.group("code"), raw.name.split("withdrawn-")[1][:8]) in legacy:
            continue
        out.append(raw)
    return out


# -- the checks --------------------------------------------------------------------------------------
def _check_chain(v: Verification) -> None:
    r = v.chain
    if r.ok:
        return
    kind = CHAIN_KINDS.get(r.reason, "edited")
    text = {
        "edited": "its content was changed after it was written (the hash does not match)",
        "forged": "its hash was recomputed without the audit key (an edited or forged event)",
        "link": "its link to the previous event is broken (an event was deleted, inserted or reordered before it)",
    }[kind]
    v.add(kind, f"audit event #{r.first_broken_id}: {text}")


def _check_anchor(v: Verification, key) -> None:
    where = data_dir()
    anchor = keys.read_anchor(where)
    tail = db.session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    if key is None and anchor is not None:
        v.add("key_missing", f"the audit key file {keys.KEY_FILE} is missing from the data directory: "
                             "keyed hashes cannot be checked")
    if anchor is None:
        if key is not None and tail is not None and tail[0] > key.keyed_after:
            v.add("anchor_missing", f"the chain's anchor {keys.ANCHOR_FILE} is missing from the data directory")
        return
    if anchor.event_id < 0:
        v.add("anchor_missing", f"the chain's anchor {keys.ANCHOR_FILE} is unreadable")
        return
    if anchor.event_id == 0:
        return
    at = db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == anchor.event_id))
    if at is None:
        last = f"#{tail[0]}" if tail else "nothing (the log is empty)"
        v.add("truncated", f"truncated tail: the anchored event #{anchor.event_id} is gone; the log now ends at {last}")
    elif at != anchor.hash:
        v.add("recomputed", f"recomputed chain: event #{anchor.event_id} has hash {at[:16]}…, the anchor recorded "
                            f"{anchor.hash[:16]}… (the log was rewritten and rehashed)")


def _check_store(v: Verification, st) -> None:
    logged = logged_store()
    commits = store_commits(st)
    v.commits = len(commits)
    if v.events == 0 and commits:
        v.add("empty_log", f"the audit log is empty but the store holds {len(commits)} commit(s) of "
                           f"{len({c for x in commits for c in x.codes})} procedure(s) (a store without its database?)")
    for c in commits:
        if c.sha not in logged.revisions:
            v.add("unrecorded_commit", f"unrecorded commit {c.sha} ({', '.join(c.codes)}, "
                                       f"{c.author_name}, {c.authored_at:%Y-%m-%d %H:%M}): no audit event names it")
    tags = {raw.name: raw for raw in st.all_tags() if _TAG.match(raw.name)}
    v.tags = len(tags)
    for raw in unrecorded_tags(st, logged):
        v.add("unrecorded_tag", f"tag {raw.name} (on {raw.commit[:10]}) has no audit event: made outside the application")
    for name, (ev_id, obj, sha) in sorted(logged.tags.items()):
        raw = tags.get(name)
        if raw is None:
            v.add("deleted_tag", f"tag {name}, recorded by audit event #{ev_id}, is missing from the store (deleted)")
        elif (obj and raw.obj != obj) or (sha and raw.commit != sha):
            v.add("moved_tag", f"tag {name} was moved or re-made: audit event #{ev_id} recorded "
                               f"{(obj or sha)[:10]}, the store now has {(raw.obj if obj else raw.commit)[:10]}")
    state = store_key(st)
    v.history = check_store_history(st)
    save_store_state(v.history, state)   # pages check only what is recorded after this
    if v.history.error:
        v.add("missing_revision", f"the store could not be read: {v.history.error}")
    for p in v.history.problems:
        why = "no longer exists" if p.reason == MISSING else "is not on the main branch any more (history rewritten)"
        named = f" (audit event {', '.join(f'#{i}' for i in p.event_ids[:5])})" if p.event_ids else ""
        v.add("missing_revision", f"commit {p.sha} of {p.code}{named} {why}")


def verify_all(st) -> Verification:
    """Everything `qms audit-verify` checks; the report names each finding.

    The chain is walked whole, from its first event (never from the checkpoint), and the result becomes
    the checkpoint the pages start from.
    """
    key = current_key()
    v = Verification(verify_full().report)
    v.events = db.session.scalar(select(func.count(AuditEvent.id))) or 0
    _check_chain(v)
    _check_anchor(v, key)
    _check_store(v, st)
    return v
