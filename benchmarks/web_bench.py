"""Document-control pages under measurement: register and issued-procedure view (latency, SQL queries),
and throughput of the issued page under gunicorn compared with a hello-world Flask view in the same run.

    .venv/bin/python benchmarks/web_bench.py [--procedures 3000] [--no-wrk]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.procedures.services import DocumentControl  # noqa: E402
from app.store import ProcedureDocument  # noqa: E402

BODY = (ROOT / "procedures" / "QT-QLKH-01.md").read_text(encoding="utf-8").split("---\n", 2)[2]
UNITS = ["VP", "TTR", "QLKH", "QLCN", "CCTDC", "TTUD"]


class NoIndex:
    def delete(self, *a, **k):
        pass

    def update(self, *a, **k):
        pass


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, n=50):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out), pct(out, 95)


def generate(app, count):
    with app.app_context():
        dc = DocumentControl(index=NoIndex())
        have = db.session.scalar(db.select(db.func.count()).select_from(db.text("procedure")))
        for i in range(have, count):
            unit = UNITS[i % len(UNITS)]
            doc = ProcedureDocument(code=f"QT-{unit}-{i + 100:04d}", title=f"Quy trình số {i} về đăng ký hồ sơ",
                                    unit=unit, body=BODY, issue=1, issued_on=date(2022, 1, 3),
                                    effective_on=date(2022, 1, 10))
            dc.import_document(None, doc)
            if i % 200 == 0:
                db.session.commit()
        db.session.commit()


def count_queries(app, client, url):
    counter = {"n": 0}

    def before(*a, **k):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    client.get(url)
    event.remove(engine, "before_cursor_execute", before)
    return counter["n"]


def wrk(url, cookie=None, seconds=10):
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, int(non2xx.group(1)) if non2xx else 0


def gunicorn(app_spec, port, env):
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", app_spec],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            import urllib.request

            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if "wsgi" in app_spec else
                                   f"http://127.0.0.1:{port}/", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    return proc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--procedures", type=int, default=3000)
    ap.add_argument("--no-wrk", action="store_true")
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="qms-webbench-"))
    os.environ["QMS_DATA_DIR"] = str(data)
    app = create_app({"WTF_CSRF_ENABLED": False})
    runner = app.test_cli_runner()
    runner.invoke(args=["qms", "init", "--no-admin"])
    runner.invoke(args=["qms", "demo"])
    client = app.test_client()
    client.post("/login", data={"username": "bcd", "password": "demo-password"})
    print(f"data dir: {data}")
    for n in (300, args.procedures):
        t = time.perf_counter()
        generate(app, n)
        print(f"\n== {n} procedures (generated in {time.perf_counter() - t:.0f} s) ==")
        q = count_queries(app, client, "/procedures/")
        med, p95 = timed(lambda: client.get("/procedures/"))
        print(f"register page      median {med:6.1f} ms  p95 {p95:6.1f} ms  SQL queries {q}")
        q = count_queries(app, client, "/procedures/?unit=QLKH&sort=-effective&page=3")
        print(f"register filtered  SQL queries {q}")
    code = "QT-QLKH-01"
    q = count_queries(app, client, f"/procedures/{code}")
    med, p95 = timed(lambda: client.get(f"/procedures/{code}"), 200)
    print(f"issued page        median {med:6.1f} ms  p95 {p95:6.1f} ms  SQL queries {q} (HTML cached by blob hash)")
    med, p95 = timed(lambda: client.get(f"/procedures/{code}/history"))
    print(f"history page       median {med:6.1f} ms  p95 {p95:6.1f} ms")
    med, p95 = timed(lambda: client.get(f"/procedures/{code}/diff"))
    print(f"diff page          median {med:6.1f} ms  p95 {p95:6.1f} ms")
    if args.no_wrk or not shutil.which("wrk"):
        return
    env = {**os.environ, "QMS_DATA_DIR": str(data)}
    cookie = "session=" + client.get_cookie("session").value
    hello = gunicorn("benchmarks.hello_app:app", 5811, env)
    qms = gunicorn("wsgi:app", 5812, env)
    try:
        time.sleep(1)
        h1, _ = wrk("http://127.0.0.1:5811/")
        p1, bad = wrk(f"http://127.0.0.1:5812/procedures/{code}", cookie)
        h2, _ = wrk("http://127.0.0.1:5811/")
        p2, bad2 = wrk(f"http://127.0.0.1:5812/procedures/{code}", cookie)
    finally:
        hello.terminate()
        qms.terminate()
    hello_rps, page_rps = (h1 + h2) / 2, (p1 + p2) / 2
    print(f"\ngunicorn 2 sync workers, wrk -t2 -c16 -d10s (two rounds, interleaved):")
    print(f"hello-world view   {hello_rps:8.0f} req/s")
    print(f"issued procedure   {page_rps:8.0f} req/s  (non-2xx: {bad + bad2})  ratio {page_rps / hello_rps:.2f}")


if __name__ == "__main__":
    main()
