"""How well a typed answer fits a name of a choice, word by word, with typos.

A name fits when its words are found in the answer (each one exactly, as a typo, a plural or
an abbreviation), and fits better when the answer has few words the name does not explain:
« autre acident » fits « Un autre accident » (both words) better than « Autre » (one word).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from bot.domain.text import fold

# Words that say nothing about which choice is meant: « je suis retraitée », « c'était
# prévu oui », « I'm a student ». Negations (« pas », « not ») and « tout » are kept: they
# tell « pas du tout » from « tout à fait ».
FILLER_WORDS = frozenset({
    "le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "au", "aux", "a", "et", "ou",
    "en", "c", "ce", "ca", "cela", "est", "etait", "sont", "suis", "j", "je", "me", "m", "mon",
    "ma", "mes", "moi", "il", "elle", "on", "nous", "vous", "ai", "as", "avons", "ete", "bah",
    "ben", "euh", "alors", "donc", "merci", "svp", "stp", "voila", "depuis", "juste", "plutot",
    "enfin", "ne", "n", "s", "qu", "que", "qui", "dans", "pour", "par", "the", "i", "im", "my",
    "is", "was", "it", "its", "of", "and", "or", "in", "for", "to", "am", "be", "been", "just",
    "please", "thanks", "well", "so"
})
# « pas prévu » is not « prévu », « pas de S2 » not « S2 »: the word after a negation.
NEGATIONS = frozenset({"pas", "jamais", "aucun", "aucune", "sans", "not", "never"})
_DOUBLED = re.compile(r"(.)\1+")
_HESITATION = re.compile(r"^(?:(?:euh+|bah|ben|alors|donc|hm+|hum|ah|oh|well|um|uh) )+")


def without_hesitation(folded: str) -> str:
    """Return a folded answer without the « euh », « bah », « well » it starts with."""
    return _HESITATION.sub("", folded)


def content_words(text: str) -> tuple[str, ...]:
    """Return the words of ``text`` that can tell choices apart, folded."""
    return tuple(word for word in fold(text).split()
                 if word not in FILLER_WORDS)


@lru_cache(maxsize=8192)  # bounded: typed words are anything
def _plain(word: str) -> str:
    """Fold plurals and doubled letters: « factures » « acident » « ouiii »."""
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    return _DOUBLED.sub(r"\1", word)


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    """Fold, beside plurals, a feminine ending: « générale » is « général », « née » « né ».

    For equality only: as a typo base it would bring « fière » within a letter of « tiers ».
    """
    plain = _plain(word)
    if len(plain) > 4 and plain[-1] == "e" and plain[-2] not in "aiouy":
        return plain[:-1]
    return plain


@lru_cache(maxsize=65536)
def word_similarity(typed: str, name: str) -> float:
    """Return how surely a typed word is the name's word: 1 same, 0.9 typo or abbreviation."""
    if typed == name or _stem(typed) == _stem(name):
        return 1.0
    if len(name) < 4 or len(typed) < 4:
        return 0.0  # « no » is not « non », « mgp » not « mgen »: short words match exactly
    if name.startswith(typed) and len(typed) * 5 >= len(name) * 2:  # « indep », « etud »
        return 0.9
    # One wrong, missing or extra letter (two in long words); « imprevu » is not « prevu ».
    typos = min(Levenshtein.distance(typed, name, score_cutoff=2),
                Levenshtein.distance(_plain(typed), _plain(name), score_cutoff=2))
    allowed = 2 if min(len(typed), len(name)) >= 8 else 1
    return 1.0 - 0.1 * typos if typos <= allowed else 0.0


def fit(typed_words: tuple[str, ...], name_words: tuple[str, ...],
        vocabulary: frozenset[str] = frozenset()) -> float:
    """Return how well the answer fits a name, 0…1: name words found, then answer words used.

    A word right after a negation (« pas prévu ») counts only for a name that has one. A typed
    word of ``vocabulary`` (the words of the list's names) is never a typo of another word:
    « mois » is not « moins ».
    """
    if not typed_words or not name_words:
        return 0.0
    count = len(typed_words)
    if NEGATIONS.isdisjoint(name_words):
        typed_words = tuple(word for before, word in itertools.pairwise(("", *typed_words))
                            if before not in NEGATIONS)

    def similarity(typed: str, name: str) -> float:
        if typed in vocabulary:
            return 1.0 if _stem(typed) == _stem(name) else 0.0
        return word_similarity(typed, name)

    found = [max((similarity(typed, name) for typed in typed_words), default=0.0)
             for name in name_words]
    explained = sum(1 for typed in typed_words
                    if any(similarity(typed, name) for name in name_words))
    return sum(found) / len(name_words) * (0.5 + 0.5 * explained / count)
