"""`qms fsck`'s second half: every store commit or tag that no audit event names gets a "recovered" event.

A save commits to the store, then the database commits its mirror and audit event. If the process dies
or the database refuses in between, the commit is in the store with no record. Nothing is lost (the text
is in git), and fsck makes it recorded: one `procedure.recovered` event per commit or tag, naming it, so
the committee sees what was found and `qms audit-verify` then agrees with the store again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.audit.services import record
from app.audit.verify import logged_store, unrecorded_commits, unrecorded_tags
from app.extensions import db
from app.procedures.models import Procedure
from app.store import ProcedureStore


@dataclass
class Recovered:
    commits: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.commits or self.tags)


def _unit_of(code: str) -> str | None:
    proc = db.session.scalar(select(Procedure).where(Procedure.code == code))
    return proc.unit_code if proc else None


def record_unrecorded(st: ProcedureStore) -> Recovered:
    """Write a recovered event for each unrecorded commit (per procedure it changed) and tag; flushes only."""
    out = Recovered()
    logged = logged_store()
    for c in unrecorded_commits(st, logged):
        for code in c.codes:
            record(None, "procedure.recovered", "procedure", code,
                   f"Ghi nhận lại commit {c.sha[:10]} của {code} (có trong kho nhưng chưa có nhật ký)",
                   {"revision": c.sha, "author": c.author_name, "author_email": c.author_email,
                    "authored_at": c.authored_at.isoformat(), "message": c.message[:1000], "found_by": "fsck"},
                   unit_code=_unit_of(code))
        out.commits.append(c.sha)
    for raw in unrecorded_tags(st, logged):
        code = raw.name.split("/", 1)[0]
        record(None, "procedure.recovered", "procedure", code,
               f"Ghi nhận lại thẻ {raw.name} (có trong kho nhưng chưa có nhật ký)",
               {"tag": raw.name, "tag_object": raw.obj, "revision": raw.commit, "tagger": raw.tagger_name,
                "found_by": "fsck"}, unit_code=_unit_of(code))
        out.tags.append(raw.name)
    return out
