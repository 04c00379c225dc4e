"""Streaming reader of every commit in the store, for audits that check git against the database."""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

import git

from app.store.records import CommitInfo

# RS opens a record, NUL separates fields, US closes the message; the NUL-separated
# path list that -z --name-only prints after it can then never be mistaken for fields.
_FORMAT = "%x1e%H%x00%P%x00%an%x00%ae%x00%aI%x00%B%x1f"


def _parse(record: bytes) -> CommitInfo | None:
    head, sep, tail = record.partition(b"\x1f")
    if not sep:
        return None
    fields = head.decode("utf-8", "replace").split("\0")
    if len(fields) != 6:
        return None
    sha, parents, name, email, when, message = fields
    paths = tuple(p for p in tail.decode("utf-8", "replace").lstrip("\0\n").split("\0") if p)
    return CommitInfo(sha, tuple(parents.split()), name, email, datetime.fromisoformat(when),
                      message.rstrip("\n"), paths)


def iter_commits(g: git.Git, branch: str, oldest_first: bool = False) -> Iterator[CommitInfo]:
    args = ["-z", "--name-only", "--no-renames", f"--format={_FORMAT}"]
    if oldest_first:
        args.append("--reverse")
    proc = g.log(*args, branch, "--", as_process=True)
    buffer = b""
    finished = False
    try:
        while True:
            chunk = proc.stdout.read(65536)
            if not chunk:
                break
            buffer += chunk
            *complete, buffer = buffer.split(b"\x1e")
            for record in complete:
                info = _parse(record) if record else None
                if info:
                    yield info
        info = _parse(buffer) if buffer else None
        if info:
            yield info
        finished = True
    finally:
        proc.stdout.close()
        try:
            proc.wait()
        except git.GitCommandError:
            if finished:  # an abandoned iteration kills git with SIGPIPE; only a real failure matters
                raise
