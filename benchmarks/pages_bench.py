"""Every page as its users see it, and the throughput of the two busiest pages against Flask's own ceiling.

1. Crawl: signed in as each demo role, follow the menu's and the pages' links (same site, GET, no files or
   exports), one or two addresses per endpoint, then time each address N times through the app in this
   process (first view after a change, and views served from the shared page cache, both count). Prints
   median and p95 per endpoint and the worst p95.
2. Throughput (needs wrk): gunicorn with 2 sync workers, wrk with 16 connections, the issued procedure page
   and the register (first page) signed in, against a hello-world Flask view, interleaved in one run.

    .venv/bin/python benchmarks/pages_bench.py --data-dir DIR [--database-url URL] [--samples 20] [--no-wrk]

DIR is a data directory with a loaded database (e.g. made by `qms demo --scale province`); without
--database-url the SQLite database inside it is used.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict, deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROLES = ["thuky", "lanhdao", "bcd", "admin", "qlkh.cv", "qlkh.tp"]
PASSWORD = "demo-password"
SKIP_SUFFIXES = (".xlsx", ".csv", ".docx", ".pdf", ".zip", ".json", ".ico", ".png", ".svg")
SKIP_PARTS = ("/logout", "/static/", "/language/", "export", "download", "/api/", "/files/")
HREF = re.compile(r'href="(/[^"#]*)')


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def make_app(data_dir: str, database_url: str | None):
    os.environ["QMS_DATA_DIR"] = data_dir
    if database_url:
        os.environ["QMS_DATABASE_URL"] = database_url
    from app import create_app

    return create_app({"WTF_CSRF_ENABLED": False, "QMS_SMTP_HOST": ""})


BENCH_AGENT = "qms-bench"


def sign_in(app, username):
    """A browser as wrk will be: its own User-Agent (session protection compares it), and a session that
    already holds its CSRF token (a real browser keeps the cookie each page sets; wrk sends the same one)."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = BENCH_AGENT
    resp = client.post("/login", data={"username": username, "password": PASSWORD})
    if resp.status_code != 302:
        return None
    client.get("/procedures/")
    return client


def crawl(app, client, per_endpoint: int, limit: int) -> dict[str, list[str]]:
    adapter = app.url_map.bind("localhost")
    found: dict[str, list[str]] = defaultdict(list)
    queue, seen = deque(["/"]), {"/"}
    while queue and sum(len(v) for v in found.values()) < limit:
        url = queue.popleft()
        try:
            endpoint, _ = adapter.match(urlsplit(url).path, method="GET")
        except Exception:
            continue
        if len(found[endpoint]) >= per_endpoint:
            continue
        resp = client.get(url)
        if resp.status_code != 200 or resp.mimetype != "text/html":
            continue
        found[endpoint].append(url)
        for href in HREF.findall(resp.get_data(as_text=True)):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if href in seen or href.endswith(SKIP_SUFFIXES) or any(p in href for p in SKIP_PARTS):
                continue
            seen.add(href)
            queue.append(href)
    return found


def time_pages(app, roles, samples: int, per_endpoint: int, limit: int):
    from app.warmup import settle

    rows, found = {}, {}
    for username in roles:
        client = sign_in(app, username)
        if client is None:
            print(f"  (no account {username}: skipped)")
            continue
        found[username] = (client, crawl(app, client, per_endpoint, limit))
    settle()  # as a gunicorn worker does after its warm-up (gunicorn.conf.py)
    for username, (client, pages) in found.items():
        for endpoint, urls in sorted(pages.items()):
            times = []
            for url in urls:
                client.get(url)  # the process's first view of a template compiles it: not what is measured
                for _ in range(samples):
                    t = time.perf_counter()
                    client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
            med, p95 = statistics.median(times), pct(times, 95)
            if endpoint not in rows or rows[endpoint][2] < p95:
                rows[endpoint] = (username, med, p95, urls[0])
    return rows


def gunicorn(spec: str, port: int, env: dict):
    conf = str(ROOT / "gunicorn.conf.py") if spec.startswith("wsgi") else "/dev/null"
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", conf, "-w", "2", "-b", f"127.0.0.1:{port}", spec],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login" if "wsgi" in spec else
                                   f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except Exception:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"gunicorn {spec} did not start")


def worker_rss(master_pid: int) -> list[float]:
    """Resident memory (MB) of each worker of a gunicorn master."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    out = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out.append(round(int(line.split()[1]) / 1024, 1))
    return out


def wrk(url: str, cookie: str | None = None, seconds: int = 10) -> tuple[float, int]:
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-H", f"User-Agent: {BENCH_AGENT}", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


def throughput(app, data_dir: str, database_url: str | None, code: str, seconds: int, rounds: int) -> dict:
    client = sign_in(app, "bcd")
    cookie = "session=" + client.get_cookie("session").value
    env = {**os.environ, "QMS_DATA_DIR": data_dir}
    if database_url:
        env["QMS_DATABASE_URL"] = database_url
    hello = gunicorn("benchmarks.hello_app:app", 5821, env)
    qms = gunicorn("wsgi:app", 5822, env)
    pages = {"issued procedure page": f"/procedures/{code}", "register (first page)": "/procedures/"}
    out = defaultdict(list)
    try:
        for path in pages.values():  # each worker's first view of each page is not what is measured
            wrk(f"http://127.0.0.1:5822{path}", cookie, 2)
        for _ in range(rounds):
            out["hello"].append(wrk("http://127.0.0.1:5821/", None, seconds)[0])
            for name, path in pages.items():
                rps, bad = wrk(f"http://127.0.0.1:5822{path}", cookie, seconds)
                out[name].append(rps)
                out[name + " errors"].append(bad)
        rss = worker_rss(qms.pid)
    finally:
        hello.terminate()
        qms.terminate()
    hello_rps = statistics.median(out["hello"])
    result = {"hello-world req/s": round(hello_rps), "worker RSS max MB": max(rss) if rss else None}
    for name in pages:
        rps = statistics.median(out[name])
        result[f"{name} req/s"] = round(rps)
        result[f"{name} ratio"] = round(rps / hello_rps, 3)
        result[f"{name} non-2xx"] = sum(out[name + " errors"])
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--database-url")
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--per-endpoint", type=int, default=2)
    ap.add_argument("--limit", type=int, default=400, help="addresses per role at most")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--no-wrk", action="store_true")
    ap.add_argument("--no-crawl", action="store_true")
    args = ap.parse_args()
    data_dir = str(Path(args.data_dir).resolve())
    app = make_app(data_dir, args.database_url)
    result = {}
    with app.app_context():
        from sqlalchemy import select

        from app.extensions import db
        from app.procedures.models import Procedure

        code = db.session.scalar(select(Procedure.code).where(Procedure.status == "issued").order_by(Procedure.id))
    print(f"data: {data_dir} ({args.database_url or 'SQLite'})")
    if not args.no_crawl:
        rows = time_pages(app, ROLES, args.samples, args.per_endpoint, args.limit)
        print(f"\n{'endpoint':44} {'as':9} {'median':>8} {'p95':>8}  address")
        for endpoint, (user, med, p95, url) in sorted(rows.items(), key=lambda r: -r[1][2]):
            print(f"{endpoint:44} {user:9} {med:8.1f} {p95:8.1f}  {url}")
        worst = max(rows.items(), key=lambda r: r[1][2])
        result["pages measured"] = len(rows)
        result["every page p95 ms (worst)"] = round(worst[1][2], 1)
        result["worst page"] = worst[0]
    if not args.no_wrk and shutil.which("wrk"):
        result.update(throughput(app, data_dir, args.database_url, code, args.seconds, args.rounds))
        print("\ngunicorn 2 sync workers, wrk -t2 -c16, signed in, median of rounds:")
        for key, value in result.items():
            if "req/s" in key or "ratio" in key or "non-2xx" in key or "RSS" in key:
                print(f"  {key:40} {value}")
    elif not args.no_wrk:
        print("\nwrk not found: throughput not measured (Debian: apt-get install wrk)")
    print("BENCH-RESULT " + json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
