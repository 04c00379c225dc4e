"""Benchmark of the Office paths: a procedure to PDF and to DOCX, and a Word procedure read for import.

Uses the largest procedure shipped in procedures/ (and the same body repeated 5 times, a long procedure)
and the three samples in procedures/samples/. No database, no Flask: the core writers and reader only.

Run: PYTHONPATH=. .venv/bin/python benchmarks/office_bench.py [--repeat 20]
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from app.office.docx_in import read_docx
from app.office.docx_out import render_docx
from app.office.pdf import render_pdf
from app.office.sheet import Sheet
from app.store import parse

ROOT = Path(__file__).resolve().parents[1]


def _sheet(body: str, doc) -> Sheet:
    return Sheet(agency="Sở Khoa học và Công nghệ", code=doc.code, title=doc.title, unit=doc.unit, issue="3",
                 issued_on="21/02/2022", effective_on="01/03/2022", drafted_by=doc.drafted_by,
                 reviewed_by=doc.reviewed_by, approved_by=doc.approved_by, body=body,
                 marking="TÀI LIỆU KHÔNG KIỂM SOÁT KHI IN – In bởi Nguyễn Thị Lan lúc 08:00 30/11/2026",
                 legal_bases=doc.legal_bases, amendments=[(str(i), "01/01/2022", "01/02/2022", "Sửa đổi", "Lãnh đạo")
                                                          for i in range(1, 4)])


def _time(fn, repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 1), "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 1),
            "bytes": len(out) if isinstance(out, (bytes, bytearray)) else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    path = max((ROOT / "procedures").glob("QT-*.md"), key=lambda p: p.stat().st_size)
    doc = parse(path.read_text(encoding="utf-8"))
    results = {"procedure": path.name, "body_kb": round(len(doc.body.encode()) / 1024, 1)}
    for label, body in (("normal", doc.body), ("5x", "\n".join([doc.body] * 5))):
        sheet = _sheet(body, doc)
        results[f"pdf_{label}"] = _time(lambda: render_pdf(sheet), args.repeat)
        results[f"docx_{label}"] = _time(lambda: render_docx(sheet), args.repeat)
    for sample in sorted((ROOT / "procedures" / "samples").glob("*.docx")):
        data = sample.read_bytes()
        results[f"import_{sample.stem}"] = _time(lambda: read_docx(sample.name, data), args.repeat)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
