"""The API's plumbing: the flask-smorest extension (OpenAPI 3.1 from the code), token authentication on
every API blueprint, per-token rate limits, request size limits and problem+json errors."""
from __future__ import annotations

import hashlib
import time

import marshmallow as ma
from flask import current_app, g, request
from flask_limiter import Limiter
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from app.api import tokens
from app.api.problems import PROBLEM_TYPE, ApiProblem, from_exception, problem
from app.extensions import csrf, db

API_PREFIX = "/api/v1"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DESCRIPTION = (
    "REST API of the ISO 9001 document and review management system. Authenticate every request with a "
    "personal access token created on the profile page: `Authorization: Bearer qms_...`. Read tokens may "
    "only use GET; read and write tokens may also record and confirm reviews and raise CAPA records. "
    "Errors are `application/problem+json` with a Vietnamese `detail` and both languages in `messages`. "
    "Dates are ISO 8601 (YYYY-MM-DD), times ISO 8601 in UTC.\n\n"
    "API REST của hệ thống quản lý tài liệu ISO 9001. Mỗi yêu cầu gửi kèm mã truy cập cá nhân tạo ở trang "
    "tài khoản: `Authorization: Bearer qms_...`."
)


class ProblemSchema(ma.Schema):
    """application/problem+json (RFC 9457) with the message in Vietnamese and English."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True, metadata={"description": "Stable machine-readable key"})
    detail = ma.fields.String(required=True, metadata={"description": "Vietnamese message"})
    messages = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True,
                              metadata={"description": "The message in each language: {vi, en}"})
    errors = ma.fields.Dict(metadata={"description": "Field errors, when the input was invalid"})


class QmsApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Nothing app-wide: the HTML pages keep their own error pages; API blueprints register theirs."""

    def _register_responses(self):
        import http

        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error (problem+json)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def rate_key() -> str:
    """Per token (a hash of the presented secret, never the secret), else per address."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "addr:" + (request.remote_addr or "")


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def authenticate():
    """Before every API request: size limit, then the token (a session cookie never counts), then its scope."""
    limit = current_app.config["QMS_API_MAX_BODY"]
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise ApiProblem(413)
    token = tokens.recognise(_bearer_secret() or "")
    if token is None:
        db.session.rollback()
        raise ApiProblem(401, headers={"WWW-Authenticate": 'Bearer realm="qms"'})
    if db.session.dirty:
        db.session.commit()  # the last-used time (written at most once a minute: reading stays reading)
    if request.method in WRITE_METHODS and not token.can_write:
        raise ApiProblem(403, "read_only_token")
    user = token.user
    user.api_token = token  # the audit log names the token of every write (app.audit.services.record)
    g.api_token, g.api_user = token, user


def _forget_token(exc=None):
    user = g.pop("api_user", None)
    g.pop("api_token", None)
    if user is not None and "api_token" in vars(user):
        del user.api_token


def handle_error(exc):
    """Every error of an API blueprint, as problem+json."""
    if isinstance(exc, ApiProblem):
        db.session.rollback()
        return from_exception(exc)
    if isinstance(exc, HTTPException):
        db.session.rollback()
        data = getattr(exc, "data", None) or {}
        errors = data.get("messages") or data.get("errors")
        headers = {}
        if exc.code == 429:
            headers["Retry-After"] = str(_retry_after())
        if exc.code == 405 and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
        return problem(exc.code or 500, errors=errors if isinstance(errors, dict) else None, headers=headers)
    current_app.logger.exception("API error on %s %s", request.method, request.path)
    db.session.rollback()
    return problem(500)


def _retry_after() -> int:
    current = current_app.extensions["qms_limiter"].current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def rate_headers(response):
    """X-RateLimit-* on every API answer; Retry-After only on a 429 (the limiter would put it everywhere)."""
    current = current_app.extensions["qms_limiter"].current_limit
    if current is not None:
        response.headers["X-RateLimit-Limit"] = str(current.limit.amount)
        response.headers["X-RateLimit-Remaining"] = str(current.remaining)
        response.headers["X-RateLimit-Reset"] = str(int(current.reset_at))
    return response


def blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """An API blueprint: token-authenticated, rate limited per token, CSRF-exempt, errors as problem+json."""
    bp = Blueprint(name, __name__, url_prefix=API_PREFIX + url_prefix, description=description)
    bp.before_request(authenticate)
    bp.after_request(rate_headers)
    bp.teardown_request(_forget_token)
    bp.register_error_handler(Exception, handle_error)
    # CSRF protects cookie sessions; the API ignores cookies and reads only the bearer token
    csrf.exempt(bp)
    return bp


def _limit_api_only(app, limiter) -> None:
    """Only the API has limits: its pages are the only requests the limiter's check need look at."""
    check = limiter._check_request_limit
    funcs = app.before_request_funcs.setdefault(None, [])

    def check_api_requests():
        if request.path.startswith(API_PREFIX):
            return check()
        return None

    funcs[funcs.index(check)] = check_api_requests


def init_app(app, blueprints) -> None:
    app.config.setdefault("API_TITLE", "QMS ISO 9001 API")
    app.config.setdefault("API_VERSION", "1.0")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": DESCRIPTION, "license": {"name": "MIT", "identifier": "MIT"}},
        "security": [{"bearerAuth": []}],
    })
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["QMS_API_RATE_STORAGE"])
    # one extension object per application: tests create many apps in one process
    api = QmsApi(app)
    limiter = Limiter(key_func=rate_key, app=app, default_limits=[], headers_enabled=False)
    _limit_api_only(app, limiter)
    app.extensions["qms_api"], app.extensions["qms_limiter"] = api, limiter
    api.spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer", "bearerFormat": "qms_<secret>",
        "description": "Personal access token from the profile page (Tài khoản → Mã truy cập API)"})
    # one budget per token across the whole API, not one per blueprint
    shared = limiter.shared_limit(lambda: current_app.config["QMS_API_RATE_LIMIT"], scope="api")
    for bp in blueprints:
        shared(bp)
        api.register_blueprint(bp)
