"""Rendered pages shared by everyone who would see the same thing, with their own name and token put in.

A page is kept under (address, query, role set, unit, language, today's date, data generation). The
generation is a token in a file of the data directory that every committed write of any process replaces
(after the commit), so a page or a signed-in identity kept from before a write is never used after it.

On a hit no database query runs: who is signed in comes from an identity kept for this browser session
(user id and version, login-session token), checked against the same generation, and the view's own
permission predicate is asked on it. On a miss the view runs as always, but the user it sees is a
recording stand-in: its name and user name are placeholders, the CSRF token is a placeholder, and if the
view reads anything personal (the user's id, e-mail...), the page is not shared. Placeholders are then
filled with the reader's own values; a page in which a placeholder was altered (a filter applied to a name)
is never kept.
"""
from __future__ import annotations

import os
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from flask import current_app, g, request, session
from flask_login import current_user
from markupsafe import escape
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.i18n import locale_for
from app.timeutil import local_today

GENERATION_FILE = "page-generation"
TOKEN_BYTES = 32
# The user's attributes a shared page may depend on: they are in the key (roles, unit) or filled in per reader.
SHARED_ATTRIBUTES = frozenset({"is_authenticated", "is_active", "is_anonymous", "roles", "has_role", "unit_code",
                               "unit", "locale", "full_name", "username", "get_id"})
_SLOT = "qmsslot" + secrets.token_hex(6)
NAME, USERNAME, CSRF = (f"{_SLOT}n", f"{_SLOT}u", f"{_SLOT}c")
_writes = threading.local()


# -- the generation --------------------------------------------------------------------------------
class Generation:
    """A 32-byte token in one file; read with one pread on a descriptor kept open, replaced in place."""

    def __init__(self, data_dir: str | os.PathLike):
        self.path = Path(data_dir) / GENERATION_FILE
        self._fd: int | None = None
        self._pid = 0

    def _open(self) -> int:
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            self._pid = os.getpid()
        return self._fd

    def current(self) -> bytes:
        return os.pread(self._open(), TOKEN_BYTES, 0)

    def bump(self) -> None:
        os.pwrite(self._open(), secrets.token_hex(TOKEN_BYTES // 2).encode("ascii"), 0)


def _note_write(conn, cursor, statement, parameters, context, executemany) -> None:
    if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        _writes.dirty = True


def _after_commit(session) -> None:
    if getattr(_writes, "dirty", False):
        _writes.dirty = False
        _bump_all()


def _bump_all() -> None:
    for gen in list(_GENERATIONS.values()):
        try:
            gen.bump()
        except OSError:  # a read-only data directory: nothing is cached there either
            pass


def _before_commit(conn) -> None:
    # a write committed on a bare connection (no Session) is announced here, just before its commit
    if getattr(_writes, "dirty", False):
        _bump_all()


# A rolled-back write leaves the mark in place: the next commit then replaces the token once more, which
# costs a miss, never a stale page (a savepoint's rollback must not clear the writes of its transaction).
_GENERATIONS: dict[str, Generation] = {}
event.listen(Engine, "after_cursor_execute", _note_write)
event.listen(Engine, "commit", _before_commit)
event.listen(Session, "after_commit", _after_commit)


# -- who is signed in, without a query -----------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    """What a shared page may know of its reader; enough for the permission predicates."""

    id: int
    user_key: str
    roles: frozenset
    unit_code: str | None
    full_name: str
    username: str
    locale: str           # the account's own choice; the page's language is locale_for() it and the session
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def get_id(self) -> str:
        return self.user_key


class _Recording:
    """The signed-in user as a view sees it while its page is made for sharing."""

    def __init__(self, user):
        object.__setattr__(self, "_user", user)
        object.__setattr__(self, "personal", set())

    def __getattr__(self, name):
        if name == "full_name":
            return NAME
        if name == "username":
            return USERNAME
        if name not in SHARED_ATTRIBUTES:
            self.personal.add(name)
        return getattr(self._user, name)

    def __eq__(self, other):
        self.personal.add("__eq__")
        return self._user == (other._user if isinstance(other, _Recording) else other)

    __hash__ = object.__hash__


# -- the cache -------------------------------------------------------------------------------------
@dataclass
class _Page:
    parts: tuple          # text, slot, text, slot, ... text
    status: int
    mimetype: str
    size: int


class PageCache:
    def __init__(self, data_dir: str, max_bytes: int, max_identities: int = 4096):
        self.generation = _GENERATIONS.setdefault(str(Path(data_dir).resolve()), Generation(data_dir))
        self.max_bytes = max_bytes
        self.max_identities = max_identities
        self.pages: OrderedDict = OrderedDict()
        self.values: dict = {}                # shared_value(): (name, scope, generation) -> value
        self.identities: dict = {}
        self.size = 0
        self.hits = self.misses = self.unshared = 0
        self._lock = threading.Lock()

    # identities
    def identity(self, gen: bytes) -> Identity | None:
        from app.auth.services import SESSION_KEY

        key = (session.get("_user_id"), session.get(SESSION_KEY))
        hit = self.identities.get(key)
        if hit is None or hit[0] != gen or not _same_browser():
            return None
        return hit[1]

    def remember(self, gen: bytes, user) -> Identity:
        from app.auth.services import SESSION_KEY

        ident = Identity(user.id, user.get_id(), frozenset(user.roles), user.unit_code, user.full_name,
                         user.username, user.locale)
        if len(self.identities) >= self.max_identities:
            self.identities.clear()
        self.identities[(session.get("_user_id"), session.get(SESSION_KEY))] = (gen, ident)
        return ident

    # pages
    def get(self, key) -> _Page | None:
        with self._lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
                self.hits += 1
            return page

    def put(self, key, page: _Page) -> None:
        if page.size > self.max_bytes // 4:
            return
        with self._lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= old.size
            self.pages[key] = page
            self.size += page.size
            while self.size > self.max_bytes and self.pages:
                _, dropped = self.pages.popitem(last=False)
                self.size -= dropped.size


def _same_browser() -> bool:
    """Flask-Login's session protection, applied as its loader applies it before every load: "basic" marks
    a session seen from another browser as no longer fresh, "strong" ends it (then the page is not served)."""
    from app.extensions import login_manager

    return not login_manager._session_protection_failed()


def init_app(app) -> None:
    """Every process of the app announces its writes, whether or not it serves cached pages itself."""
    cache = PageCache(app.config["QMS_DATA_DIR"], int(app.config.get("QMS_PAGE_CACHE_MB", 0) * 1024 * 1024))
    app.extensions["qms_pages"] = cache if cache.max_bytes > 0 else None


def page_cache() -> PageCache | None:
    return current_app.extensions.get("qms_pages")


_VALUES_KEPT = 64


def shared_value(name: str, scope: tuple, build):
    """What `build()` returns, kept until the next committed write for every reader of the same `scope`
    (what decides the value besides the data: e.g. whether this reader sees every draft): the choice list
    of 3,000 procedures on a form is read and built once, not on every page. Without the page cache
    (QMS_PAGE_CACHE_MB=0), built every time."""
    cache = page_cache()
    if cache is None:
        return build()
    key = (name, scope, cache.generation.current())
    kept = cache.values.get(key)
    if kept is None:
        kept = build()
        with cache._lock:
            cache.values[key] = kept
            while len(cache.values) > _VALUES_KEPT:
                cache.values.pop(next(iter(cache.values)))
    return kept


def _split(body: str) -> tuple | None:
    """The page as encoded text between placeholders: (bytes, slot, bytes, ..., bytes); None when a
    placeholder was changed on its way into the page (upper-cased, cut short...)."""
    parts, rest = [], body
    if body.lower().count(_SLOT) != body.count(NAME) + body.count(USERNAME) + body.count(CSRF):
        return None
    while True:
        at = rest.find(_SLOT)
        if at < 0:
            parts.append(rest.encode())
            return tuple(parts)
        slot = rest[at:at + len(_SLOT) + 1]
        if slot not in (NAME, USERNAME, CSRF):
            return None
        parts.extend((rest[:at].encode(), slot))
        rest = rest[at + len(slot):]


def _fill(page: _Page, ident: Identity):
    values = {NAME: str(escape(ident.full_name)).encode(), USERNAME: str(escape(ident.username)).encode()}
    if CSRF in page.parts:
        values[CSRF] = _csrf_token().encode()
    body = b"".join(values[p] if i % 2 else p for i, p in enumerate(page.parts))
    return current_app.response_class(body, status=page.status, mimetype=page.mimetype)


_signed_tokens: dict = {}
TOKEN_REUSE_SECONDS = 60


def _csrf_token() -> str:
    """This session's CSRF token, signed at most a minute ago (a signature per request is the costliest part
    of a cached page): the same raw token, checked the same way, valid for at most a minute less."""
    from flask_wtf.csrf import generate_csrf

    raw, now = session.get("csrf_token"), time.monotonic()
    fresh = isinstance(raw, str) and "csrf_token" not in g
    hit = _signed_tokens.get((current_app.secret_key, raw)) if fresh else None
    if hit is not None and now - hit[1] < TOKEN_REUSE_SECONDS:
        g.csrf_token = hit[0]
        return hit[0]
    token = generate_csrf()
    if len(_signed_tokens) > 4096:
        _signed_tokens.clear()
    _signed_tokens[(current_app.secret_key, session["csrf_token"])] = (token, now)
    return token


def shared_page(view):
    """Serve this GET page from the cache when its reader's role set, unit and language have seen it."""
    predicate = getattr(view, "permission")

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = page_cache()
        if cache is None or request.method != "GET" or "_flashes" in session:
            return view(*args, **kwargs)
        gen = cache.generation.current()
        ident = cache.identity(gen)
        if ident is not None and _allowed(predicate, ident):
            page = cache.get(_key(ident, gen))
            if page is not None:
                g._login_user = ident
                return _fill(page, ident)
        user = current_user._get_current_object()
        if not getattr(user, "is_authenticated", False) or not predicate(user):
            return view(*args, **kwargs)
        if ident is None:  # this browser's first page since the last change: the page may be kept already
            ident = cache.remember(gen, user)
            page = cache.get(_key(ident, gen))
            if page is not None:
                return _fill(page, ident)
        cache.misses += 1
        recorder = _Recording(user)
        g._login_user, had_token = recorder, g.pop("csrf_token", None)
        g.csrf_token = CSRF
        try:
            response = current_app.make_response(view(*args, **kwargs))
        finally:
            g._login_user = user
            g.pop("csrf_token", None)
            if had_token is not None:
                g.csrf_token = had_token
        if response.status_code != 200 or response.direct_passthrough or response.mimetype != "text/html":
            if response.direct_passthrough or _SLOT.encode() not in response.get_data():
                return response
            return view(*args, **kwargs)  # an error page made with placeholders: made again for its reader
        body = response.get_data(as_text=True)
        parts = _split(body)
        if parts is None:  # a placeholder was altered: this page cannot be filled in safely
            cache.unshared += 1
            return view(*args, **kwargs)
        page = _Page(parts, 200, response.mimetype, len(body))
        if recorder.personal or "_flashes" in session:
            cache.unshared += 1
        else:
            cache.put(_key(ident, gen), page)
        filled = _fill(page, ident)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "content-type"):
                filled.headers[name] = value
        return filled

    return wrapper


def _allowed(predicate, ident: Identity) -> bool:
    """The view's predicate asked on the kept identity; one that needs more of the user than the identity
    holds is asked on the user itself, the usual way."""
    try:
        return bool(predicate(ident))
    except AttributeError:
        return False


def _key(ident: Identity, gen: bytes) -> tuple:
    return (request.endpoint, tuple(sorted(request.view_args.items())) if request.view_args else (),
            request.query_string, ident.roles, ident.unit_code, locale_for(ident, session), local_today(), gen)
