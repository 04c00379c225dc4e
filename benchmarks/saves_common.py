"""Shared by concurrent_saves.py and kill_saves.py: a gunicorn server on a throw-away data dir, browser-like
clients that save procedures through the editor (CSRF and all), and the after-run checks."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PASSWORD = "demo-password"
CODES = ["QT-VP-01", "QT-VP-02", "QT-VP-03", "QT-QLKH-01", "QT-QLKH-02", "QT-QLCN-01", "QT-TTR-01", "QT-TTUD-01"]
_INPUT = re.compile(r"<input[^>]*>")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


class Installation:
    """A data dir and database (SQLite in the dir, or a fresh PostgreSQL schema), set up with the demo."""

    def __init__(self, pg_url: str | None = None, port: int = 5101, workers: int = 4):
        self.dir = Path(tempfile.mkdtemp(prefix="qms-bench-"))
        self.port, self.workers = port, workers
        self.schema = None
        self.env = {**os.environ, "QMS_DATA_DIR": str(self.dir / "data"), "QMS_PRODUCTION": "0",
                    "QMS_SECRET_KEY": "bench-" + uuid.uuid4().hex, "PYTHONUNBUFFERED": "1"}
        if pg_url:
            import sqlalchemy as sa

            self.schema = f"qms_bench_{uuid.uuid4().hex[:8]}"
            engine = sa.create_engine(pg_url)
            with engine.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{self.schema}"'))
            engine.dispose()
            sep = "&" if "?" in pg_url else "?"
            self.env["QMS_DATABASE_URL"] = f"{pg_url}{sep}options=-csearch_path%3D{self.schema}"
        self.pg_url = pg_url
        self.server: subprocess.Popen | None = None
        self.flask("init", "--admin-username", "admin", "--admin-password", PASSWORD)
        demo = self.flask("demo", check=False)  # later demo steps may refuse on some dates; procedures come first
        if "QT-VP-01" not in demo.stdout:
            raise RuntimeError(f"qms demo did not import the procedures:\n{demo.stdout}\n{demo.stderr}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def flask(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "qms", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise RuntimeError(f"qms {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def start(self) -> None:
        self.server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
             "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=open(self.dir / "gunicorn.log", "ab"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2).read()
                self._wait_for_warm_workers(deadline)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up; see " + str(self.dir / "gunicorn.log"))

    def _wait_for_warm_workers(self, deadline: float) -> None:
        """Every worker started and done warming (its CPU time stands still for half a second): the first
        answer comes from one worker while the others may still compile templates and read the index, and
        a measurement taken then times the warm-up (a target of its own), not the saves."""
        def cpu_ticks() -> int | None:
            pids = self.worker_pids()
            if len(pids) < self.workers:
                return None
            total = 0
            for pid in pids:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    return None
                total += int(fields[11]) + int(fields[12])  # utime + stime
            return total

        before = cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = cpu_ticks()
            if before is not None and now is not None and now - before <= 2:
                return
            before = now

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def kill_all(self) -> None:
        """kill -9 of the whole server: master and workers at once."""
        if self.server is None:
            return
        try:
            os.killpg(self.server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.server.wait()
        self.server = None

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.terminate()
        try:
            self.server.wait(30)
        except subprocess.TimeoutExpired:
            self.kill_all()
        self.server = None

    def cleanup(self) -> None:
        self.stop()
        if self.schema:
            import sqlalchemy as sa

            engine = sa.create_engine(self.pg_url)
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            engine.dispose()
        subprocess.run(["rm", "-rf", str(self.dir)])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser: cookies, CSRF tokens from the forms, redirects not followed (a 302 is the answer)."""

    def __init__(self, base: str, username: str = "thuky"):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=60) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    @staticmethod
    def fields(html: str) -> dict:
        out = {}
        for tag in _INPUT.findall(html):
            name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
            if name:
                out[name.group(1)] = value.group(1) if value else ""
        return out

    def login(self) -> int:
        status, html = self.request("/login")
        token = self.fields(html).get("csrf_token", "")
        status, _ = self.request("/login", {"csrf_token": token, "username": self.username, "password": PASSWORD})
        return status

    def save(self, code: str, body: str) -> tuple[int, float]:
        """(status of the POST, its latency in ms); 302 means the save was accepted."""
        status, html = self.request(f"/procedures/{code}/edit")
        if status != 200:
            return status, 0.0
        form = self.fields(html)
        form.update(body=body, message="")
        started = time.perf_counter()
        status, _ = self.request(f"/procedures/{code}/edit", form)
        return status, (time.perf_counter() - started) * 1000


def check(inst: Installation, accepted: dict[str, list[str]]) -> dict:
    """After the run: every accepted save (its marker) is one commit named by one save event; fsck and
    audit-verify agree. Runs in a child process against the installation's environment."""
    script = ROOT / "benchmarks" / "saves_check.py"
    proc = subprocess.run([sys.executable, str(script)], input=json.dumps(accepted), cwd=ROOT, env=inst.env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout + proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])
