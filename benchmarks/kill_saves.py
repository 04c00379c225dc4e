"""Saves while processes die: kill -9 of a gunicorn worker, then of the whole server, during saves, repeated.

After the last round the server is stopped, `qms fsck` records any commit whose process died between the
store and the database as a "recovered" event, and the checks run: every accepted save (answered 302) is
in the store as one commit with one save event, a second fsck finds nothing, and audit-verify passes.

    .venv/bin/python benchmarks/kill_saves.py [--rounds 3] [--clients 6] [--pg URL]
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from saves_common import CODES, Client, Installation, check  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3, help="each round: two worker kills, then a server kill")
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--port", type=int, default=5102)
    ap.add_argument("--pg", default=None)
    args = ap.parse_args()
    inst = Installation(args.pg, args.port, 4)
    accepted: dict[str, list[str]] = {}
    answers: Counter = Counter()
    kills: Counter = Counter()
    lock = threading.Lock()
    stop = threading.Event()

    def saver(i: int):
        code = CODES[i % len(CODES)]
        client, n, signed_in = Client(inst.url), 0, False
        while not stop.is_set():
            try:
                if not signed_in:
                    signed_in = client.login() == 302
                    continue
                marker = f"k{i}-{n}"
                n += 1
                status, _ms = client.save(code, f"Nội dung khi tiến trình bị dừng.\n\nbench-marker {marker}\n")
            except (OSError, http.client.HTTPException):  # refused or cut off: the server or the worker died
                with lock:
                    answers["no answer"] += 1
                time.sleep(0.2)
                continue
            with lock:
                answers[status] += 1
                if status == 302:
                    accepted.setdefault(code, []).append(marker)

    try:
        inst.start()
        threads = [threading.Thread(target=saver, args=(i,), daemon=True) for i in range(args.clients)]
        for t in threads:
            t.start()
        for _round in range(args.rounds):
            for _ in range(2):
                time.sleep(random.uniform(1.5, 3.0))
                pids = inst.worker_pids()
                if pids:
                    os.kill(random.choice(pids), signal.SIGKILL)
                    kills["worker"] += 1
            time.sleep(random.uniform(1.5, 3.0))
            inst.kill_all()
            kills["server"] += 1
            time.sleep(0.5)
            inst.start()
        time.sleep(3)
        stop.set()
        for t in threads:
            t.join(90)
        inst.stop()
        result = check(inst, accepted)
    finally:
        stop.set()
        inst.cleanup()
    server_errors = sum(n for s, n in answers.items() if isinstance(s, int) and s >= 500)
    print(f"database: {'PostgreSQL' if args.pg else 'SQLite'}; kills: {dict(kills)}")
    print(f"answers: {dict(answers)}  (302 = accepted; 'no answer' = the process was killed meanwhile)")
    print(f"server errors: {server_errors}")
    print(f"accepted saves: {result['accepted']}; missing from the store: {result['missing_count']}; "
          f"in more than one commit: {result['duplicate_commits']}; "
          f"commit without exactly one save event: {result['not_one_event_count']}")
    print(f"fsck after restart: {result['fsck_first']} (recorded {result['fsck_recovered']} as recovered)")
    print(f"fsck again: {result['fsck_after']}")
    print(f"audit-verify: {'OK' if result['audit_verify_ok'] else 'FAILED'} "
          f"({result['events']} events, {result['commits']} commits) {result['findings'] or ''}")
    ok = (result["missing_count"] == 0 and result["duplicate_commits"] == 0 and result["not_one_event_count"] == 0
          and result["audit_verify_ok"] and "agree" in result["fsck_after"])
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
