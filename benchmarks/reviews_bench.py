"""Benchmark the review pages: compliance dashboard and cycle page with 300 and 3,000 procedures, 50 units, 10 closed cycles.

Rows are inserted directly (bulk); pages are rendered through the Flask test client signed in as the ISO
secretary; SQL statements are counted with SQLAlchemy's `before_cursor_execute` event. The number of
queries of a page must not grow with the number of procedures.

Run: PYTHONPATH=. .venv/bin/python benchmarks/reviews_bench.py [--sizes 300,3000] [--runs 40]
     (QMS_BENCH_DATABASE_URL=postgresql+psycopg://... to run on PostgreSQL; default: SQLite in a temp dir)
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from app.auth import services as accounts  # noqa: E402
from app.auth.models import Unit  # noqa: E402
from app.extensions import db  # noqa: E402
from app.procedures.models import Procedure  # noqa: E402
from app.reviews.models import Review, ReviewCycle  # noqa: E402

UNITS = 50
CLOSED_CYCLES = 10
FIRST_YEAR = 2013
PASSWORD = "bench-password-1"
STATUSES = ["accepted"] * 8 + ["pending", "confirmed"]


def _sha(rng: random.Random) -> str:
    return "%040x" % rng.getrandbits(160)


def populate(n_procedures: int, seed: int = 7) -> None:
    """50 units, n procedures (a few withdrawn), 10 closed cycles and the current year's open cycle."""
    rng = random.Random(seed)
    secretary = accounts.create_user(None, username="thuky", full_name="Thư ký ISO", password=PASSWORD,
                                     roles=["secretary"])
    db.session.flush()
    db.session.execute(insert(Unit), [{"code": f"U{i:02d}", "name": f"Đơn vị số {i}", "email": "", "active": True}
                                      for i in range(UNITS)])
    unit_ids = list(db.session.scalars(sa.select(Unit.id).order_by(Unit.id)))
    now = datetime.now(timezone.utc)
    rows = []
    for i in range(n_procedures):
        withdrawn = i % 97 == 0
        issued_on = date(2012, 1, 1) + timedelta(days=rng.randrange(0, 365 * 10))
        rows.append({"code": f"QT-U{i % UNITS:02d}-{i:04d}", "title": f"Quy trình giải quyết thủ tục số {i}",
                     "unit_id": unit_ids[i % UNITS], "status": "withdrawn" if withdrawn else "issued",
                     "draft_state": None, "current_revision": _sha(rng), "current_blob": _sha(rng),
                     "issued_revision": None, "issued_blob": None, "issue_number": rng.randint(1, 5),
                     "issued_on": issued_on, "effective_on": issued_on,
                     "withdrawn_on": date(2018, 6, 1) if withdrawn else None,
                     "last_reviewed_on": issued_on, "review_comment": "", "updated_at": now})
    for r in rows:
        r["issued_revision"], r["issued_blob"] = r["current_revision"], r["current_blob"]
    db.session.execute(insert(Procedure), rows)
    procs = db.session.execute(sa.select(Procedure.id, Procedure.unit_id, Procedure.issued_revision)).all()
    this_year = date.today().year
    years = [(FIRST_YEAR + k, "closed") for k in range(CLOSED_CYCLES)] + [(this_year, "open")]
    for year, status in years:
        opened = datetime(year, 1, 10, 2, 0, tzinfo=timezone.utc)
        closed = datetime(year + 1, 1, 20, 2, 0, tzinfo=timezone.utc) if status == "closed" else None
        cycle = ReviewCycle(year=year, status=status, deadline=date(year, 12, 31), note="",
                            opened_by_id=secretary.id, opened_at=opened, closed_by_id=secretary.id if closed else None,
                            closed_at=closed, closed_on=closed.date() if closed else None)
        db.session.add(cycle)
        db.session.flush()
        reviews = []
        for p in procs:
            status_ = rng.choice(STATUSES) if status == "closed" else rng.choice(["pending", "recorded",
                                                                                   "confirmed", "accepted"])
            done = status_ in ("recorded", "confirmed", "accepted")
            at = opened + timedelta(days=rng.randrange(30, 300))
            reviews.append({"cycle_id": cycle.id, "procedure_id": p.id, "unit_id": p.unit_id, "status": status_,
                            "outcome": "maintained" if done else None, "source": "unit", "note": "",
                            "revision": p.issued_revision if done else None, "issue_number": None,
                            "recorded_by_id": secretary.id if done else None, "recorded_at": at if done else None,
                            "confirmed_by_id": secretary.id if status_ in ("confirmed", "accepted") else None,
                            "confirmed_at": at if status_ in ("confirmed", "accepted") else None,
                            "accepted_by_id": secretary.id if status_ == "accepted" else None,
                            "accepted_at": at if status_ == "accepted" else None,
                            "return_comment": "", "updated_at": at})
        db.session.execute(insert(Review), reviews)
    db.session.commit()


class QueryCounter:
    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._on)

    def _on(self, *args, **kwargs):
        self.count += 1


def measure(client, counter: QueryCounter, url: str, runs: int) -> dict:
    for _ in range(3):  # warm-up: templates compiled, caches filled
        assert client.get(url).status_code == 200, url
    counter.count = 0
    resp = client.get(url)
    assert resp.status_code == 200
    queries = counter.count
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200
    times.sort()
    return {"median": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95) - 1)],
            "queries": queries, "bytes": len(resp.data)}


def _config(tmp: Path, n: int) -> tuple[dict, str | None]:
    cfg = {"TESTING": True, "QMS_DATA_DIR": str(tmp / f"data{n}"), "WTF_CSRF_ENABLED": False}
    url = os.environ.get("QMS_BENCH_DATABASE_URL")
    schema = None
    if url:
        schema = f"qms_b_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        cfg["SQLALCHEMY_DATABASE_URI"] = url
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    else:
        cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp / f'bench{n}.sqlite3'}"
    return cfg, schema


def run_size(n: int, runs: int, tmp: Path) -> dict:
    cfg, schema = _config(tmp, n)
    app = create_app(cfg)
    with app.app_context():
        db.create_all()
        t0 = time.perf_counter()
        populate(n)
        fill = time.perf_counter() - t0
        reviews = db.session.scalar(sa.select(sa.func.count()).select_from(Review))
        counter = QueryCounter(db.engine)
        db.session.remove()
    # requests run with no application context held open, as in production: each one loads its user
    client = app.test_client()
    assert client.post("/login", data={"username": "thuky", "password": PASSWORD}).status_code == 302
    last_closed = FIRST_YEAR + CLOSED_CYCLES - 1
    pages = {
        "dashboard /reviews/compliance": "/reviews/compliance",
        f"cycle page /reviews/{last_closed} (closed)": f"/reviews/{last_closed}",
        f"cycle page /reviews/{date.today().year} (open)": f"/reviews/{date.today().year}",
        "cycles list /reviews/": "/reviews/",
        "home page / (indicator, my tasks)": "/",
    }
    results = {label: measure(client, counter, url, runs) for label, url in pages.items()}
    with app.app_context():
        if schema:
            with db.engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        db.engine.dispose()
    print(f"\n{n} procedures, {UNITS} units, {CLOSED_CYCLES} closed cycles + 1 open, {reviews} reviews "
          f"(inserted in {fill:.1f} s) on {cfg['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
    print(f"  {'page':<40} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KiB':>6}")
    for label, r in results.items():
        print(f"  {label:<40} {r['median']:>10.1f} {r['p95']:>8.1f} {r['queries']:>8} {r['bytes'] / 1024:>6.0f}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="300,3000")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        all_results = {n: run_size(n, args.runs, Path(tmp)) for n in sizes}
    ok = True
    print("\nQuery counts by size (must not grow with the number of procedures):")
    for label in all_results[sizes[0]]:
        counts = [all_results[n][label]["queries"] for n in sizes]
        same = len(set(counts)) == 1
        slow = [n for n in sizes if all_results[n][label]["median"] > 150]
        ok &= same and not slow
        print(f"  {label:<40} {counts}  {'OK' if same else 'GROWS'}"
              f"{'' if not slow else '  SLOWER THAN 150 ms at ' + str(slow)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
