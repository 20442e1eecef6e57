"""Recognise a typed request about a file received: « supprimer la dernière photo ».

A request starts with a verb (``remove`` or ``replace``, typos allowed) and names a document:
by a word that names any document (« la dernière photo », « le document »), meaning the latest
one, or by its category (« enlever la facture »), matched like a typed choice. Anything else
after the verb (« retirer une dent ») is no request. The words are ``[document_request]`` of
``config/intents.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.domain.categories import category_choices
from bot.domain.config_files import intents_file
from bot.domain.matching import FILLER_WORDS, content_words, word_similarity

# Longer messages are sentences about something else (bounded time per input).
_MAX_REQUEST = 120
# The verb is among the first words: « je voudrais supprimer la facture ».
_VERB_WITHIN = 3
# A typed word is a listed word when it is one, or one typo away (``word_similarity``).
_SURE = 0.9
_POLITE = frozenset({"voudrais", "veux", "peux", "pouvez", "merci", "please", "want", "can"})


@dataclass(frozen=True)
class DocumentRequest:
    """What a typed request asks: ``remove`` or ``replace``; which category, if it names one."""

    action: str
    category: str | None


@cache
def _words() -> tuple[dict[str, str], tuple[str, ...]]:
    table = intents_file().root["document_request"]
    verbs = {word: action for action in ("remove", "replace") for word in table[action]}
    return verbs, table["any"]


def _is_one_of(word: str, listed: tuple[str, ...] | list[str]) -> bool:
    return any(word_similarity(word, other) >= _SURE for other in listed)


def read_request(text: str) -> DocumentRequest | None:
    """Return the request ``text`` makes about a document, or None when it makes none."""
    if len(text) > _MAX_REQUEST:
        return None
    words = [word for word in content_words(text) if word not in _POLITE]
    verbs, generic = _words()
    for index, word in enumerate(words[:_VERB_WITHIN]):
        action = next((verbs[verb] for verb in verbs if word_similarity(word, verb) >= _SURE),
                      None)
        if action is not None:
            return _named(action, words[index + 1:], generic)
    return None


def _named(action: str, rest: list[str], generic: tuple[str, ...]) -> DocumentRequest | None:
    """Return the request when ``rest`` names a document: any one, or one category."""
    others = [word for word in rest if word not in FILLER_WORDS and not _is_one_of(word, generic)]
    if not others:
        return DocumentRequest(action, None) if rest else None
    choice = category_choices().match(" ".join(others))
    return DocumentRequest(action, choice.id) if choice is not None else None
