"""Phase 4: quality objectives over several years: each year's plan (a copy of the one before, approved and
put in force through the objectives services, on that year's calendar), then every unit's reports for
every period as the reporting services would store them, past periods closed and past plans ended."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select, update

from app.auth.models import User
from app.extensions import db
from app.objectives import reports, services
from app.objectives.models import (CLOSED, DONE, IN_FORCE, IN_PROGRESS, KIND_RATING, PERIOD_CLOSED, R_ACCEPTED,
                                   R_DRAFT, R_RETURNED, R_SENT, SOURCE_UNIT, IndicatorValue, ObjectivePlan, Period,
                                   TaskEntry, UnitReport)
from app.province_demo.events import EventLog, fix_sequence, next_id
from app.province_demo.people import Cast
from app.timeutil import LOCAL_TZ, set_clock

SUMMARY = ("Trong kỳ {key}, các phòng, đơn vị thực hiện đầy đủ các nhiệm vụ theo kế hoạch; {late} báo cáo gửi "
           "trễ hạn; kết quả các chỉ số như bảng trên.")


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 16), rng.randint(0, 59)), LOCAL_TZ)


def ensure_plans(years: list[int], cast: Cast) -> list[ObjectivePlan]:
    """The plan of each year, copied from the nearest earlier one where missing (services, that year's clock)."""
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(("thuky", "lanhdao"))))}
    secretary, leader = users["thuky"], users["lanhdao"]
    plans = []
    try:
        for year in years:
            plan = services.get_plan(year)
            if plan is None:
                source = db.session.scalar(select(ObjectivePlan).where(ObjectivePlan.year < year)
                                           .order_by(ObjectivePlan.year.desc()).limit(1)) or \
                    db.session.scalar(select(ObjectivePlan).order_by(ObjectivePlan.year).limit(1))
                if source is None:
                    continue
                set_clock(datetime.combine(date(year, 1, 6), time(2), LOCAL_TZ))
                plan = services.copy_plan(secretary, source, year)
                set_clock(datetime.combine(date(year, 1, 12), time(3), LOCAL_TZ))
                services.approve(leader, plan)
                set_clock(datetime.combine(date(year, 1, 13), time(2), LOCAL_TZ))
                services.put_in_force(secretary, plan)
            plans.append(plan)
    finally:
        set_clock(None)
    db.session.flush()
    return plans


def _value(ind, rng: random.Random) -> float:
    if ind.kind == KIND_RATING:
        return float(rng.choice((4, 4, 4, 4, 3, 5)))
    if ind.direction == "<=":
        return ind.target + (1 if rng.random() < 0.08 else 0)
    return ind.target - (rng.choice((1, 2, 3, 5)) if rng.random() < 0.06 else 0)


def write(plans: list[ObjectivePlan], cast: Cast, today: date, log: EventLog, seed: int = 31, progress=None) -> int:
    rng = random.Random(seed)
    sec = cast.secretary
    report_id = next_id(UnitReport)
    made = 0
    for plan in plans:
        current = plan.year >= today.year
        periods = services.periods_of(plan)
        have = {(r.period_id, r.unit_id) for r in db.session.scalars(
            select(UnitReport).join(Period).where(Period.plan_id == plan.id))}
        owed = {}
        report_rows, entry_rows, value_rows, closes = [], [], [], []
        for period in periods:
            if period.starts_on > today or (current and period.is_closed):
                continue
            late_count = 0
            for code, unit_id in cast.units.items():
                if (period.id, unit_id) in have:
                    continue
                if period.due_on >= today and not current:
                    continue
                if (unit_id, period.kind) not in owed:
                    owed[unit_id, period.kind] = (reports.tasks_for_unit(plan, unit_id, period.kind),
                                                  reports.indicators_owed(plan, unit_id, period.kind))
                tasks, indicators = owed[unit_id, period.kind]
                fate = rng.random()
                if fate < 0.01 and not current:
                    continue  # never sent: the period's "not sent" list names it
                member, head = cast.members[code], cast.heads[code]
                rid = f"{plan.year}/{period.key}/{code}"
                drafted = _at(max(period.ends_on - timedelta(days=rng.randint(0, 5)), period.starts_on), rng)
                row = {"id": report_id, "period_id": period.id, "unit_id": unit_id, "status": R_DRAFT, "note": "",
                       "drafted_by_id": member.id, "updated_at": drafted, "sent_by_id": None, "sent_at": None,
                       "sent_on": None, "days_late": 0, "accepted_by_id": None, "accepted_at": None,
                       "return_comment": ""}
                values = {}
                for ind in indicators:
                    values[ind.id] = _value(ind, rng)
                    value_rows.append({"indicator_id": ind.id, "period_id": period.id, "unit_id": unit_id,
                                       "report_id": report_id, "value": values[ind.id], "source": SOURCE_UNIT,
                                       "note": "", "recorded_at": drafted})
                statuses = {}
                for t in tasks:
                    status = DONE if rng.random() > 0.04 else IN_PROGRESS
                    statuses[str(t.id)] = status
                    entry_rows.append({"report_id": report_id, "task_id": t.id, "status": status,
                                       "done_text": f"Đã thực hiện theo kế hoạch trong kỳ {period.key}."
                                       if status == DONE else "Đang triển khai, dự kiến hoàn thành trong kỳ sau.",
                                       "reason": "", "evidence": ""})
                log.add(drafted, member, "objectives.report_save", "objectives", rid,
                        f"Lưu dự thảo báo cáo {period.key} của {code}",
                        {"values": {str(k): v for k, v in values.items()}, "entries": statuses}, code)
                report_rows.append(row)
                report_id += 1
                made += 1
                if current and (fate > 0.7 or period.due_on >= today and fate > 0.3):
                    continue  # a draft still with the unit
                late = rng.choice((1, 2, 3, 6)) if rng.random() < 0.07 else 0
                sent_on = period.due_on + timedelta(days=late) if late else period.due_on - timedelta(
                    days=rng.randint(0, 4))
                sent = _at(min(sent_on, today), rng)
                late = max(0, (sent.date() - period.due_on).days)
                late_count += late > 0
                row.update(status=R_SENT, sent_by_id=head.id, sent_at=sent, sent_on=sent.date(), days_late=late,
                           updated_at=sent)
                log.add(sent, head, "objectives.report_send", "objectives", rid,
                        f"Gửi báo cáo {period.key} của {code}" + (f" (trễ {late} ngày)" if late else ""),
                        {"sent_on": sent.date().isoformat(), "due_on": period.due_on.isoformat(), "days_late": late},
                        code)
                decided = sent + timedelta(days=rng.randint(1, 3), minutes=rng.randint(0, 200))
                if decided.date() > today:
                    continue
                if rng.random() < 0.03:
                    comment = "Bổ sung minh chứng kết quả thực hiện nhiệm vụ."
                    log.add(decided, sec, "objectives.report_return", "objectives", rid,
                            f"Trả lại báo cáo {period.key} của {code}", {"comment": comment}, code)
                    if current:
                        row.update(status=R_RETURNED, return_comment=comment)
                        continue
                    decided += timedelta(days=2)
                    log.add(decided, head, "objectives.report_send", "objectives", rid,
                            f"Gửi báo cáo {period.key} của {code}", {"sent_on": decided.date().isoformat(),
                                                                     "due_on": period.due_on.isoformat(),
                                                                     "days_late": late}, code)
                    decided += timedelta(days=1)
                row.update(status=R_ACCEPTED, accepted_by_id=sec.id, accepted_at=decided)
                log.add(decided, sec, "objectives.report_accept", "objectives", rid,
                        f"Chấp nhận báo cáo {period.key} của {code}", None, code)
            if not current and not period.is_closed:
                closed = _at(period.office_due_on + timedelta(days=rng.randint(1, 6)), rng)
                summary = SUMMARY.format(key=period.key, late=late_count or "không có")
                closes.append((period.id, summary, closed))
                log.add(closed, sec, "objectives.period_close", "objectives", f"{plan.year}/{period.key}",
                        f"Khoá kỳ {period.key}", {"summary": summary})
        _insert(report_rows, entry_rows, value_rows)
        for pid, summary, closed in closes:
            db.session.execute(update(Period).where(Period.id == pid).values(
                status=PERIOD_CLOSED, summary=summary, closed_by_id=sec.id, closed_at=closed))
        if not current and plan.status == IN_FORCE:
            ended = _at(date(plan.year + 1, 1, 25), rng)
            db.session.execute(update(ObjectivePlan).where(ObjectivePlan.id == plan.id)
                               .values(status=CLOSED, closed_at=ended))
            log.add(ended, sec, "objectives.plan_close", "objectives", plan.year,
                    f"Kết thúc kế hoạch năm {plan.year}")
        if progress:
            progress(1)
    db.session.expire_all()
    for table in ("objective_report", "objective_task_entry", "objective_value"):
        fix_sequence(table)
    return made


def _insert(reports_, entries, values) -> None:
    for model, rows in ((UnitReport, reports_), (TaskEntry, entries), (IndicatorValue, values)):
        for i in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[i:i + 5000])
