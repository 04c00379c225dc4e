"""Phase 3: the yearly reviews (Objective 4): one closed cycle per year, as the review services make them.

A cycle opens in September with one review per procedure in force; those issued that year count at once,
those issued while it is open count when issued; most others are recorded (maintained) by the unit's
member, confirmed by its head and accepted by the ISO secretary, a few are returned once, a few never
finish. The cycle closes in December with its figures frozen (app.reviews.compliance).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import bindparam, insert, update

from app.extensions import db
from app.procedures.models import Procedure
from app.province_demo.events import EventLog, fix_sequence, next_id
from app.province_demo.histories import History
from app.province_demo.people import Cast
from app.reviews.compliance import cycle_compliance
from app.reviews.models import (ACCEPTED, CLOSED, CONFIRMED, MAINTAINED, PENDING, RECORDED, SOURCE_ISSUE,
                                SOURCE_UNIT, UPDATED, Review, ReviewCycle)
from app.timeutil import LOCAL_TZ


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 16), rng.randint(0, 59), rng.randint(0, 59)), LOCAL_TZ)


def write(histories: list[History], ids: dict[str, int], cast: Cast, years: list[int], log: EventLog,
          seed: int = 23, progress=None) -> int:
    rng = random.Random(seed)
    cycle_id, review_id = next_id(ReviewCycle), next_id(Review)
    reviewed_on: dict[int, date] = {}
    total = 0
    sec, leader = cast.secretary, cast.leader
    for year in years:
        opened, closed = _at(date(year, 9, 5), rng), _at(date(year, 12, 20), rng)
        deadline, meeting = date(year, 11, 30), date(year, 12, 10)
        db.session.execute(insert(ReviewCycle), [{
            "id": cycle_id, "year": year, "status": CLOSED, "deadline": deadline, "meeting_on": meeting,
            "note": f"Rà soát các quy trình của HTQLCL năm {year} theo Kế hoạch số {rng.randint(10, 99)}/KH-SKHCN",
            "opened_by_id": sec.id, "opened_at": opened, "closed_by_id": sec.id, "closed_at": closed,
            "closed_on": closed.date()}])
        rows, counted = [], []
        for h in histories:
            pid, unit = ids[h.code], h.unit
            at_open = h.issue_on(opened.date())
            in_cycle = [c for c in h.issues if opened.date() < c.doc.issued_on <= closed.date()]
            if (at_open is None and not in_cycle) or h.withdrawn_by(opened.date()):
                continue
            key = f"{year}/{h.code}"
            row = {"id": review_id, "cycle_id": cycle_id, "procedure_id": pid, "unit_id": cast.units[unit],
                   "status": PENDING, "outcome": None, "source": SOURCE_UNIT, "note": "", "revision": None,
                   "issue_number": None, "recorded_by_id": None, "recorded_at": None, "confirmed_by_id": None,
                   "confirmed_at": None, "accepted_by_id": None, "accepted_at": None, "returned_by_id": None,
                   "returned_at": None, "return_comment": "", "updated_at": opened}
            review_id += 1
            rows.append(row)
            if at_open is not None and at_open.doc.issued_on.year == year:
                counted.append(h.code)
                row.update(status=ACCEPTED, outcome=UPDATED, source=SOURCE_ISSUE, revision=at_open.sha,
                           issue_number=at_open.number, accepted_at=opened)
                log.add(opened, None, "review.issue_counted", "review", key,
                        f"{h.code}: ban hành lần {at_open.number} trong năm {year} được tính là rà soát",
                        {"status": ACCEPTED, "outcome": UPDATED, "revision": at_open.sha, "issue": at_open.number},
                        unit, msg={"code": h.code, "year": year, "issue": at_open.number})
                continue
            if in_cycle:
                c = in_cycle[0]
                row.update(status=ACCEPTED, outcome=UPDATED, source=SOURCE_ISSUE, revision=c.sha,
                           issue_number=c.number, accepted_by_id=leader.id, accepted_at=c.when, updated_at=c.when)
                log.add(c.when, leader, "review.issue_counted", "review", key,
                        f"{h.code}: ban hành lần {c.number} được tính là rà soát năm {year}",
                        {"issue": c.number, "joined": at_open is None, "status": ACCEPTED, "outcome": UPDATED,
                         "revision": c.sha}, unit, msg={"code": h.code, "year": year, "issue": c.number})
                continue
            if h.withdrawn_by(closed.date()):
                continue  # withdrawn during the cycle: out of its figures, nothing recorded
            _unit_review(rng, row, h, at_open, year, key, opened, cast, log, reviewed_on)
        if rows:
            db.session.execute(insert(Review), rows)
        total += len(rows)
        db.session.flush()
        cycle = db.session.get(ReviewCycle, cycle_id)
        result = cycle_compliance(cycle, closed.date())
        log.add(opened, sec, "review_cycle.open", "review_cycle", str(year), f"Mở đợt rà soát năm {year}",
                {"year": year, "deadline": deadline.isoformat(), "meeting_on": meeting.isoformat(),
                 "procedures": len(rows), "counted_by_issue": counted})
        log.add(closed, sec, "review_cycle.close", "review_cycle", str(year), f"Đóng đợt rà soát năm {year}",
                {"year": year, "total": result.total, "reviewed": result.reviewed, "percent": result.pct})
        cycle_id += 1
        if progress:
            progress(1)
    # a procedure counts as reviewed from the day its review was accepted (or it was issued)
    stmt = (update(Procedure).where(Procedure.id == bindparam("pid"))
            .values(last_reviewed_on=bindparam("day")).execution_options(synchronize_session=False))
    current = dict(db.session.query(Procedure.id, Procedure.last_reviewed_on).filter(Procedure.id.in_(list(ids.values()))))
    changes = [{"pid": pid, "day": day} for pid, day in reviewed_on.items() if current.get(pid) is None or current[pid] < day]
    if changes:
        db.session.connection().execute(stmt, changes)
    for table in ("review_cycle", "review"):
        fix_sequence(table)
    return total


def _unit_review(rng, row, h: History, issued, year, key, opened, cast: Cast, log: EventLog, reviewed_on) -> None:
    member, head, sec, unit = cast.members[h.unit], cast.heads[h.unit], cast.secretary, h.unit
    fate = rng.random()
    if fate < 0.02:
        return  # never recorded: pending at the close
    payload = {"status": RECORDED, "outcome": MAINTAINED, "revision": issued.sha}
    msg = {"code": h.code, "year": year, "issue": issued.number}
    recorded = _at(opened.date() + timedelta(days=rng.randint(3, 70)), rng)
    note = rng.choice(("", "", "Quy trình vẫn phù hợp với quy định hiện hành.", "Không có thay đổi về thủ tục."))
    row.update(status=RECORDED, outcome=MAINTAINED, note=note, revision=issued.sha, issue_number=issued.number,
               recorded_by_id=member.id, recorded_at=recorded, updated_at=recorded)
    log.add(recorded, member, "review.record", "review", key, f"Ghi nhận rà soát {h.code} năm {year}",
            dict(payload, note=note, resubmitted=False), unit, msg=msg)
    if fate < 0.035:
        return  # recorded, never confirmed
    confirmed = recorded + timedelta(days=rng.randint(1, 7), minutes=rng.randint(0, 300))
    row.update(status=CONFIRMED, confirmed_by_id=head.id, confirmed_at=confirmed, updated_at=confirmed)
    log.add(confirmed, head, "review.confirm", "review", key, f"Xác nhận rà soát {h.code} năm {year}",
            dict(payload, status=CONFIRMED), unit, msg=msg)
    if fate < 0.05:
        return  # confirmed, waiting for the secretary at the close
    accepted = confirmed + timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 300))
    if fate < 0.09:
        comment = "Đề nghị ghi rõ căn cứ pháp lý đã rà soát."
        row.update(returned_by_id=sec.id, returned_at=accepted, return_comment=comment)
        log.add(accepted, sec, "review.return", "review", key, f"Trả lại rà soát {h.code} năm {year}",
                dict(payload, status="returned", comment=comment), unit, msg=msg)
        again = accepted + timedelta(days=rng.randint(1, 5))
        log.add(again, member, "review.record", "review", key, f"Ghi nhận rà soát {h.code} năm {year}",
                dict(payload, note=note, resubmitted=True), unit, msg=msg)
        confirmed = again + timedelta(hours=rng.randint(2, 48))
        log.add(confirmed, head, "review.confirm", "review", key, f"Xác nhận rà soát {h.code} năm {year}",
                dict(payload, status=CONFIRMED), unit, msg=msg)
        accepted = confirmed + timedelta(days=rng.randint(1, 6))
        row.update(recorded_at=again, confirmed_at=confirmed)
    row.update(status=ACCEPTED, accepted_by_id=sec.id, accepted_at=accepted, updated_at=accepted)
    log.add(accepted, sec, "review.accept", "review", key, f"Chấp nhận rà soát {h.code} năm {year}",
            dict(payload, status=ACCEPTED), unit, msg=msg)
    day = accepted.astimezone(LOCAL_TZ).date()
    reviewed_on[row["procedure_id"]] = max(reviewed_on.get(row["procedure_id"], day), day)
