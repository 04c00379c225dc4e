"""Benchmark of the committee's timeline on a big audit log: filtered pages and the streamed CSV export.

Bulk-inserts a valid hash chain of N events after the demo data, then measures through the Flask test
client signed in as `bcd`: one unit + one year, deep keyset pages, the whole log, and the CSV export of
10,000 events (time, and peak Python memory with tracemalloc).

Run: PYTHONPATH=. .venv/bin/python benchmarks/audit_bench.py [--events 200000] [--repeat 30]
     [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]   (a throw-away schema is used)
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy import func, insert, select

UNITS = ["VP", "TTR", "QLKH", "QLCN", "CCTDC", "TTUD", None]
ACTIONS = [("procedure.save", "procedure"), ("procedure.submit", "procedure"), ("procedure.issue", "procedure"),
           ("review.record", "review"), ("review.confirm", "review"), ("capa.plan", "capa"),
           ("auth.login", "account"), ("account.update", "account")]
START = datetime(2021, 1, 1, tzinfo=timezone.utc)


def make_app(data_dir: Path, database_url: str | None, schema: str | None):
    from app import create_app

    cfg = {"QMS_DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False, "QMS_SMTP_HOST": ""}
    if database_url:
        cfg["SQLALCHEMY_DATABASE_URI"] = database_url
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    return create_app(cfg)


def bulk_insert(n: int, seed: int = 7) -> float:
    """Append n chained events with Core insert(); hashes from app.audit.models.compute_hash."""
    from app.audit.models import GENESIS_HASH, AuditEvent, canonical_payload, compute_hash
    from app.auth.models import User
    from app.extensions import db

    rng = random.Random(seed)
    users = db.session.execute(select(User.id, User.full_name)).all()
    prev = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS_HASH
    span = (datetime(2026, 10, 31, tzinfo=timezone.utc) - START).total_seconds()
    table = AuditEvent.__table__
    started = time.perf_counter()
    batch = []
    for i in range(n):
        when = START + timedelta(seconds=span * i / n + rng.random())
        action, object_type = rng.choice(ACTIONS)
        unit = rng.choice(UNITS)
        actor_id, actor_name = rng.choice(users)
        code = f"QT-{unit or 'VP'}-{rng.randint(1, 5):02d}"
        payload = ({"before": {"title": f"Quy trình {code}", "active": True},
                    "after": {"title": f"Quy trình {code} (sửa đổi)", "active": True}}
                   if action == "account.update" else {"message": f"Cập nhật lần {i}", "ghi_chú": "Đăng ký"})
        row = {"occurred_at": when, "actor_id": actor_id, "actor_name": actor_name, "action": action,
               "object_type": object_type, "object_id": code, "unit_code": unit,
               "summary": f"{action} {code} #{i}", "payload": canonical_payload(payload), "prev_hash": prev}
        row["hash"] = compute_hash(SimpleNamespace(**row))
        prev = row["hash"]
        batch.append(row)
        if len(batch) == 5000:
            db.session.execute(insert(table), batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # what autovacuum does to a log that grew over years: statistics and the visibility map
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE audit_event"))
    elif db.engine.dialect.name == "sqlite":
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - started


def prepare(app, events: int) -> None:
    """The demo (units, accounts, 15 procedures), then `events` chained events."""
    from app.audit.models import AuditEvent
    from app.extensions import db

    with app.app_context():
        t = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["qms", "demo"])
        assert result.exit_code == 0, result.output
        print(f"database: {db.engine.dialect.name}; demo loaded in {time.perf_counter() - t:.1f} s")
        took = bulk_insert(events)
        total = db.session.scalar(select(func.count(AuditEvent.id)))
        print(f"bulk insert: {events:,} chained events in {took:.1f} s; log holds {total:,} events")
        db.session.remove()


def timed_get(client, url: str, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        resp = client.get(url)
        out.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, (url, resp.status_code)
    return out


def stats(ms: list[float]) -> str:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ordered)})"


def stream(client, url: str) -> tuple[float, int, int]:
    """(seconds, bytes, data lines) of a streamed download, consumed chunk by chunk."""
    t = time.perf_counter()
    resp = client.get(url, buffered=False)
    assert resp.status_code == 200 and resp.is_streamed
    size = lines = 0
    for chunk in resp.response:
        data = chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
        size += len(data)
        lines += data.count(b"\r\n")
    resp.close()
    return time.perf_counter() - t, size, lines - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--export", type=int, default=10_000, help="events in the measured CSV export")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", type=Path, default=None,
                        help="SQLite only: data directory kept between runs (the log is built once)")
    args = parser.parse_args()

    from app.audit.models import AuditEvent
    from app.extensions import db

    schema = None
    if args.database_url:
        schema = f"qms_bench_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(args.database_url)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.keep if args.keep and not args.database_url else Path(tmp) / "data"
        ready = data_dir / ".bench-ready"
        app = make_app(data_dir, args.database_url, schema)
        try:
            if not ready.exists():
                prepare(app, args.events)
                if args.keep:
                    ready.touch()

            with app.app_context():
                client = app.test_client()
                resp = client.post("/login", data={"username": "bcd", "password": "demo-password"})
                assert resp.status_code == 302
                page_url = "/audit/?unit=QLKH&year=2024"
                t = time.perf_counter()
                first = client.get(page_url)
                cold = (time.perf_counter() - t) * 1000
                assert first.status_code == 200 and b'data-ok="1"' in first.data, "chain should verify"
                shown = first.data.count(b'data-testid="event"')
                print(f"\nfirst page view (verifies the whole chain, then cached): {cold:.0f} ms")
                print(f"one unit + one year ({page_url}, {shown} rows shown):")
                print("   " + stats(timed_get(client, page_url, args.repeat)))
                print("same, after one new event (the appended event is verified on top of the cached verdict):")
                with app.app_context():
                    from app.audit.services import record

                    record(None, "bench.event", "procedure", "QT-QLKH-01", "x", {}, unit_code="QLKH")
                    db.session.commit()
                print("   " + stats(timed_get(client, page_url, 1)))
                from app.audit.timeline import Filters

                clauses = Filters.from_args({"unit": "QLKH", "year": "2024"}).clauses()
                matching = db.session.scalar(select(func.count(AuditEvent.id)).where(*clauses))
                deep = db.session.scalar(select(AuditEvent.id).where(*clauses)
                                         .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
                                         .offset(matching - 60).limit(1))
                print(f"same filter, last keyset page of {matching:,} matching events (?after={deep}):")
                print("   " + stats(timed_get(client, f"{page_url}&after={deep}", args.repeat)))
                print("whole log, newest first (/audit/):")
                print("   " + stats(timed_get(client, "/audit/", args.repeat)))
                for label, url in (("one action over all units", "/audit/?action=procedure.issue"),
                                   ("one kind of object over all units", "/audit/?kind=capa"),
                                   ("one person", "/audit/?user=5"),
                                   ("one unit + one year + one action", page_url + "&action=procedure.issue")):
                    print(f"{label} ({url}):")
                    print("   " + stats(timed_get(client, url, args.repeat)))
                n = db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.object_id == "QT-QLKH-01"))
                print(f"a procedure's merged timeline, first page (/audit/object/procedure/QT-QLKH-01, {n:,} events):")
                print("   " + stats(timed_get(client, "/audit/object/procedure/QT-QLKH-01", args.repeat)))

                # the date from which QLKH has `--export` events: the export of exactly that many
                when = db.session.scalar(select(AuditEvent.occurred_at).where(AuditEvent.unit_code == "QLKH")
                                         .order_by(AuditEvent.occurred_at.desc()).offset(args.export - 1).limit(1))
                from app.timeutil import to_local

                day = to_local(when).date()
                export_url = f"/audit/export.csv?unit=QLKH&from={day.isoformat()}"
                runs = [stream(client, export_url) for _ in range(5)]
                secs = [r[0] for r in runs]
                print(f"\nCSV export ({export_url}): {runs[0][2]:,} events, {runs[0][1] / 1e6:.1f} MB streamed")
                print(f"   median {statistics.median(secs):.2f} s   max {max(secs):.2f} s   (n={len(secs)})")
                for url in (export_url, "/audit/export.csv?unit=QLKH"):
                    tracemalloc.start()
                    _secs, size, lines = stream(client, url)
                    _cur, peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                    print(f"   peak Python memory (tracemalloc) exporting {lines:,} events / {size / 1e6:.1f} MB "
                          f"({url}): {peak / 1e6:.1f} MB")
                print("\nchecks: " + json.dumps({"page_ms_limit": 150, "export_s_limit": 5}))
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if schema:
                with engine.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                engine.dispose()


if __name__ == "__main__":
    main()
