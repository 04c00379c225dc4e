"""Benchmark of the API against the pages that show the same data, through the Flask test client on the demo.

Measures, as `qlkh.cv` (a token for the API, a session for the pages): the register (API page of 25 vs the
register page), one issued text (API JSON with Markdown and HTML, then a 304 with If-None-Match, vs the
procedure page) and a cycle's compliance (API vs the cycle page). Medians and p95 in milliseconds.

Run: PYTHONPATH=. .venv/bin/python benchmarks/api_bench.py [--repeat 200]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date

from sqlalchemy import select


def _time(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        resp = fn()
        samples.append((time.perf_counter() - start) * 1000)
        assert resp.status_code in (200, 304), resp.status_code
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    from app import create_app
    from app.api import tokens
    from app.auth.models import User
    from app.extensions import db
    from app.reviews import services

    data = tempfile.mkdtemp(prefix="qms-api-bench-")
    app = create_app({"QMS_DATA_DIR": data, "WTF_CSRF_ENABLED": False, "QMS_API_RATE_LIMIT": "1000000 per minute"})
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["qms", "init", "--no-admin"]).exit_code == 0
        assert app.test_cli_runner().invoke(args=["qms", "demo"]).exit_code == 0
        member = db.session.scalar(select(User).where(User.username == "qlkh.cv"))
        secretary = db.session.scalar(select(User).where(User.username == "thuky"))
        year = date.today().year
        if services.get_cycle(year) is None:
            services.open_cycle(secretary, year=year, deadline=date(year, 12, 31))
        secret = tokens.create(member, name="bench", scope="read", days=1).secret
        db.session.commit()
    h = {"Authorization": f"Bearer {secret}"}
    api, page = app.test_client(), app.test_client()
    page.post("/login", data={"username": "qlkh.cv", "password": "demo-password"})
    etag = api.get("/api/v1/procedures/QT-QLKH-01/issued", headers=h).headers["ETag"]
    rows = [
        ("register: API", lambda: api.get("/api/v1/procedures", headers=h)),
        ("register: page", lambda: page.get("/procedures/")),
        ("issued text: API 200", lambda: api.get("/api/v1/procedures/QT-QLKH-01/issued", headers=h)),
        ("issued text: API 304", lambda: api.get("/api/v1/procedures/QT-QLKH-01/issued",
                                                 headers={**h, "If-None-Match": etag})),
        ("issued text: page", lambda: page.get("/procedures/QT-QLKH-01")),
        ("cycle compliance: API", lambda: api.get(f"/api/v1/reviews/cycles/{year}", headers=h)),
        ("cycle compliance: page", lambda: page.get(f"/reviews/{year}")),
    ]
    for label, fn in rows:
        fn()  # warm the caches
        median, p95 = _time(fn, args.repeat)
        print(f"{label:26s} median {median:6.2f} ms   p95 {p95:6.2f} ms")


if __name__ == "__main__":
    main()
