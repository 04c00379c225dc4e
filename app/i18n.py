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
    return locale_for(current_user, session)


def locale_for(user, browser_session) -> str:
    """The signed-in user's language, else the one chosen in this browser, else Vietnamese."""
    if getattr(user, "is_authenticated", False) and user.locale in SUPPORTED:
        return user.locale
    lang = browser_session.get("lang")
    return lang if lang in SUPPORTED else "vi"
