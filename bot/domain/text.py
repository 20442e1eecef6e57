"""Text normalisation shared by every parser: case, accents, punctuation, spaces."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_UNSPLIT = str.maketrans({"ø": "o", "ı": "i", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without accents, punctuation folded to single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    # Letters NFKD does not split (Danish, Faroese, Turkish, Polish, Croatian place names).
    plain = plain.translate(_UNSPLIT)
    return _NON_WORD.sub(" ", plain).strip()


def valid_unicode(text: str) -> str:
    """Replace lone surrogates (valid JSON, invalid UTF-8) so the text can be stored."""
    return text.encode("utf-8", "replace").decode("utf-8")


def clean_free_text(text: str) -> str:
    """Collapse runs of white space and strip control characters from a typed answer."""
    printable = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return re.sub(r"\s+", " ", printable).strip()
