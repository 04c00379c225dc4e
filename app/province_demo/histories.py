"""Phase 2a: each procedure's life as the workflow would have made it, in memory.

Created by a member of its unit, saved once or twice, submitted by the head, issued by the leader (a commit
that writes the issue into the header, then the annotated tag); some are revised in later years, a few are
withdrawn, some have a draft under way, a few were never issued. Nothing here touches git or the database.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.province_demo import texts
from app.province_demo.people import Cast, Person
from app.store import ProcedureDocument
from app.timeutil import LOCAL_TZ

SAVE, CREATE, ISSUE = "save", "create", "issue"


@dataclass
class Commit:
    code: str
    kind: str
    when: datetime                 # aware, Hanoi time
    author: Person
    message: str
    doc: ProcedureDocument
    base: str = ""                 # filled after the import: the previous commit of the file
    sha: str = ""
    blob: str = ""
    # an issue
    number: int = 0
    issue_text: str = ""
    tag: str = ""
    tag_object: str = ""


@dataclass
class Step:
    """A workflow event without a commit (a submission)."""
    when: datetime
    actor: Person
    after: int                     # index of the commit it refers to (the current revision then)


@dataclass
class Withdrawal:
    when: datetime
    on: date
    by: Person
    reason: str
    tag: str = ""
    tag_object: str = ""


@dataclass
class History:
    code: str
    title: str
    unit: str
    commits: list[Commit] = field(default_factory=list)
    submits: list[Step] = field(default_factory=list)
    withdrawal: Withdrawal | None = None
    submitted: Step | None = None  # the draft under way waits for approval

    @property
    def issues(self) -> list[Commit]:
        return [c for c in self.commits if c.kind == ISSUE]

    def issue_on(self, day: date) -> Commit | None:
        """The latest issue approved on or before `day`."""
        found = [c for c in self.issues if c.doc.issued_on <= day]
        return found[-1] if found else None

    def withdrawn_by(self, day: date) -> bool:
        return self.withdrawal is not None and self.withdrawal.on <= day


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 16), rng.randint(0, 59), rng.randint(0, 59)), LOCAL_TZ)


def _later(when: datetime, rng: random.Random, lo: int, hi: int) -> datetime:
    return _at(when.date() + timedelta(days=rng.randint(lo, hi)), rng)


def plan(cast: Cast, count: int, first_year: int, today: date, seed: int = 17) -> list[History]:
    """`count` procedures spread over the cast's units; every date between `first_year` and `today`."""
    rng = random.Random(seed)
    templates = texts.load_templates()
    units = list(cast.units)
    titles: set[str] = set()
    per_unit: dict[str, int] = {}
    start, last = date(first_year, 1, 5), today - timedelta(days=20)
    out = []
    for i in range(count):
        unit = units[i % len(units)]
        n = per_unit[unit] = per_unit.get(unit, 0) + 1
        code = f"QT-{unit}-{n + 10:02d}"
        title = texts.title_for(rng, titles, cast.unit_names[unit])
        body = texts.body_for(rng, templates, title, cast.unit_names[unit])
        legal = texts.legal_for(rng)
        # most procedures exist since the first years; the rest arrive over time
        span = (last - start).days
        born = start + timedelta(days=int(span * (rng.random() ** 2.2)))
        out.append(_life(rng, cast, code, title, unit, body, legal, _at(born, rng), today))
    return out


def _doc(h: History, body: str, legal: list[str], log: list[str], **header) -> ProcedureDocument:
    text = body if not log else body + "\n## 8. Theo dõi sửa đổi\n\n" + "\n".join(log) + "\n"
    return ProcedureDocument(code=h.code, title=h.title, unit=h.unit, body=text, legal_bases=list(legal), **header)


def _life(rng, cast: Cast, code, title, unit, body, legal, born: datetime, today: date) -> History:
    h = History(code, title, unit)
    member, head, leader = cast.members[unit], cast.heads[unit], cast.leader
    limit = datetime.combine(today - timedelta(days=2), time(17), LOCAL_TZ)
    log: list[str] = []
    header: dict = {"drafted_by": member.full_name}
    h.commits.append(Commit(code, CREATE, born, member, f"Tạo dự thảo {code}: {title}",
                            _doc(h, body, legal, log, **header)))
    when = born
    fate = rng.random()
    never_issued = fate < 0.02

    def draft(when: datetime, saves: int) -> datetime:
        for _ in range(saves):
            when = min(_later(when, rng, 1, 12), limit)
            note = texts.change_note(rng)
            log.append(f"- {when:%d/%m/%Y}: dự thảo – {note}.")
            h.commits.append(Commit(code, SAVE, when, member, f"Cập nhật dự thảo {code}: {note}",
                                    _doc(h, body, legal, log, **header)))
        return when

    def issue(when: datetime) -> datetime | None:
        nonlocal header
        submitted = _later(when, rng, 1, 5)
        approved = _later(submitted, rng, 1, 10)
        if approved > limit:
            return None
        h.submits.append(Step(submitted, head, len(h.commits) - 1))
        number = len(h.issues) + 1
        issued_on = approved.date()
        effective = min(issued_on + timedelta(days=rng.choice((0, 0, 7, 10, 15))), today)
        header = dict(header, issue=number, issued_on=issued_on, effective_on=effective,
                      reviewed_by=head.full_name, approved_by=leader.full_name)
        text = f"Ban hành lần {number}"
        h.commits.append(Commit(code, ISSUE, approved, leader, f"Ban hành {code} lần {number}\n\n{text}",
                                _doc(h, body, legal, log, **header), number=number, issue_text=text))
        return approved

    when = draft(when, rng.choice((0, 1, 1, 2)))
    if not never_issued:
        issued = issue(when)
        when = issued or when
        # revised in some later years: saved, submitted and issued again
        while issued is not None:
            when = _later(when, rng, 600, 2800)
            if when > limit:
                break
            if rng.random() < 0.15:
                legal = texts.legal_for(rng)
            when = draft(when, rng.choice((1, 1, 1, 2)))
            issued = issue(when)
            when = issued or when
    if not never_issued and h.issues and fate > 0.97:
        on = _later(when, rng, 30, 500)
        if on <= limit:
            h.withdrawal = Withdrawal(on, on.date(), cast.secretary,
                                      "Thủ tục hành chính đã được bãi bỏ theo quyết định công bố của Chủ tịch UBND tỉnh.")
            return h
    if never_issued or fate > 0.90:
        # a draft under way: saved after the last issue, sometimes already submitted
        start = max(when, limit - timedelta(days=120))
        when = draft(start, rng.choice((1, 2)))
        if h.issues and h.commits[-1].kind == ISSUE:
            when = draft(when, 1)
        if rng.random() < 0.4 and when < limit:
            h.submitted = Step(min(_later(when, rng, 0, 1), limit), head, len(h.commits) - 1)
    return h
