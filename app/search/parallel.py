"""Helper processes for the rebuild: each analyses the chunks of documents it is sent and writes them as a
segment of its own in the new generation, while the rebuilding process reads the next documents.

Analysis and writing the postings are pure Python (the GIL): on a machine of two cores, two helpers rebuild
10,000 procedures in about 60% of the time of one process, and reading the store (mostly waiting for git)
overlaps with them. A helper is a plain interpreter started with `python -m app.search.parallel`, not a
fork: the rebuild may run in a process with other threads. It reads pickled chunks of field dicts on stdin
(None ends them), writes its segment's files without touching the table of contents, and answers with the
pickled Segment on stdout, after lines telling how far it got (for the progress bar); the rebuilding process
then commits the helpers' segments in one table of contents. A failed helper fails the rebuild (its
generation is thrown away).
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

CHUNK = 256  # documents per chunk: the first helper takes chunks 0, 2, 4, ..., the second 1, 3, 5, ...
MIN_CPUS = 2
TELL_EVERY = 8  # documents analysed between a helper's reports (the progress bar moves by them)


def available() -> bool:
    """True when a second process can run beside this one (more than one CPU for this process)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return cpus >= MIN_CPUS and os.environ.get("QMS_REINDEX_PROCESSES", "2") != "1"


class HelperFailed(RuntimeError):
    """The helper process ended without its segment; the rebuild is abandoned, the old index stays."""


class Helper:
    """The rebuilding process's side of one helper: start, send chunks (from a thread, so that sending
    never stops the reading here), send_end(), then finish() for the helper's Segment; kill() always."""

    command = [sys.executable, "-m", "app.search.parallel"]

    def __init__(self, folder: str, indexname: str, events: queue.Queue | None = None):
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [*self.command, folder, indexname],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env, cwd=root)
        self._outbox: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        # What the helper said: documents analysed, the fraction of its postings written, its Segment's bytes.
        self.sent = self.analysed = 0
        self.written = 0.0
        self.ended = False
        self._segment: bytes | None = None
        self._events = events
        self._sender = threading.Thread(target=self._send_all, name="reindex-helper-feed", daemon=True)
        self._sender.start()
        self._listener = threading.Thread(target=self._listen, name="reindex-helper-news", daemon=True)
        self._listener.start()

    def _listen(self) -> None:
        """Read the helper's stdout: `a N` (N more documents analysed), `w F` (fraction of its postings
        written), then `s LENGTH` and the pickled Segment; each line wakes the rebuilding process."""
        out = self.proc.stdout
        try:
            while line := out.readline():
                kind, _, value = line.decode("ascii", "replace").strip().partition(" ")
                if kind == "a":
                    self.analysed += int(value)
                elif kind == "w":
                    self.written = float(value)
                elif kind == "s":
                    data = out.read(int(value))
                    self._segment = data if len(data) == int(value) else None  # cut short: failed
                    break
                if self._events is not None:
                    self._events.put(self)
        except (OSError, ValueError):  # a broken pipe or a garbled line: no segment, so finish() raises
            self._segment = None
        finally:
            self.ended = True
            if self._events is not None:
                self._events.put(self)

    def _send_all(self) -> None:
        stdin = self.proc.stdin
        chunk: list | None = []
        try:
            while chunk is not None:
                chunk = self._outbox.get()
                pickle.dump(chunk, stdin, protocol=pickle.HIGHEST_PROTOCOL)
            stdin.close()
        except BaseException as exc:  # the helper died: finish() reports it
            self._error = exc
            while chunk is not None:  # keep taking chunks, so that send() never blocks
                chunk = self._outbox.get()
            try:
                stdin.close()
            except OSError:
                pass

    def send(self, chunk: list[dict]) -> None:
        self.sent += len(chunk)
        self._outbox.put(chunk)

    def send_end(self) -> None:
        self._outbox.put(None)

    def finish(self):
        """The helper's Segment, once it has written it (after send_end()); raises when the helper failed."""
        self._sender.join()
        self._listener.join()
        code = self.proc.wait()
        if code or self._error is not None or not self._segment:
            raise HelperFailed(f"the reindex helper process failed (exit code {code}): {self._stderr_tail()}")
        return pickle.loads(self._segment)

    def kill(self) -> None:
        """End the helper (if still running) and the sending thread; called whatever happened."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self._sender.is_alive():  # the rebuild failed here before send_end(): stop the thread too
            try:
                while True:
                    self._outbox.get_nowait()
            except queue.Empty:
                pass
            self._outbox.put_nowait(None)
            self._sender.join(timeout=10)
        self._listener.join(timeout=10)
        self.proc.stdout.close()
        self._stderr.close()

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()[-2000:].decode("utf-8", "replace").strip()


def _serve(folder: str, indexname: str) -> None:
    """The helper's side: a segment of the documents it is sent, in the index at *folder*."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import SegmentWriter

    from app.search.bulk import BulkSegment

    ix = FileStorage(folder, supports_mmap=False).open_index(indexname)
    # No lock: the rebuilding process holds the index's lock and commits this segment with its own.
    writer = SegmentWriter(ix, _lk=False)
    bulk = BulkSegment(writer)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer

    def say(line: str) -> None:
        stdout.write(line.encode("ascii") + b"\n")
        stdout.flush()

    while (chunk := pickle.load(stdin)) is not None:
        for start in range(0, len(chunk), TELL_EVERY):
            for fields in chunk[start:start + TELL_EVERY]:
                bulk.add(fields)
            say(f"a {len(chunk[start:start + TELL_EVERY])}")
    segment = pickle.dumps(bulk.finish_segment(lambda fraction: say(f"w {fraction:.4f}")),
                           protocol=pickle.HIGHEST_PROTOCOL)
    say(f"s {len(segment)}")
    stdout.write(segment)
    stdout.flush()


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2])
