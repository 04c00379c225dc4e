"""Small helpers shared by the store tests: a document factory and plain-git probes."""
from __future__ import annotations

import subprocess

from app.store import ProcedureDocument, ProcedureStore


def make_doc(code: str = "QT-VP-01", body: str = "# 1. Mục đích\n\nKiểm soát tài liệu.\n",
             **fields) -> ProcedureDocument:
    values = dict(
        code=code,
        title="Quy trình kiểm soát tài liệu",
        unit=code.split("-")[1],
        body=body,
        legal_bases=["TCVN ISO 9001:2015"],
    )
    values.update(fields)
    return ProcedureDocument(**values)


def git(store: ProcedureStore, *args: str) -> str:
    """Run plain git in the store, to check what the store claims from the outside."""
    return subprocess.run(["git", *args], cwd=store.root, capture_output=True, text=True, check=True).stdout


def commit_count(store: ProcedureStore) -> int:
    return int(git(store, "rev-list", "--count", "main").strip())
