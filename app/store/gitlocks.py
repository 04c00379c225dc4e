"""Git's own lock files in the store: remove those a killed process left, wait for those a live one holds.

Every writer of ours holds the store's flock around its git commands, so while we hold it, a lock file
of ours can only be left over from a process that died. A lock file is still someone's when a live
process has it open (an administrator's git in the store, our background maintenance): then we wait a
little and give up with StoreBusy, which the pages turn into "try again" with the typed text kept.
"""
from __future__ import annotations

import errno
import os
import time
from pathlib import Path

from app.store.errors import StoreBusy, StoreUnavailable

# the lock files a commit or a tag needs free: index, HEAD, the branch, packed refs
COMMIT_LOCKS = ("index.lock", "HEAD.lock", "refs/heads/main.lock", "packed-refs.lock")
# a lock file younger than this with no process holding it open may be between git's open and write
FRESH_SECONDS = 2.0
UNAVAILABLE_ERRNOS = {errno.EROFS, errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EDQUOT}
UNAVAILABLE_WORDS = ("read-only file system", "no space left", "permission denied", "disk quota exceeded")


def _holders(path: Path) -> list[int]:
    """Pids of live processes that have `path` open (Linux /proc; empty elsewhere)."""
    target = str(path)
    found = []
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return found
    for pid in pids:
        fd_dir = f"/proc/{pid}/fd"
        try:
            for fd in os.listdir(fd_dir):
                try:
                    if os.readlink(f"{fd_dir}/{fd}") == target:
                        found.append(int(pid))
                        break
                except OSError:
                    continue
        except OSError:
            continue
    return found


def stale_locks(gitdir: Path, names=COMMIT_LOCKS) -> list[Path]:
    """Lock files present that no live process has open and that are older than FRESH_SECONDS."""
    out = []
    now = time.time()
    for name in names:
        path = gitdir / name
        try:
            age = now - path.stat().st_mtime
        except FileNotFoundError:
            continue
        if age >= FRESH_SECONDS and not _holders(path):
            out.append(path)
    return out


def clear_git_locks(gitdir: Path, wait_seconds: float = 5.0, names=COMMIT_LOCKS) -> list[str]:
    """Call only while holding the store lock. Remove stale lock files; wait for live ones.

    Returns the names removed; raises StoreBusy if a lock is still held after `wait_seconds`.
    """
    removed: list[str] = []
    deadline = time.monotonic() + wait_seconds
    delay = 0.01
    while True:
        present = [gitdir / n for n in names if (gitdir / n).exists()]
        if not present:
            return removed
        held = []
        now = time.time()
        for path in present:
            try:
                age = now - path.stat().st_mtime
            except FileNotFoundError:
                continue
            if _holders(path) or age < FRESH_SECONDS and time.monotonic() < deadline:
                held.append(path)
                continue
            try:
                path.unlink()
                removed.append(str(path.relative_to(gitdir)))
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise unavailable(exc) from exc
        if not held:
            return removed
        if time.monotonic() >= deadline:
            names_held = ", ".join(str(p.relative_to(gitdir)) for p in held)
            raise StoreBusy(f"The procedure store is in use by another program ({names_held}); try again")
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def unavailable(exc: OSError) -> StoreUnavailable:
    return StoreUnavailable(f"The procedure store cannot be written: {exc.strerror or exc}")


def is_unavailable_os_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in UNAVAILABLE_ERRNOS


def classify_git_error(stderr: str) -> type | None:
    """StoreBusy / StoreUnavailable for a failed git command's message, None if it is neither."""
    text = (stderr or "").lower()
    if ".lock" in text and ("file exists" in text or "unable to create" in text):
        return StoreBusy
    if any(word in text for word in UNAVAILABLE_WORDS):
        return StoreUnavailable
    return None
