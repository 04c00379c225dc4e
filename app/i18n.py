"""Language choice: Vietnamese first; English per user, or per browser session before login.

Messages are written in Vietnamese in the source (the language of the users), and the English
catalogue in app/translations/en translates them, so a string never shows up untranslated in the
default language.
"""
from __future__ import annotations

from flask import g, session
from flask_babel import get_translations
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


def _translations():
    """The request's translations, looked up once per request and locale: Flask-Babel finds them again for
    every string of a template (30 us each; a page has hundreds). A change of locale within the request
    (force_locale, refresh) puts another Locale object in Flask-Babel's context, which is noticed here."""
    ctx = g.get("_flask_babel")
    locale = getattr(ctx, "babel_locale", None)
    kept = g.get("_qms_translations")
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    found = get_translations()
    g._qms_translations = (getattr(g.get("_flask_babel"), "babel_locale", None), found)
    return found


def install_template_gettext(app) -> None:
    """The templates' _(), ngettext() and pgettext() through _translations() (after babel.init_app)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
