"""Benchmark of the legal register at the size of a province: normalising numbers, the register page, flagging.

Builds, on SQLite in a temporary directory: N register entries and P issued procedures (database rows only; the
flagging reads the citation mirror, not the store), each citing 5 documents, one of which (decree 61/2018) is cited
by every procedure. Measures: `document_key` per call, the register page (first, filtered and deep pages) through the
test client, and recording a change that flags every citing procedure.

Run: PYTHONPATH=. .venv/bin/python benchmarks/legal_bench.py [--documents 5000] [--procedures 3000] [--repeat 20]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, datetime, timezone

from sqlalchemy import insert, select


def _ms(samples):
    samples = sorted(samples)
    return f"median {statistics.median(samples) * 1000:.1f} ms, p95 {samples[int(0.95 * (len(samples) - 1))] * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--procedures", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from app.legal.numbers import document_key

    texts = ["Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa",
             "Thông tư liên tịch số 55/2015/TTLT-BTC-BKHCN ngày 22/4/2015", "TCVN ISO 9001:2015 Hệ thống",
             "Quyết định số 101/QĐ-BKHCN ngày 21/01/2019 của Bộ trưởng"] * 2500
    start = time.perf_counter()
    for t in texts:
        document_key(t)
    print(f"document_key: {(time.perf_counter() - start) / len(texts) * 1e6:.1f} µs per citation")

    from app import create_app
    from app.auth.models import Unit
    from app.extensions import db
    from app.legal import services
    from app.legal.models import LegalDocument, ProcedureCitation
    from app.procedures.models import Procedure

    tmp = tempfile.mkdtemp()
    app = create_app({"QMS_DATA_DIR": tmp, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.sqlite3",
                      "WTF_CSRF_ENABLED": False, "TESTING": True})
    with app.app_context():
        db.create_all()
        from app.demo import load_demo

        load_demo("bench-password")
        db.session.commit()
        now = datetime.now(timezone.utc)
        kinds = ["decree", "circular", "decision", "law"]
        symbols = ["NĐ-CP", "TT-BKHCN", "QĐ-UBND", "QH14"]
        rows = []
        for i in range(args.documents):
            k = i % 4
            number = f"{i // 4 + 1}/{2000 + i % 25}/{symbols[k]}"
            rows.append(dict(number=number, key=document_key(number), kind=kinds[k], issuer="", title=f"Văn bản {i}",
                             year=2000 + i % 25, status="in_force", note="", created_at=now, updated_at=now,
                             signed_on=date(2000 + i % 25, 1 + i % 12, 1)))
        db.session.execute(insert(LegalDocument), rows)
        target = db.session.scalar(select(LegalDocument).where(LegalDocument.key == "61/2018/ND-CP"))
        if target is None:
            target = LegalDocument(number="61/2018/NĐ-CP", key="61/2018/ND-CP", kind="decree", title="Một cửa",
                                   status="in_force", note="", issuer="")
            db.session.add(target)
        units = db.session.scalars(select(Unit)).all()
        procs = [dict(code=f"QT-B{i // 100:02d}-{i % 100:02d}", title=f"Quy trình {i}", unit_id=units[i % len(units)].id,
                      status="issued", current_revision="x" * 40, current_blob="", issued_revision="x" * 40,
                      issue_number=1, review_comment="", updated_at=now) for i in range(args.procedures)]
        db.session.execute(insert(Procedure), procs)
        ids = db.session.scalars(select(Procedure.id)).all()
        keys = [r["key"] for r in rows[:500]]
        cites = []
        for n, pid in enumerate(ids):
            cites.append(dict(procedure_id=pid, variant="issued", position=0, text="Nghị định 61/2018/NĐ-CP",
                              key="61/2018/ND-CP"))
            for j in range(1, 5):
                cites.append(dict(procedure_id=pid, variant="issued", position=j, text="x", key=keys[(n * 4 + j) % 500]))
        db.session.execute(insert(ProcedureCitation), cites)
        db.session.commit()

        client = app.test_client()
        client.post("/login", data={"username": "thuky", "password": "bench-password"})
        for label, url in (("register, page 1", "/legal/"), ("register, kind+status+cited", "/legal/?kind=decree"
                           "&status=in_force&cited=yes"), ("register, page 150", "/legal/?page=150"),
                           ("register, words", "/legal/?q=61/2018"), ("decree 61 page", f"/legal/{target.id}")):
            samples = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                resp = client.get(url)
                samples.append(time.perf_counter() - t)
                assert resp.status_code == 200, resp.status_code
            print(f"{label:<30} {_ms(samples)}")

        from app.auth.models import User

        secretary = db.session.scalar(select(User).where(User.username == "thuky"))
        t = time.perf_counter()
        change = services.record_change(secretary, target, "amended")
        db.session.commit()
        elapsed = time.perf_counter() - t
        from app.legal.change_reviews import reviews_of_change

        samples = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            assert client.get(f"/legal/changes/{change.id}?page=3").status_code == 200
            samples.append(time.perf_counter() - t)
        print(f"{'change page (page 3 of 60)':<30} {_ms(samples)}")
        print(f"record_change flagging {len(reviews_of_change(change))} procedures: {elapsed:.2f} s "
              f"(one audit event for the change, one per unit)")


if __name__ == "__main__":
    main()
