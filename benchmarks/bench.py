"""`make bench`: every performance target, measured on SQLite and on PostgreSQL, in one table.

Each measure comes from one script of this folder, run as its own process; each script prints its
figures and one `BENCH-RESULT {json}` line, which is what is read here. The province-scale data set
(`qms demo --scale province`) is built once per database into BENCH_DIR and reused by later runs
(delete the folder to build it again; its build time is then measured too).

    .venv/bin/python benchmarks/bench.py [--databases sqlite,postgresql] [--dir bench-data] [--quick]

PostgreSQL: a database named qms_bench on QMS_BENCH_PG (default postgresql+psycopg://postgres@127.0.0.1:5432)
is created for the run if missing; the other scripts make their own throw-away schemas in `test`.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
PG_SERVER = os.environ.get("QMS_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_TEST = PG_SERVER + "/test"

# (label, target text, result key, test(value) -> bool)
TARGETS = [
    ("issued procedure page req/s ÷ hello-world req/s", ">= 0.50", "issued procedure page ratio",
     lambda v: v >= 0.50),
    ("register (first page, 50 rows) ÷ hello-world", ">= 0.25", "register (first page) ratio", lambda v: v >= 0.25),
    ("every page p95 at province scale (worst, ms)", "< 150", "every page p95 ms (worst)", lambda v: v < 150),
    ("first audit page, fresh process, 200,000 events (p95 ms)", "< 150", "audit first page p95 ms",
     lambda v: v < 150),
    ("first search after a restart (p95 ms)", "< 50", "search first after restart p95 ms", lambda v: v < 50),
    ("search, warm (p95 ms)", "< 50", "search warm p95 ms", lambda v: v < 50),
    ("reindex of 10,000 procedures (s)", "< 30", "reindex 10000 s", lambda v: v < 30),
    ("save p95, 8 clients, 4 workers (ms)", "< 300", "save p95 ms", lambda v: v < 300),
    ("save errors", "0", "save errors", lambda v: v == 0),
    ("save p95, the same while a ninth client signs in and out (ms; beyond the target)", "(none)",
     "save p95 ms (with sign-ins)", lambda v: True),
    ("save errors, with the ninth client", "0", "save errors (with sign-ins)", lambda v: v == 0),
    ("memory per worker after the province-scale run (MB RSS)", "< 150", "worker RSS max MB", lambda v: v < 150),
    ("province data set, one command (s)", "< 300", "province build s", lambda v: v < 300),
]


def run(cmd: list[str], env: dict | None = None, timeout: int = 3600) -> dict:
    """Run one benchmark script; its output goes to the terminal, its BENCH-RESULT line is returned."""
    print("\n$ " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    result: dict = {}
    for line in proc.stdout:
        print("  " + line.rstrip(), flush=True)
        if line.startswith("BENCH-RESULT "):
            result.update(json.loads(line[len("BENCH-RESULT "):]))
    proc.wait(timeout=timeout)
    if proc.returncode:
        print(f"  (exit code {proc.returncode})")
    return result


def province(database: str, base: Path, quick: bool) -> tuple[dict, dict]:
    """The data set's directory and environment; built when missing (then its build time is a result)."""
    data = base / database
    env = {"QMS_DATA_DIR": str(data)}
    if database == "postgresql":
        env["QMS_DATABASE_URL"] = PG_SERVER + "/qms_bench"
        _ensure_pg_database("qms_bench")
    result = {}
    if not (data / "province-ready").exists():
        data.mkdir(parents=True, exist_ok=True)
        flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "qms"]
        run(flask + ["init", "--no-admin"], env)
        started = time.perf_counter()
        extra = ["--procedures", "300"] if quick else []
        run(flask + ["demo", "--scale", "province", *extra], env)
        result["province build s"] = round(time.perf_counter() - started, 1)
        # what an administrator runs after loading data (and nightly): it leaves the verified checkpoint,
        # with the store check's state, that every worker starts from
        run(flask + ["audit-verify"], env)
        (data / "province-ready").write_text(datetime.now().isoformat())
    return env, result


def _ensure_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_TEST.replace("+psycopg", ""), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def measure(database: str, base: Path, quick: bool) -> dict:
    env, result = province(database, base, quick)
    url = ["--database-url", env["QMS_DATABASE_URL"]] if "QMS_DATABASE_URL" in env else []
    result.update(run([PY, "benchmarks/pages_bench.py", "--data-dir", env["QMS_DATA_DIR"], *url,
                       *(["--samples", "5", "--seconds", "5", "--rounds", "1"] if quick else [])]))
    pg = database == "postgresql"
    for script in SCRIPTS:
        args = script(quick, pg)
        for key, value in (run([PY, *args], {"PYTHONPATH": str(ROOT)}) if args else {}).items():
            result.setdefault(key, value)  # the province run's worker memory is the one the target names
    return result


# the other measures: each script makes its own data (a throw-away directory, and schema on PostgreSQL)
SCRIPTS = [
    lambda quick, pg: ["benchmarks/audit_first_page.py", *(["--events", "20000", "--procedures", "300",
                                                             "--runs", "3"] if quick else []),
                       *(["--database-url", PG_TEST] if pg else [])],
    # the search index uses no database: measured once, in the first database's run
    lambda quick, pg: [] if pg else ["benchmarks/search_latency.py", *(["--docs", "1000", "--runs", "10"]
                                                                        if quick else [])],
    lambda quick, pg: ["benchmarks/concurrent_saves.py", *(["--saves", "40"] if quick else []),
                       *(["--pg", PG_TEST] if pg else [])],
    lambda quick, pg: ["benchmarks/concurrent_saves.py", "--logins", *(["--saves", "40"] if quick else []),
                       *(["--pg", PG_TEST] if pg else [])],
]


def table(results: dict[str, dict]) -> str:
    dbs = list(results)
    lines = ["| measure | target | " + " | ".join(dbs) + " |", "| --- | --- |" + " --- |" * len(dbs)]
    for label, target, key, ok in TARGETS:
        cells = []
        for db in dbs:
            value = results[db].get(key)
            if value is None and key.startswith(("search", "reindex")) and db != dbs[0]:
                cells.append("(no database involved)")
            elif value is None:
                cells.append("not measured")
            else:
                cells.append(f"{value} {'✓' if ok(value) else '✗'}" if target != "(none)" else str(value))
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--databases", default="sqlite,postgresql")
    ap.add_argument("--dir", default=str(ROOT / "bench-data"))
    ap.add_argument("--quick", action="store_true", help="smaller sizes: checks the scripts, not the targets")
    args = ap.parse_args()
    base = Path(args.dir).resolve()
    results = {db: measure(db, base, args.quick) for db in args.databases.split(",")}
    text = table(results)
    print("\n" + text)
    out = ROOT / "benchmarks" / "results" / f"bench-{datetime.now():%Y%m%d-%H%M}.md"
    out.write_text(f"# make bench, {datetime.now():%d/%m/%Y %H:%M}, load {os.getloadavg()[0]:.1f}\n\n{text}\n")
    print(f"\n(table saved to {out.relative_to(ROOT)})")


if __name__ == "__main__":
    sys.exit(main())
