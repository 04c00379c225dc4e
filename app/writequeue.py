"""A first-come, first-served queue of writers across processes, made of files (no server, no Flask).

SQLite lets one writer in at a time, and its own wait is a poll whose sleeps grow to 100 ms: under steady
contention a writer that has waited a while keeps missing the gaps between the others (measured with 8
clients saving: median 247 ms, p95 972 ms). A plain file lock hands on at once but to whichever waiter the
kernel wakes first, so some still wait for many turns. Here each writer takes a numbered ticket (a file in
the queue's directory, named by the machine's monotonic clock, which all processes share) and holds a lock
on it; it goes first once no older ticket is held. A ticket whose process died holds no lock and is cleared
by the next writer that sees it, so a crash never blocks the queue.
"""
from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from pathlib import Path

_BUSY = (errno.EAGAIN, errno.EACCES)


class Ticket:
    """A place in the queue, held until `leave()` (or the process's end)."""

    def __init__(self, path: Path, fd: int):
        self.path, self.fd = path, fd

    def leave(self) -> None:
        try:
            self.path.unlink()
        except OSError:
            pass
        os.close(self.fd)  # closing releases the lock


class WriterQueue:
    def __init__(self, directory: str | os.PathLike):
        self.dir = Path(directory)

    def join(self, wait_seconds: float) -> Ticket | None:
        """Wait until every older ticket is gone, at most `wait_seconds`; the ticket, or None (timed out,
        or the queue's directory cannot be written: the caller then waits its own way)."""
        try:
            self.dir.mkdir(exist_ok=True)
            name = f"{time.monotonic_ns():020d}-{os.getpid()}-{threading.get_ident()}"
            path = self.dir / name
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return None
        fcntl.flock(fd, fcntl.LOCK_EX)  # a new file: nobody else holds it
        ticket = Ticket(path, fd)
        deadline = time.monotonic() + wait_seconds
        pause = 0.0002
        while True:
            try:
                if not self._older_held(name):
                    return ticket
            except OSError:
                ticket.leave()
                return None
            if time.monotonic() >= deadline:
                ticket.leave()
                return None
            time.sleep(pause)  # short and steady: the turn is taken within a millisecond of coming
            pause = min(pause * 2, 0.001)

    def _older_held(self, name: str) -> bool:
        for other in sorted(os.listdir(self.dir)):
            if other >= name:
                return False
            path = self.dir / other
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue  # left just now
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in _BUSY:
                    return True  # an older writer is waiting or writing
                raise
            finally:
                os.close(fd)
            try:
                path.unlink()  # nobody holds it: its process ended without leaving
            except FileNotFoundError:
                pass
        return False
