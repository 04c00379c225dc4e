"""Saves under contention: 4 gunicorn workers, 8 concurrent clients, 200 saves through the editor (with
--logins, while a ninth client signs in and out: a stress beyond the target's 8 clients, since each sign-in
keeps a worker on its deliberately slow password hash). Counts server errors, checks that every accepted save is one commit with one
audit event and that no commit lacks its event, that `qms fsck` finds nothing to repair and that
`qms audit-verify` passes; prints the save latency (median, p95) and the resident memory of each worker at
the end of the run (VmRSS from /proc), then one line `BENCH-RESULT {json}`.

    .venv/bin/python benchmarks/concurrent_saves.py [--saves 200] [--clients 8] [--workers 4] [--port 5101] [--logins]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]   # PostgreSQL in a fresh schema
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from saves_common import CODES, Client, Installation, check, pct  # noqa: E402


def run(inst: Installation, saves: int, clients: int, sign_ins: bool) -> dict:
    statuses: Counter = Counter()
    latencies: list[float] = []
    accepted: dict[str, list[str]] = {}
    logins: Counter = Counter()
    lock = threading.Lock()
    done = threading.Event()
    per_client = saves // clients

    def saver(i: int):
        code = CODES[i % len(CODES)]
        client = Client(inst.url)
        with lock:
            logins[client.login()] += 1
        for n in range(per_client):
            marker = f"c{i}-{n}"
            status, ms = client.save(code, f"Nội dung đo tải.\n\nbench-marker {marker}\n")
            with lock:
                statuses[status] += 1
                if status == 302:
                    latencies.append(ms)
                    accepted.setdefault(code, []).append(marker)

    def login_loop():
        while not done.is_set():
            client = Client(inst.url, "qlkh.cv")
            with lock:
                logins[client.login()] += 1

    threads = [threading.Thread(target=saver, args=(i,)) for i in range(clients)]
    side = threading.Thread(target=login_loop)
    started = time.perf_counter()
    if sign_ins:
        side.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    done.set()
    if side.is_alive():
        side.join()
    return {"statuses": dict(statuses), "latencies": latencies, "accepted": accepted, "logins": dict(logins),
            "elapsed": elapsed}


def worker_rss_mb(inst: Installation) -> list[float]:
    """Resident memory of each gunicorn worker (VmRSS), in MB."""
    sizes = []
    for pid in inst.worker_pids():
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return sizes


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--saves", type=int, default=200)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--port", type=int, default=5101)
    ap.add_argument("--logins", action="store_true", help="a ninth client signs in and out during the run")
    ap.add_argument("--database-url", "--pg", dest="pg", default=None,
                    help="PostgreSQL URL (a fresh schema is made and dropped); SQLite in a temporary dir without it")
    args = ap.parse_args()
    inst = Installation(args.pg, args.port, args.workers)
    try:
        inst.start()
        rss_start = worker_rss_mb(inst)
        out = run(inst, args.saves, args.clients, args.logins)
        rss = worker_rss_mb(inst)
        inst.stop()
        result = check(inst, out["accepted"])
    finally:
        inst.cleanup()
    lat = out["latencies"]
    errors = sum(n for s, n in out["statuses"].items() if s >= 500)
    print(f"database: {'PostgreSQL' if args.pg else 'SQLite'}; {args.workers} gunicorn workers, "
          f"{args.clients} clients, {sum(out['statuses'].values())} saves in {out['elapsed']:.1f} s")
    print(f"answers: {out['statuses']}  (302 = accepted; 409 = someone saved first, text kept)")
    print(f"server errors: {errors}")
    print(f"logins during the run: {out['logins']}  (302 = signed in)")
    if lat:
        print(f"save latency: median {statistics.median(lat):.0f} ms, p95 {pct(lat, 95):.0f} ms "
              f"({len(lat)} accepted saves)")
    print(f"accepted saves missing from the store: {result['missing_count']}; "
          f"in more than one commit: {result['duplicate_commits']}; "
          f"commit without exactly one save event: {result['not_one_event_count']}")
    print(f"fsck: {result['fsck_first']} (recovered {result['fsck_recovered']})")
    print(f"audit-verify: {'OK' if result['audit_verify_ok'] else 'FAILED'} "
          f"({result['events']} events, {result['commits']} commits) {result['findings'] or ''}")
    if rss:
        print(f"worker memory (VmRSS) after start: {', '.join(f'{v:.0f}' for v in rss_start)} MB; "
              f"at the end: {', '.join(f'{v:.0f}' for v in rss)} MB")
    ok = (errors == 0 and result["missing_count"] == 0 and result["duplicate_commits"] == 0
          and result["not_one_event_count"] == 0 and result["fsck_recovered"] == 0
          and "agree" in result["fsck_first"] and result["audit_verify_ok"])
    print("RESULT:", "PASS" if ok else "FAIL")
    suffix = " (with sign-ins)" if args.logins else ""
    print("BENCH-RESULT " + json.dumps({
        "save median ms" + suffix: round(statistics.median(lat), 1) if lat else None,
        "save p95 ms" + suffix: round(pct(lat, 95), 1) if lat else None,
        # answers other than "saved" or "someone saved first", and saves lost, doubled or without one event
        "save errors" + suffix: sum(n for s, n in out["statuses"].items() if s not in (302, 409))
        + result["missing_count"] + result["duplicate_commits"] + result["not_one_event_count"],
        "fsck and audit-verify clean": int(result["fsck_recovered"] == 0 and "agree" in result["fsck_first"]
                                           and result["audit_verify_ok"]),
        "worker RSS max MB": round(max(rss), 1) if rss else None,
    }))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
