"""Flask's signed-cookie sessions, with each cookie's signature checked once per process.

Verifying the cookie (HMAC, base64, JSON) was a tenth of the time of a cached issued procedure page. The
same bytes under the same key verify the same way every time, so a verified cookie's payload is kept,
keyed by the cookie and the key, with the time it was signed: the age limit is still checked on every
request, a cookie that fails is never kept, and each request gets its own copy of the payload (a request
that changes its session, e.g. a flashed message, leaves the kept one as it was).
"""

from __future__ import annotations

import pickle
import threading
import time

from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

MAX_KEPT = 4096  # cookies, under 1 KB each with their payload: at most about 4 MB per process


class VerifiedCookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (value, app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self._kept.get(key)
        if kept is not None:
            payload, signed_at = kept
            if 0 <= time.time() - signed_at <= max_age:  # itsdangerous's own test of the age
                return self.session_class(pickle.loads(payload))
            with self._lock:
                self._kept.pop(key, None)
        try:
            data, signed = self.get_signing_serializer(app).loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        with self._lock:
            if len(self._kept) >= MAX_KEPT:
                self._kept.clear()
            self._kept[key] = (pickle.dumps(data, pickle.HIGHEST_PROTOCOL), signed.timestamp())
        return self.session_class(data)
