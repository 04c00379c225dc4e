"""Who is asking (the token's owner) and the checks every API view makes with the shared predicates."""
from __future__ import annotations

from flask import g
from flask_babel import force_locale

from app.api.problems import ApiProblem


def user():
    return g.api_user


def allow(ok: bool, code: str = "forbidden") -> None:
    if not ok:
        raise ApiProblem(403, code)


def found(obj, code: str = "not_found"):
    if obj is None:
        raise ApiProblem(404, code)
    return obj


def bilingual(render) -> dict:
    """{vi, en} of a message the features already translate (render() is called once per language)."""
    out = {}
    for locale in ("vi", "en"):
        with force_locale(locale):
            out[locale] = str(render())
    return out


def conflict(key: str, render, status: int = 409) -> ApiProblem:
    """A rule of a feature's service said no: its own message, in both languages."""
    return ApiProblem(status, key, bilingual(render))
