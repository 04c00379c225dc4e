"""Heading-id slugs that fold Vietnamese to ASCII ("Đăng ký hồ sơ" -> "dang-ky-ho-so")."""

import re
import unicodedata

# "đ"/"Đ" are letters in their own right, not "d" plus a combining mark, so NFKD
# leaves them alone and python-markdown's default slugify drops them entirely.
_D_FOLD = str.maketrans({"đ": "d", "Đ": "D"})
_NOT_WORD = re.compile(r"[^\w\s-]", re.UNICODE)
_SEPARATORS = re.compile(r"[\s_-]+", re.UNICODE)

# Ids longer than this are cut at a word boundary (the sanitiser rejects very long ids).
MAX_SLUG_LENGTH = 80

# Used when a heading has no letters or digits at all (e.g. "## ***"); Vietnamese for "section".
FALLBACK_SLUG = "muc"


def fold_vietnamese(text: str) -> str:
    """Return *text* without diacritics: NFC, đ->d, then drop combining marks."""
    text = unicodedata.normalize("NFC", text).translate(_D_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Recompose whatever non-Vietnamese letters remain (their marks are already gone).
    return unicodedata.normalize("NFC", stripped)


def slugify(value: str, separator: str = "-") -> str:
    """Slug for a heading id; signature matches python-markdown's toc ``slugify`` option."""
    text = fold_vietnamese(value).lower()
    text = _NOT_WORD.sub(" ", text)
    text = _SEPARATORS.sub(separator, text).strip(separator + "_")
    if len(text) > MAX_SLUG_LENGTH:
        cut = text[:MAX_SLUG_LENGTH]
        text = cut.rsplit(separator, 1)[0] if separator in cut else cut
    return text or FALLBACK_SLUG
