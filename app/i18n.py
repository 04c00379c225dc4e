"""Language choice: Vietnamese first; English per user, or per browser session before login.

Messages are written in Vietnamese in the source (the language of the users), and the English
catalogue in app/translations/en translates them, so a string never shows up untranslated in the
default language.
"""
from __future__ import annotations

from flask import session
from flask_login import current_user

SUPPORTED = ("vi", "en")


def select_locale() -> str:
    if getattr(current_user, "is_authenticated", False) and current_user.locale in SUPPORTED:
        return current_user.locale
    lang = session.get("lang")
    return lang if lang in SUPPORTED else "vi"
