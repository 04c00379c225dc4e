"""Checks after a save benchmark, run against QMS_DATA_DIR / QMS_DATABASE_URL; reads {code: [markers]} of the
accepted saves on stdin and prints one JSON line with what it found."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.models import AuditEvent  # noqa: E402
from app.audit.verify import verify_all  # noqa: E402
from app.extensions import db  # noqa: E402
from app.procedures import core  # noqa: E402


def main() -> None:
    accepted: dict[str, list[str]] = json.loads(sys.stdin.read())
    result = {}
    fsck = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "qms", "fsck"], cwd=ROOT,
                          capture_output=True, text=True)
    result["fsck_first"] = fsck.stdout.strip().splitlines()[-1] if fsck.stdout.strip() else fsck.stderr[-300:]
    result["fsck_recovered"] = sum(1 for line in fsck.stdout.splitlines() if line.startswith("recorded as recovered"))
    app = create_app()
    with app.app_context():
        st = core.store()
        save_events = Counter()
        for payload in db.session.scalars(select(AuditEvent.payload).where(AuditEvent.action == "procedure.save")):
            save_events[json.loads(payload).get("revision")] += 1
        missing, not_one_event, duplicate_commits = [], [], []
        for code, markers in accepted.items():
            by_marker: dict[str, list[str]] = {}
            for rev in st.history(code):
                text = st.text_at(code, rev.sha) or ""
                for line in text.splitlines():
                    if line.startswith("bench-marker "):
                        by_marker.setdefault(line.split(" ", 1)[1], []).append(rev.sha)
            for marker in markers:
                shas = by_marker.get(marker, [])
                if not shas:
                    missing.append(marker)
                elif len(shas) != 1:
                    duplicate_commits.append(marker)
                elif save_events[shas[0]] != 1:
                    not_one_event.append((marker, save_events[shas[0]]))
        v = verify_all(st)
        result.update(accepted=sum(len(m) for m in accepted.values()), missing=missing[:10],
                      missing_count=len(missing), duplicate_commits=len(duplicate_commits),
                      not_one_event=not_one_event[:10], not_one_event_count=len(not_one_event),
                      audit_verify_ok=v.ok, findings=[f"{f.kind}: {f.message}" for f in v.findings][:10],
                      events=v.events, commits=v.commits)
    second = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "qms", "fsck"], cwd=ROOT,
                            capture_output=True, text=True)
    result["fsck_after"] = second.stdout.strip().splitlines()[-1] if second.stdout.strip() else second.stderr[-300:]
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
