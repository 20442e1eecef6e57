"""Recognise a typed correction of an earlier answer: « en fait c'était le 12 mai ».

The words come from ``config/intents.toml``: ``[correction]`` (what starts a correction, and
the filler words after it) and ``[correction_field]`` (words that name the answer corrected).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.domain.config_files import intents_file
from bot.domain.text import fold

_TOKENS = re.compile(r"[\s'’]+")


@dataclass(frozen=True)
class Correction:
    """What a correction says: its value (as typed), the fields it names, how sure it is."""

    value: str
    named_fields: frozenset[str]
    strong: bool
    """Started by a word that only corrects (« en fait »), not by a plain « non »."""


@cache
def _words() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], list[tuple[str, ...]]]:
    table = intents_file().root["correction"]

    def phrases(key: str) -> list[tuple[str, ...]]:
        found = {tuple(fold(phrase).split()) for phrase in table.get(key, ())}
        return sorted(found, key=len, reverse=True)  # the longest phrase first

    return phrases("marker"), phrases("weak"), phrases("filler")


def _starts(tokens: list[str], phrases: list[tuple[str, ...]]) -> int:
    """Return how many tokens a phrase at the start covers (0: none)."""
    return next((len(p) for p in phrases if p and tuple(tokens[:len(p)]) == p), 0)


def read_correction(text: str) -> Correction | None:
    """Return the correction ``text`` makes, or None when it does not start like one."""
    # Elisions split too (« c'était », « l'Espagne »), so « c », « l » can be filler.
    words = [word for word in _TOKENS.split(text) if word]
    folded = [fold(word) for word in words]
    markers, weak, filler = _words()
    covered = _starts(folded, markers)
    strong = covered > 0
    if not strong:
        covered = _starts(folded, weak)
    if not covered:
        return None
    while (extra := _starts(folded[covered:], filler)) and covered + extra < len(words):
        covered += extra
    value = " ".join(words[covered:]).strip(" ,:;.!")
    if not value:
        return None
    return Correction(value, _named_fields(fold(value)), strong)


def _named_fields(folded: str) -> frozenset[str]:
    padded = f" {folded} "
    return frozenset(field for field, words in intents_file().root["correction_field"].items()
                     if any(f" {fold(word)} " in padded for word in words))
