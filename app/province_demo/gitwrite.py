"""Phase 2b: every commit and tag of the histories written to the store in one `git fast-import` stream.

The commits go on main in time order after its current tip, each changing one procedure file, with the
author, date and message the store's own save would give; issues and withdrawals become annotated tags
with the store's tag messages (app.store.tags). Afterwards the commit, blob and tag object ids are read
back, the working tree is checked out and the store maintained (commit-graph, packed refs).
"""
from __future__ import annotations

import hashlib
import time
import subprocess
import tempfile
from pathlib import Path

from app.province_demo.histories import Commit, History
from app.store import ProcedureStore, tags as tagfmt
from app.store.document import procedure_path
from app.store.repo import BRANCH, plain_env


def _ident(person, when) -> bytes:
    a = person.author
    return f"{a.name} <{a.email}> {int(when.timestamp())} {when.strftime('%z')}".encode()


def _data(text: str | bytes) -> bytes:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return b"data %d\n" % len(raw) + raw + b"\n"


def blob_id(raw: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


TIMES: dict[str, float] = {}


def _texts():
    """doc -> file bytes; the YAML header is made once per header (saves between issues share it)."""
    headers: dict[tuple, str] = {}

    def text(doc) -> bytes:
        key = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in doc.front_matter().items())
        head = headers.get(key)
        if head is None:
            full = doc.to_text()
            head = headers[key] = full[:len(full) - len(doc.body)]
            return full.encode("utf-8")
        return (head + doc.body).encode("utf-8")

    return text


def write(st: ProcedureStore, histories: list[History], progress=None) -> None:
    """Write every commit and tag; fills in sha, blob, base, tag and tag_object on the histories."""
    commits: list[Commit] = sorted((c for h in histories for c in h.commits), key=lambda c: c.when)
    root = st.root
    started = time.perf_counter()
    with st._lock.hold(), tempfile.TemporaryDirectory() as tmp:
        marks = Path(tmp) / "marks"
        # light compression: the stream writes one root tree per commit (flat layout), zlib is most of the time
        proc = subprocess.Popen(["git", "-c", "pack.compression=1", "fast-import", "--quiet", f"--export-marks={marks}"], cwd=root,
                                env=plain_env(root), stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        out = proc.stdin
        first, text_of = True, _texts()
        for mark, c in enumerate(commits, 1):
            raw = text_of(c.doc)
            c.blob = blob_id(raw)
            message = c.message.strip() + "\n"
            out.write(b"commit refs/heads/%s\nmark :%d\n" % (BRANCH.encode(), mark))
            out.write(b"author " + _ident(c.author, c.when) + b"\ncommitter " + _ident(c.author, c.when) + b"\n")
            out.write(_data(message))
            if first:
                out.write(b"from refs/heads/%s^0\n" % BRANCH.encode())
                first = False
            out.write(b"M 100644 inline %s\n" % procedure_path(c.code, st.layout).encode())
            out.write(_data(raw))
            c.sha = f":{mark}"
            if progress and mark % 200 == 0:
                progress(200)
        for h in histories:
            for c in h.issues:
                c.tag = tagfmt.issue_tag_name(h.code, c.number)
                body = tagfmt.issue_message(h.code, c.number, c.doc.effective_on, c.author.author, c.issue_text)
                out.write(b"tag %s\nfrom %s\ntagger %s\n" % (c.tag.encode(), c.sha.encode(), _ident(c.author, c.when)))
                out.write(_data(body))
            w = h.withdrawal
            if w is not None:
                w.tag = tagfmt.withdrawal_tag_name(h.code, w.on, set())
                body = tagfmt.withdrawal_message(h.code, w.on, w.by.author, w.reason)
                out.write(b"tag %s\nfrom %s\ntagger %s\n" % (w.tag.encode(), h.commits[-1].sha.encode(),
                                                            _ident(w.by, w.when)))
                out.write(_data(body))
        out.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        if proc.wait() != 0:
            raise RuntimeError(f"git fast-import failed: {err}")
        shas = {}
        for line in marks.read_text().splitlines():
            mark, sha = line.split()
            shas[mark] = sha
    TIMES["fast-import"] = time.perf_counter() - started
    started = time.perf_counter()
    for h in histories:
        prev = ""
        for c in h.commits:
            c.sha = shas[c.sha]
            c.base, prev = prev, c.sha
    objects = {t.name: t.obj for t in st.all_tags()}
    for h in histories:
        for c in h.issues:
            c.tag_object = objects[c.tag]
        if h.withdrawal is not None:
            h.withdrawal.tag_object = objects[h.withdrawal.tag]
    TIMES["read back ids"] = time.perf_counter() - started
    # the working tree and index follow main, as after ordinary saves; then the graph and packed refs
    started = time.perf_counter()
    subprocess.run(["git", "reset", "-q", "--hard", BRANCH], cwd=root, env=plain_env(root), check=True)
    st.maintain()
    TIMES["checkout and maintain"] = time.perf_counter() - started
    st.close()
