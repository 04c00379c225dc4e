"""Git plumbing for the store: repository creation, a clean git environment, per-thread repos and the write lock."""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import git

from app.store.document import LAYOUTS
from app.store.errors import StoreBusy, StoreError
from app.store.heads import HeadIndex

BRANCH = "main"
LOCK_FILE = "qms-store.lock"
MAINTENANCE_LOCK_FILE = "qms-maintenance.lock"
FALLBACK_NAME = "QMS store"
FALLBACK_EMAIL = "qms-store@localhost"
LAYOUT_KEY = "qms.layout"

_LOCAL_CONFIG = {
    "user.name": FALLBACK_NAME,
    "user.email": FALLBACK_EMAIL,
    "commit.gpgSign": "false",
    "tag.gpgSign": "false",
    "core.autocrlf": "false",
    "core.quotePath": "false",
    "core.fsmonitor": "false",
}


def git_env(root: Path) -> dict[str, str]:
    """Variables pinning every git call to this repository.

    A git hook or a parent git process may have exported GIT_DIR / GIT_INDEX_FILE;
    GitPython passes os.environ through, so we override them rather than trust them.
    """
    gitdir = root / ".git"
    return {
        "GIT_DIR": str(gitdir),
        "GIT_WORK_TREE": str(root),
        "GIT_INDEX_FILE": str(gitdir / "index"),
        "GIT_OBJECT_DIRECTORY": str(gitdir / "objects"),
        "GIT_COMMON_DIR": str(gitdir),
        "GIT_ALTERNATE_OBJECT_DIRECTORIES": "",
        "GIT_NAMESPACE": "",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_TERMINAL_PROMPT": "0",
        "LC_ALL": "C",
    }


def plain_env(root: Path) -> dict[str, str]:
    """os.environ without any inherited GIT_* variable, pinned to the store: for plain git runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(git_env(root))
    return env


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full_env = plain_env(root)
    if env:
        full_env.update(env)
    proc = subprocess.run(["git", *args], cwd=root, env=full_env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise StoreError(f"git {args[0]} failed in {root}: {proc.stderr.strip()}")
    return proc.stdout


def _initial_commit(root: Path) -> None:
    ident = {"GIT_AUTHOR_NAME": FALLBACK_NAME, "GIT_AUTHOR_EMAIL": FALLBACK_EMAIL,
             "GIT_COMMITTER_NAME": FALLBACK_NAME, "GIT_COMMITTER_EMAIL": FALLBACK_EMAIL}
    _run(root, "commit", "-q", "--allow-empty", "--no-verify", "-m", "Initialise the procedure store", env=ident)


def ensure_repository(root: Path, layout: str | None = None) -> str:
    """Create the store repository with an empty first commit on `main`, unless it exists.

    Built in a temporary directory and renamed into place, so two processes starting
    at once end up sharing one complete repository instead of two half-made ones.
    Returns the store's file layout, recorded in its config when it was created.
    """
    if layout is not None and layout not in LAYOUTS:
        raise StoreError(f"Unknown store layout {layout!r}; expected one of {LAYOUTS}")
    if not (root / ".git").is_dir():
        _create(root, layout or "flat")
    _check_branch(root)
    recorded = _layout_of(root)
    if layout is not None and layout != recorded:
        raise StoreError(f"The store at {root} uses the {recorded!r} layout, not {layout!r}")
    return recorded


def _layout_of(root: Path) -> str:
    proc = subprocess.run(["git", "config", "--get", LAYOUT_KEY], cwd=root, env=plain_env(root),
                          capture_output=True, text=True)
    # Stores made before the layout was recorded are flat.
    return proc.stdout.strip() or "flat"


def _check_branch(root: Path) -> None:
    head = (root / ".git" / "HEAD").read_text().strip()
    if head != f"ref: refs/heads/{BRANCH}":
        raise StoreError(f"The store at {root} is not on branch {BRANCH!r} ({head})")
    if not (root / ".git" / "refs" / "heads" / BRANCH).exists() and not _has_branch(root):
        with StoreLock(root / ".git" / LOCK_FILE).hold():
            if not _has_branch(root):
                _initial_commit(root)


def _create(root: Path, layout: str) -> None:
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise StoreError(f"{root} exists and is not a git repository; refusing to turn it into a store")
    root.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}.init-", dir=root.parent))
    try:
        subprocess.run(["git", "init", "-q", "-b", BRANCH, str(tmp)], env=plain_env(tmp), check=True,
                       capture_output=True)
        for key, value in {**_LOCAL_CONFIG, LAYOUT_KEY: layout}.items():
            _run(tmp, "config", key, value)
        _initial_commit(tmp)
        os.rename(tmp, root)
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not (root / ".git").is_dir():
            raise StoreError(f"Could not create the store at {root}: {exc}") from exc
    except subprocess.CalledProcessError as exc:
        raise StoreError(f"git init failed for {root}: {exc.stderr!r}") from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _has_branch(root: Path) -> bool:
    proc = subprocess.run(["git", "rev-parse", "-q", "--verify", f"refs/heads/{BRANCH}"], cwd=root,
                          env=plain_env(root), capture_output=True)
    return proc.returncode == 0


class StoreLock:
    """An exclusive flock on a file in .git, re-entrant within a thread.

    flock locks belong to an open file description, so opening the file afresh per
    acquisition makes threads of one process exclude each other as well as processes.
    Nothing is held open between acquisitions, so a fork never inherits a held lock.
    """

    def __init__(self, path: Path, timeout: float = 15.0):
        self.path = path
        self.timeout = timeout
        self._local = threading.local()

    @contextmanager
    def hold(self) -> Iterator[None]:
        if getattr(self._local, "depth", 0):
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o664)
        except OSError as exc:
            from app.store.gitlocks import is_unavailable_os_error, unavailable

            if is_unavailable_os_error(exc):
                raise unavailable(exc) from exc
            raise
        try:
            self._acquire(fd)
            self._local.depth = 1
            try:
                yield
            finally:
                self._local.depth = 0
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def spawn_holding(self, argv: list[str], root: Path) -> subprocess.Popen | None:
        """Start a git command in the background that holds this lock until it exits.

        The child inherits the locked descriptor, and a flock lasts until the last
        descriptor of it is closed; so closing ours here leaves the lock with the child.
        Returns None at once if someone else holds the lock.
        """
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o664)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None
            return subprocess.Popen(argv, cwd=root, env=plain_env(root), pass_fds=(fd,), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        finally:
            os.close(fd)

    def _acquire(self, fd: int) -> None:
        deadline = time.monotonic() + self.timeout
        delay = 0.0005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"The procedure store is busy (waited {self.timeout:.0f} s for {self.path})")
                time.sleep(delay)
                delay = min(delay * 2, 0.01)


def clear_stale_index_lock(root: Path) -> None:
    """Call only while holding the store lock: git lock files nobody holds go, live ones are waited for."""
    from app.store.gitlocks import clear_git_locks

    clear_git_locks(root / ".git")


class RepoPool:
    """One GitPython Repo per thread, opened on first use.

    A Repo shared between threads returned wrong contents and hung (field notes), and
    one opened before a fork hangs the children; so each thread gets its own, created
    lazily, and a pid change discards the parent's without touching its processes.
    """

    def __init__(self, root: Path):
        self.root = root
        self._env = git_env(root)
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._local = threading.local()
        self._guard = threading.Lock()
        # Weak, so a finished thread's repo (and its cat-file processes) can be collected.
        self._open: weakref.WeakSet[git.Repo] = weakref.WeakSet()

    def get(self) -> git.Repo:
        if os.getpid() != self._pid:
            _orphans.append(self._local)  # parent's cat-file pipes: never close or kill them here
            self._reset()
        repo = getattr(self._local, "repo", None)
        if repo is None:
            repo = git.Repo(self.root)
            repo.git.update_environment(**self._env)
            self._local.repo = repo
            with self._guard:
                self._open.add(repo)
        return repo

    def heads(self) -> HeadIndex:
        """This thread's index of last-touching commits (per thread, so no locking)."""
        self.get()  # resets the thread state after a fork
        index = getattr(self._local, "heads", None)
        if index is None:
            index = self._local.heads = HeadIndex()
        return index

    def discard_current(self) -> None:
        """Drop this thread's repo, e.g. after a cat-file stream was left half read."""
        repo = getattr(self._local, "repo", None)
        if repo is not None:
            self._local.repo = None
            repo.close()

    def close(self) -> None:
        if os.getpid() != self._pid:
            self._reset()
            return
        with self._guard:
            repos = list(self._open)
            self._open = weakref.WeakSet()
        for repo in repos:
            repo.close()
        self._local = threading.local()


_orphans: list[object] = []
