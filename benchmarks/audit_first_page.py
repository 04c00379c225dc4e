"""The first audit page of a FRESH process on a province-size log: chain verdict and store-history check.

Builds once: the demo, a store of `--procedures` procedures with `--revisions` commits each (git fast-import),
their Procedure rows and revision mirror, then `--events` valid chained events (signed with the audit key),
the procedure ones naming the store's commits. `qms audit-verify` is run once (it must pass; it is also what
leaves a verified checkpoint for later processes). Then, `--runs` times, a NEW Python process opens the app
and GETs /audit/ as the committee's `bcd` (with a session cookie made beforehand): that first GET is timed.

Each fresh process first does what a gunicorn worker does at start (wsgi.py: app.audit.warm.warm_process),
untimed, as no user waits for it; one scenario leaves that out to show what it saves.
Scenarios (each in fresh processes): "checkpoint" (as after audit-verify), "ttl expired" (QMS_AUDIT_VERIFY_TTL=0:
the full re-verification is due; the page must not wait for it), "new events" (500 events appended since the
checkpoint, verified on top of it).

Run: PYTHONPATH=. .venv/bin/python benchmarks/audit_first_page.py [--events 200000] [--procedures 3000]
     [--revisions 3] [--runs 10] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy import func, insert, select

HERE = Path(__file__).resolve()
START = datetime(2021, 1, 1, tzinfo=timezone.utc)
OTHER = [("review.record", "review"), ("capa.plan", "capa"), ("auth.login", "account"), ("account.update", "account"),
         ("review.confirm", "review"), ("objective.report", "objective")]


def make_app(data_dir: Path, database_url: str | None, schema: str | None, **extra):
    from app import create_app

    cfg = {"QMS_DATA_DIR": str(data_dir), "WTF_CSRF_ENABLED": False, "QMS_SMTP_HOST": "", **extra}
    if database_url:
        cfg["SQLALCHEMY_DATABASE_URI"] = database_url
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    return create_app(cfg)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# -- building the data -------------------------------------------------------------------------------
def generate_store(procedures: int, revisions: int) -> list[tuple[str, str, datetime, str]]:
    """`procedures` x `revisions` commits on main (fast-import); [(code, sha, authored_at, message)] oldest first."""
    from app.procedures import core
    from app.store import procedure_path
    from app.store.repo import plain_env

    st = core.store()
    codes = [f"QT-BENCH-{i:04d}" for i in range(1, procedures + 1)]
    marks = st.root / ".git" / "bench-marks"
    proc = subprocess.Popen(["git", "fast-import", "--quiet", f"--export-marks={marks}"], cwd=st.root,
                            env=plain_env(st.root), stdin=subprocess.PIPE)
    write = proc.stdin.write
    clock = datetime(2021, 1, 1, 8, 0, tzinfo=timezone.utc)
    made, mark, first = [], 0, True
    for r in range(1, revisions + 1):
        for code in codes:
            mark += 1
            clock += timedelta(minutes=7)
            data = (f"---\ncode: {code}\ntitle: Quy trình {code}\nunit: VP\nissue: 0\n---\n\n"
                    f"# 1. Mục đích\n\nQuy trình {code}, sửa đổi lần {r}.\n").encode()
            msg = f"{code}: sửa đổi lần {r}"
            stamp = f"{int(clock.timestamp())} +0700"
            write(f"commit refs/heads/main\nmark :{mark}\n".encode())
            write(f"author Nguyen Van An <an@example.vn> {stamp}\ncommitter Nguyen Van An <an@example.vn> {stamp}\n"
                  .encode())
            raw = msg.encode()
            write(f"data {len(raw)}\n".encode() + raw + b"\n")
            if first:
                write(b"from refs/heads/main^0\n")
                first = False
            write(f"M 100644 inline {procedure_path(code, st.layout)}\ndata {len(data)}\n".encode() + data + b"\n")
            made.append((code, f":{mark}", clock, msg))
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=st.root, env=plain_env(st.root), check=True)
    shas = dict(line.split() for line in marks.read_text().splitlines())
    marks.unlink()
    return [(code, shas[m], at, msg) for code, m, at, msg in made]


def mirror(commits: list[tuple[str, str, datetime, str]]) -> None:
    from app.auth.models import Unit
    from app.extensions import db
    from app.procedures.models import Procedure, ProcedureRevision

    unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "VP"))
    last = {}
    for code, sha, _at, _msg in commits:
        last[code] = sha
    db.session.execute(insert(Procedure.__table__), [
        {"code": code, "title": f"Quy trình {code}", "unit_id": unit_id, "status": "draft", "current_revision": sha,
         "current_blob": "", "issue_number": 0, "review_comment": "", "updated_at": START}
        for code, sha in last.items()])
    ids = dict(db.session.execute(select(Procedure.code, Procedure.id).where(Procedure.code.like("QT-BENCH-%"))).all())
    rows = [{"procedure_id": ids[code], "sha": sha, "authored_at": at, "author_name": "Nguyễn Văn An",
             "author_email": "an@example.vn", "message": msg} for code, sha, at, msg in commits]
    for i in range(0, len(rows), 5000):
        db.session.execute(insert(ProcedureRevision.__table__), rows[i:i + 5000])
    db.session.commit()


def bulk_events(n: int, commits: list[tuple[str, str, datetime, str]], seed: int = 7) -> float:
    """Append n chained events signed with the audit key; one in three a procedure save naming a commit
    (every generated commit is named at least once, in order)."""
    from app.audit.models import GENESIS_HASH, AuditEvent, canonical_payload, hash_material
    from app.audit.services import audit_key
    from app.auth.models import User
    from app.extensions import db

    rng = random.Random(seed)
    key = audit_key()
    users = db.session.execute(select(User.id, User.full_name)).all()
    prev = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS_HASH
    span = (datetime(2026, 10, 31, tzinfo=timezone.utc) - START).total_seconds()
    table = AuditEvent.__table__
    started = time.perf_counter()
    batch, named = [], 0
    for i in range(n):
        when = START + timedelta(seconds=span * i / n + rng.random())
        actor_id, actor_name = rng.choice(users)
        if i % 3 == 0 and commits:
            code, sha, _at, msg = commits[named] if named < len(commits) else rng.choice(commits)
            named += 1
            action, object_type, object_id = "procedure.save", "procedure", code
            payload, summary, unit = {"revision": sha, "message": msg}, f"Lưu bản nháp {code}", "VP"
        else:
            action, object_type = rng.choice(OTHER)
            object_id, unit = f"X-{rng.randint(1, 500)}", rng.choice(["VP", "QLKH", "TTR", None])
            payload, summary = {"ghi_chú": f"Cập nhật lần {i}"}, f"{action} #{i}"
        row = {"occurred_at": when, "actor_id": actor_id, "actor_name": actor_name, "action": action,
               "object_type": object_type, "object_id": object_id, "unit_code": unit, "summary": summary,
               "payload": canonical_payload(payload), "prev_hash": prev}
        row["hash"] = key.sign(hash_material(SimpleNamespace(**row)))
        prev = row["hash"]
        batch.append(row)
        if len(batch) == 5000:
            db.session.execute(insert(table), batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - started


def append_events(n: int) -> None:
    from app.audit.services import record
    from app.extensions import db

    for i in range(n):
        record(None, "bench.event", "capa", f"X-{i}", f"sự kiện mới {i}", {"i": i}, unit_code="VP")
    db.session.commit()


def prepare(app, args) -> None:
    from app.audit.models import AuditEvent
    from app.extensions import db

    with app.app_context():
        t = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["qms", "demo"])
        assert result.exit_code == 0, result.output
        print(f"database: {db.engine.dialect.name}; demo loaded in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        commits = generate_store(args.procedures, args.revisions)
        mirror(commits)
        print(f"store: {len(commits):,} commits of {args.procedures:,} procedures (+ mirror) "
              f"in {time.perf_counter() - t:.1f} s")
        took = bulk_events(args.events, commits)
        total = db.session.scalar(select(func.count(AuditEvent.id)))
        print(f"bulk insert: {args.events:,} chained events in {took:.1f} s; log holds {total:,} events")
        db.session.remove()


def audit_verify(app) -> None:
    """`qms audit-verify`, as a nightly job would run it (it leaves the verified checkpoint, where it exists)."""
    from app.extensions import db

    with app.app_context():
        t = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["qms", "audit-verify"])
        print(f"qms audit-verify: exit {result.exit_code} in {time.perf_counter() - t:.1f} s: "
              f"{result.output.strip().splitlines()[0] if result.output.strip() else ''}")
        if result.exit_code != 0:
            print(result.output[:2000])
        db.session.remove()


def session_cookie(app) -> str:
    client = app.test_client()
    resp = client.post("/login", data={"username": "bcd", "password": "demo-password"})
    assert resp.status_code == 302, resp.status_code
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return cookie.value


# -- one fresh process ---------------------------------------------------------------------------------
def child(args) -> None:
    extra = json.loads(args.config or "{}")
    warm = extra.pop("warm", True)
    t0 = time.perf_counter()
    app = make_app(args.data_dir, args.database_url, args.schema, **extra)
    opened = (time.perf_counter() - t0) * 1000
    warmed = {}
    if warm:
        from app.audit.warm import warm_process

        warmed = warm_process(app)  # what wsgi.py does in each gunicorn worker before its first request
    with app.app_context():
        client = app.test_client()
        client.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), args.cookie)
        t = time.perf_counter()
        resp = client.get("/audit/")
        first = (time.perf_counter() - t) * 1000
        html = resp.get_data(as_text=True)
        resp.close()  # as a WSGI server does once the page is sent
        t = time.perf_counter()
        client.get("/audit/")
        second = (time.perf_counter() - t) * 1000
        verdict = ""
        start = html.find('data-testid="chain-status"')
        if start >= 0:
            import re

            verdict = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:html.find("</div>", start)]))[:400]
        print(json.dumps({"status": resp.status_code, "first_ms": first, "second_ms": second, "app_ms": opened,
                          "warm_ms": sum(warmed.values()),
                          "chain_ok": 'data-testid="chain-status" data-ok="1"' in html,
                          "store_ok": 'data-testid="store-status" data-ok="1"' in html, "verdict": verdict}))
        # a background re-verification the page started is left to finish with the process, as in a worker
        from app.audit import integrity

        wait = getattr(integrity, "wait_background", None)
        if wait is not None:
            wait()


def fresh(args, cookie: str, config: dict | None = None) -> dict:
    cmd = [sys.executable, str(HERE), "--child", "--data-dir", str(args.data_dir), "--cookie", cookie,
           "--config", json.dumps(config or {})]
    if args.database_url:
        cmd += ["--database-url", args.database_url, "--schema", args.schema]
    env = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", "."))
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        sys.exit(f"child failed: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def scenario(args, cookie: str, label: str, config: dict | None = None, before=None) -> list[float]:
    runs = []
    for _ in range(args.runs):
        if before:
            before()
        runs.append(fresh(args, cookie, config))
    ms = [r["first_ms"] for r in runs]
    ok = all(r["status"] == 200 and r["chain_ok"] and r["store_ok"] for r in runs)
    print(f"{label}: first GET /audit/ median {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 0.95):7.1f} ms"
          f"   (n={len(ms)}; second GET median {statistics.median(r['second_ms'] for r in runs):.1f} ms; "
          f"app start median {statistics.median(r['app_ms'] for r in runs):.0f} ms + worker warm-up "
          f"{statistics.median(r['warm_ms'] for r in runs):.0f} ms; verdicts ok: {ok})")
    print(f"   verdict shown: {runs[-1]['verdict']}")
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--procedures", type=int, default=3000)
    parser.add_argument("--revisions", type=int, default=3, help="commits per procedure in the store")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", type=Path, default=None,
                        help="SQLite only: data directory kept between runs (built once)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    parser.add_argument("--cookie", help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    from app.extensions import db

    engine = None
    args.schema = None
    if args.database_url:
        args.schema = f"qms_bench_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(args.database_url)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{args.schema}"'))
    with tempfile.TemporaryDirectory() as tmp:
        args.data_dir = args.keep if args.keep and not args.database_url else Path(tmp) / "data"
        ready = args.data_dir / ".bench-ready"
        app = make_app(args.data_dir, args.database_url, args.schema)
        try:
            if not ready.exists():
                prepare(app, args)
                if args.keep:
                    ready.touch()
            audit_verify(app)
            with app.app_context():
                cookie = session_cookie(app)
                db.session.remove()
            print(f"\nfresh processes, each timing its first GET /audit/ as bcd ({args.runs} runs a scenario):")
            cold = scenario(args, cookie, "checkpoint, worker NOT warmed at start", {"warm": False})
            warm = scenario(args, cookie, "checkpoint (as left by qms audit-verify)")
            ttl = scenario(args, cookie, "ttl expired (full re-check due)", {"QMS_AUDIT_VERIFY_TTL": 0})

            def more():
                with app.app_context():
                    append_events(500)
                    db.session.remove()

            appended = scenario(args, cookie, "500 new events since the last check", before=more)
            every = warm + ttl + appended
            print("\nBENCH-RESULT " + json.dumps({
                "audit first page p95 ms": round(percentile(every, 0.95), 1),
                "audit first page median ms": round(statistics.median(every), 1),
                "audit first page checkpoint p95 ms": round(percentile(warm, 0.95), 1),
                "audit first page not warmed p95 ms": round(percentile(cold, 0.95), 1),
                "audit first page ttl expired p95 ms": round(percentile(ttl, 0.95), 1),
                "audit first page new events p95 ms": round(percentile(appended, 0.95), 1)}))
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if engine is not None:
                with engine.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{args.schema}" CASCADE'))
                engine.dispose()


if __name__ == "__main__":
    main()
