"""Benchmark of the objectives pages on a big history: a year's status page and a period's consolidation page.

Builds Y years of plans (each 4 objectives, T tasks for every unit, 4 indicators), their 17 periods, and for
every monthly period a sent report from each of U units with its task entries and values (Core bulk insert),
then measures through the Flask test client signed in as the secretary: median and p95 of each page, and the
number of SQL statements per request, at a small size and at the full size (the count must not grow).

Run: PYTHONPATH=. .venv/bin/python benchmarks/objectives_pages.py [--years 5] [--units 50] [--tasks 20]
     [--repeat 30] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]   (a throw-away schema)
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, insert, select

FIRST_YEAR = 2021


def make_app(data_dir: Path, database_url: str | None, schema: str | None):
    from app import create_app

    cfg = {"QMS_DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False, "QMS_SMTP_HOST": ""}
    if database_url:
        cfg["SQLALCHEMY_DATABASE_URI"] = database_url
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    return create_app(cfg)


def build(years: int, units: int, tasks: int) -> dict:
    """Plans, periods, reports, entries and values with Core inserts; returns row counts."""
    from app.auth import services as auth
    from app.auth.models import Unit
    from app.extensions import db
    from app.objectives import rules
    from app.objectives.models import (Indicator, IndicatorValue, Objective, ObjectivePlan, ObjectiveTask, Period,
                                       TaskEntry, UnitReport)

    secretary = auth.create_user(None, username="thuky", full_name="Thư ký ISO", password="bench-password-1",
                                 roles=["secretary"])
    db.session.commit()
    unit_ids = []
    for i in range(units):
        db.session.add(Unit(code=f"U{i:02d}", name=f"Đơn vị {i:02d}", email="", active=True))
    db.session.commit()
    unit_ids = list(db.session.scalars(select(Unit.id).order_by(Unit.id)))
    now = datetime.now(timezone.utc)
    counts = dict(reports=0, entries=0, values=0)
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        plan = ObjectivePlan(year=year, title=f"Kế hoạch {year}", status="in_force", year_due_on=date(year, 11, 5),
                             year_office_due_on=date(year, 11, 10), holidays="", monitoring="",
                             created_by_id=secretary.id)
        db.session.add(plan)
        db.session.flush()
        objectives = []
        for n in range(1, 5):
            obj = Objective(plan_id=plan.id, seq=n, code=f"MT{n}", statement=f"Mục tiêu {n} năm {year}")
            db.session.add(obj)
            objectives.append(obj)
        db.session.flush()
        inds = [Indicator(objective_id=objectives[0].id, seq=1, name="Tỷ lệ đúng hạn", measure="%", target=100,
                          direction=">=", margin=5, frequency="month", source="unit", aggregate="mean"),
                Indicator(objective_id=objectives[1].id, seq=1, name="iGate", measure="%", target=100,
                          direction=">=", margin=0, frequency="month", source="imported", aggregate="mean"),
                Indicator(objective_id=objectives[2].id, seq=1, name="Phản ánh", measure="phản ánh", target=0,
                          direction="<=", margin=0, frequency="month", source="unit", aggregate="sum"),
                Indicator(objective_id=objectives[3].id, seq=1, name="Rà soát", measure="%", target=100,
                          direction=">=", margin=0, frequency="year", source="computed", compute="review_share")]
        db.session.add_all(inds)
        task_rows = [ObjectiveTask(objective_id=objectives[t % 4].id, seq=t + 1, content=f"Nhiệm vụ {t + 1}",
                                   rule="monthly", rule_day=14, all_units=True) for t in range(tasks)]
        db.session.add_all(task_rows)
        db.session.flush()
        for spec in rules.periods_of_year(year, plan.settings()):
            db.session.add(Period(plan_id=plan.id, key=spec.key, kind=spec.kind, starts_on=spec.starts_on,
                                  ends_on=spec.ends_on, due_on=spec.due_on, office_due_on=spec.office_due_on,
                                  status="open", summary=""))
        db.session.flush()
        months = list(db.session.scalars(select(Period).where(Period.plan_id == plan.id, Period.kind == "month")))
        for period in months:
            db.session.execute(insert(IndicatorValue), [dict(indicator_id=inds[1].id, period_id=period.id,
                                                             unit_id=None, value=99.0, source="imported", note="",
                                                             recorded_at=now)])
            reports = [dict(period_id=period.id, unit_id=u, status="sent", note="", updated_at=now, sent_at=now,
                            sent_on=period.due_on, days_late=0, return_comment="") for u in unit_ids]
            db.session.execute(insert(UnitReport), reports)
            report_ids = dict(db.session.execute(select(UnitReport.unit_id, UnitReport.id)
                                                 .where(UnitReport.period_id == period.id)).all())
            entries = [dict(report_id=rid, task_id=t.id, done_text="Đã thực hiện", status="done", reason="",
                            evidence="") for rid in report_ids.values() for t in task_rows]
            db.session.execute(insert(TaskEntry), entries)
            values = []
            for u, rid in report_ids.items():
                values.append(dict(indicator_id=inds[0].id, period_id=period.id, unit_id=u, report_id=rid,
                                   value=100.0 if u % 7 else 90.0, source="unit", note="", recorded_at=now))
                values.append(dict(indicator_id=inds[2].id, period_id=period.id, unit_id=u, report_id=rid,
                                   value=0.0 if u % 11 else 1.0, source="unit", note="", recorded_at=now))
            db.session.execute(insert(IndicatorValue), values)
            counts["reports"] += len(reports)
            counts["entries"] += len(entries)
            counts["values"] += len(values) + 1
        db.session.commit()
    return counts


class QueryCounter:
    def __init__(self, engine):
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.n += 1


def measure(client, counter, url: str, repeat: int) -> dict:
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code, resp.data[:300])
    counter.n = 0
    client.get(url)
    queries = counter.n
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert resp.status_code == 200
    times.sort()
    return {"median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1), "queries": queries}


def run(years: int, units: int, tasks: int, repeat: int, database_url: str | None) -> dict:
    from app.extensions import db

    schema = None
    if database_url:
        schema = f"qms_b_{uuid.uuid4().hex[:10]}"
        engine = sa.create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp), database_url, schema)
        try:
            with app.app_context():
                db.create_all()
                started = time.perf_counter()
                counts = build(years, units, tasks)
                build_s = round(time.perf_counter() - started, 1)
                counter = QueryCounter(db.engine)
                client = app.test_client()
                assert client.post("/login", data={"username": "thuky", "password": "bench-password-1"}
                                   ).status_code == 302
                last = FIRST_YEAR + years - 1
                out = {"years": years, "units": units, "tasks": tasks, "rows": counts, "build_s": build_s,
                       "status_page": measure(client, counter, f"/objectives/{last}", repeat),
                       "consolidation_page": measure(client, counter, f"/objectives/{last}/periods/{last}-06",
                                                     repeat),
                       "report_page": measure(client, counter, f"/objectives/{last}/periods/{last}-06/reports/U03",
                                              repeat)}
                db.session.remove()
                db.engine.dispose()
        finally:
            if schema:
                with engine.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    small = run(1, 5, args.tasks, max(5, args.repeat // 3), args.database_url)
    full = run(args.years, args.units, args.tasks, args.repeat, args.database_url)
    same = all(small[p]["queries"] == full[p]["queries"] for p in ("status_page", "consolidation_page"))
    print(json.dumps({"database": (args.database_url or "sqlite").split("://")[0], "small": small, "full": full,
                      "queries_do_not_grow": same}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
