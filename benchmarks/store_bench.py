"""Benchmark of the procedure store on a generated repository, against plain git doing the same reads.

Run: PYTHONPATH=. .venv/bin/python benchmarks/store_bench.py [--procedures 3000 --revisions 10 --layout flat]
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from app.store import Author, ProcedureDocument, ProcedureStore, procedure_path
from app.store.repo import plain_env
from app.store.tags import issue_message

VN = timezone(timedelta(hours=7))
UNITS = ["VP", "QLKH", "CCTDC", "KHTC", "TTRA", "QLCN", "SHTT", "ATBXHN", "TTUD", "TTTT"]
PEOPLE = [Author("Nguyễn Văn An", "an@skhcn.example.vn"), Author("Trần Thị Bình", "binh@skhcn.example.vn"),
          Author("Phạm Thị Dung", "dung@skhcn.example.vn"), Author("Hoàng Văn Em", "em@skhcn.example.vn")]
APPROVER = Author("Lê Văn Cường", "cuong@skhcn.example.vn")


def procedure_codes(n: int) -> list[str]:
    per_unit = -(-n // len(UNITS))
    return [f"QT-{unit}-{i:02d}" for unit in UNITS for i in range(1, per_unit + 1)][:n]


def body(code: str, revision: int) -> str:
    steps = "\n".join(
        f"| {s} | {'Phòng ' + code.split('-')[1]} | Bước {s}: tiếp nhận, thẩm định hồ sơ"
        f"{' (sửa đổi lần ' + str(revision) + ')' if s == revision % 12 else ''} | {s} ngày | BM-{s:02d} |"
        for s in range(1, 13))
    return (
        f"# 1. Mục đích\n\nQuy định trình tự giải quyết thủ tục {code} tại Sở Khoa học và Công nghệ.\n\n"
        "# 2. Phạm vi\n\nÁp dụng đối với tổ chức, cá nhân và các phòng chuyên môn thuộc Sở.\n\n"
        "# 3. Tài liệu viện dẫn\n\n- TCVN ISO 9001:2015\n- Luật Khoa học và Công nghệ năm 2013\n"
        "- Nghị định số 08/2014/NĐ-CP\n\n# 4. Định nghĩa / viết tắt\n\n- KH&CN: Khoa học và Công nghệ\n"
        "- TN&TKQ: Tiếp nhận và trả kết quả\n\n# 5. Nội dung quy trình\n\n"
        "| Bước | Trách nhiệm | Nội dung | Thời gian | Biểu mẫu |\n|---|---|---|---|---|\n"
        f"{steps}\n\n# 6. Biểu mẫu\n\n- BM-01: Đơn đề nghị\n- BM-02: Phiếu kiểm soát quá trình\n\n"
        "# 7. Hồ sơ cần lưu\n\nHồ sơ được lưu tại phòng chuyên môn trong thời hạn 05 năm.\n"
    )


def document(code: str, revision: int, issue: int, effective: date | None) -> ProcedureDocument:
    return ProcedureDocument(
        code=code, title=f"Quy trình giải quyết thủ tục {code}", unit=code.split("-")[1], body=body(code, revision),
        issue=issue, issued_on=effective, effective_on=effective, drafted_by="Nguyễn Văn An",
        reviewed_by="Trần Thị Bình", approved_by="Lê Văn Cường" if issue else "",
        legal_bases=["TCVN ISO 9001:2015", "Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014"])


def generate(store: ProcedureStore, procedures: int, revisions: int) -> dict[str, list[tuple[int, str]]]:
    """Write N x R commits (and issue tags) with git fast-import; return issued (number, sha) per code."""
    codes = procedure_codes(procedures)
    issued_at = sorted({1, max(1, revisions // 2), revisions})
    marks_file = store.root / ".git" / "bench-marks"
    proc = subprocess.Popen(["git", "fast-import", "--quiet", f"--export-marks={marks_file}"], cwd=store.root,
                            env=plain_env(store.root), stdin=subprocess.PIPE)
    write = proc.stdin.write
    clock = datetime(2015, 1, 1, 8, 0, tzinfo=VN)
    mark, first, tags = 0, True, []
    for r in range(1, revisions + 1):
        for i, code in enumerate(codes):
            mark += 1
            clock += timedelta(minutes=7)
            who = PEOPLE[(i + r) % len(PEOPLE)]
            number = issued_at.index(r) + 1 if r in issued_at else 0
            effective = (clock + timedelta(days=15)).date() if number else None
            data = document(code, r, number, effective).to_text().encode()
            msg = f"{code}: sửa đổi lần {r}".encode()
            stamp = f"{int(clock.timestamp())} +0700"
            write(f"commit refs/heads/main\nmark :{mark}\n".encode())
            write(f"author {who.ident} {stamp}\ncommitter {who.ident} {stamp}\n".encode())
            write(f"data {len(msg)}\n".encode() + msg + b"\n")
            if first:
                write(b"from refs/heads/main^0\n")
                first = False
            write(f"M 100644 inline {procedure_path(code, store.layout)}\ndata {len(data)}\n".encode() + data + b"\n")
            if number:
                tags.append((code, number, mark, effective, stamp))
    for code, number, m, effective, stamp in tags:
        text = issue_message(code, number, effective, APPROVER, f"Ban hành lần {number}").encode()
        write(f"tag {code}/issue-{number}\nfrom :{m}\ntagger {APPROVER.ident} {stamp}\n".encode())
        write(f"data {len(text)}\n".encode() + text + b"\n")
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=store.root, env=plain_env(store.root), check=True)
    shas = dict(line.split() for line in marks_file.read_text().splitlines())
    issued: dict[str, list[tuple[int, str]]] = {}
    for code, number, m, _e, _s in tags:
        issued.setdefault(code, []).append((number, shas[f":{m}"]))
    return issued


BUDGET_SECONDS = 60.0  # per operation; slow ones (history without commit-graph) stop early
MIN_SAMPLES = 10


def timed(fn, inputs: list) -> tuple[float, float, int]:
    """(median, p95, samples) in ms of fn over prepared inputs, so only the operation is timed."""
    samples = []
    deadline = time.monotonic() + BUDGET_SECONDS
    for item in inputs:
        start = time.perf_counter()
        fn(item)
        samples.append((time.perf_counter() - start) * 1000)
        if len(samples) >= MIN_SAMPLES and time.monotonic() > deadline:
            break
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], len(samples)


def measure(store: ProcedureStore, issued: dict, runs: int, seed: int) -> list:
    rng = random.Random(seed)
    codes = sorted(issued)
    sample = lambda: [rng.choice(codes) for _ in range(runs)]  # noqa: E731
    env = plain_env(store.root)
    run = lambda *a: subprocess.run(["git", *a], cwd=store.root, env=env, capture_output=True, check=True)  # noqa: E731
    who = PEOPLE[0]
    drafts = iter(range(seed * 10**6, 10**9))

    # An editor saves against the revision it loaded, so the base is known before the save.
    save_codes = sample()
    heads = {code: store.head(code) for code in set(save_codes)}
    save_inputs = [(code, next(drafts)) for code in save_codes]

    def store_save(item):
        code, n = item
        heads[code] = store.save(document(code, 1000 + n, 0, None), heads[code], who, f"Bản nháp {n}")

    git_inputs = [(code, next(drafts)) for code in sample()]
    git_texts = {item: document(item[0], 1000 + item[1], 0, None).to_text() for item in git_inputs}

    def git_save(item):
        code, n = item
        (store.root / procedure_path(code, store.layout)).write_text(git_texts[item], encoding="utf-8")
        run("add", "--", procedure_path(code, store.layout))
        run("-c", f"user.name={who.name}", "-c", f"user.email={who.email}", "commit", "-q", "-m",
            f"Bản nháp {n}", "--", procedure_path(code, store.layout))

    log_format = "--format=%H%x00%an%x00%ae%x00%aI%x00%B"
    # A store object that has read nothing yet: its first read of a code must find the
    # commit that last changed the file, later reads only check that main has not moved.
    cold = ProcedureStore(store.root, maintain_every=0)
    cold_codes = rng.sample(codes, min(runs, len(codes)))
    issued_pairs = lambda: [(c, issued[c][0][1], issued[c][-1][1]) for c in sample()]  # noqa: E731
    rows = [
        ("save a draft", timed(store_save, save_inputs), timed(git_save, git_inputs)),
        ("history of one procedure", timed(store.history, sample()),
         timed(lambda c: run("log", "-z", log_format, "main", "--", procedure_path(c, store.layout)), sample())),
        ("read an issued revision", timed(lambda p: store.read(p[0], p[2]), issued_pairs()),
         timed(lambda p: run("show", f"{p[2]}:{procedure_path(p[0], store.layout)}"), issued_pairs())),
        ("diff of two issued revisions", timed(lambda p: store.unified_diff(*p), issued_pairs()),
         timed(lambda p: run("diff", p[1], p[2], "--", procedure_path(p[0], store.layout)), issued_pairs())),
        ("read current, first time", timed(cold.read, cold_codes),
         timed(lambda c: run("show", f"main:{procedure_path(c, store.layout)}"), sample())),
        ("read current, again", timed(cold.read, cold_codes), None),
        ("issue in force on a date", timed(lambda c: store.in_force_on(c, date(2016, 1, 1)), sample()), None),
    ]
    cold.close()
    return rows


def report(title: str, rows) -> None:
    print(f"\n{title}")
    print(f"{'operation':30} {'store median':>12} {'p95':>10} {'n':>4} {'git median':>11} {'p95':>10} {'n':>4}"
          f" {'ratio':>6}")
    for name, (med, p95, n), plain in rows:
        line = f"{name:30} {med:10.2f}ms {p95:8.2f}ms {n:4d}"
        if plain:
            line += f" {plain[0]:9.2f}ms {plain[1]:8.2f}ms {plain[2]:4d} {med / plain[0]:6.2f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=3000)
    parser.add_argument("--revisions", type=int, default=10)
    parser.add_argument("--runs", type=int, default=200, help="samples per operation")
    parser.add_argument("--dir", type=Path, help="where to build the store (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the generated store")
    parser.add_argument("--layout", choices=["flat", "series"], default="flat",
                        help="store layout: <CODE>.md or <series>/<CODE>.md")
    args = parser.parse_args()

    base = args.dir or Path(tempfile.mkdtemp(prefix="store-bench-"))
    root = base / "store"
    if root.exists():
        shutil.rmtree(root)
    store = ProcedureStore(root, layout=args.layout)
    try:
        start = time.perf_counter()
        issued = generate(store, args.procedures, args.revisions)
        generated = time.perf_counter() - start
        commits = subprocess.run(["git", "rev-list", "--count", "main"], cwd=root, capture_output=True,
                                 text=True, env=plain_env(root)).stdout.strip()
        tags = sum(len(v) for v in issued.values())
        print(f"{args.layout} store: {args.procedures} procedures x {args.revisions} revisions = {commits} commits, "
              f"{tags} issue tags, generated in {generated:.1f} s ({root})")
        store.maintain_every = 0  # keep the first round free of any commit-graph
        report("without commit-graph", measure(store, issued, args.runs, seed=1))
        start = time.perf_counter()
        store.maintain()
        print(f"\nstore.maintain() (commit-graph write --reachable --changed-paths, pack-refs --all): "
              f"{time.perf_counter() - start:.2f} s")
        store.maintain_every = 100  # as in production: a background layer every 100 saves
        report("with commit-graph and changed-path Bloom filters", measure(store, issued, args.runs, seed=2))
        start = time.perf_counter()
        store._git.commit_graph("write", "--reachable", "--changed-paths", "--split")
        print(f"\nincremental layer after that round's saves (what the store does every "
              f"100 commits): {time.perf_counter() - start:.2f} s")
    finally:
        store.close()
        if not args.keep and not args.dir:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
