"""Fixed lists of the form (``config/choices.toml``) and matching of typed answers to them.

A typed answer is matched on the choice's label, its number in the list, its id or an alias,
then, for typos, by fuzzy similarity (RapidFuzz), never on anything but the catalog data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from bot.domain.config_files import Entry, choices_file
from bot.domain.text import fold

# A fuzzy score at or above this is a match; below it we ask again rather than guess.
_FUZZY_THRESHOLD = 80


def _score(typed: str, name: str, **_: object) -> float:
    """Score a typed answer against a name: a typo of it, or a sentence containing it."""
    whole_words = len(name) >= 3 and f" {name} " in f" {typed} "
    # « je suis retraitée »: one word of the sentence is a typo of a one-word name.
    in_sentence = max((fuzz.ratio(word, name) for word in typed.split()), default=0.0)
    in_sentence = in_sentence - 5 if len(name) >= 5 and " " not in name else 0.0
    return max(fuzz.ratio(typed, name), 95.0 if whole_words else 0.0, in_sentence)


@dataclass(frozen=True)
class Choice:
    """One entry of a fixed list: a stable id and its labels."""

    id: str
    label: str
    label_en: str
    aliases: tuple[str, ...] = ()

    @classmethod
    def of(cls, entry: Entry) -> Choice:
        """Return the choice of a ``config/`` list entry."""
        return cls(entry.id, entry.label, entry.label_en, entry.aliases)

    def label_for(self, language: str) -> str:
        """Return the label in ``language`` (French by default)."""
        return self.label_en if language == "en" else self.label


@dataclass(frozen=True)
class ChoiceList:
    """A named fixed list, in the form's order."""

    name: str
    choices: tuple[Choice, ...]

    def get(self, choice_id: str) -> Choice | None:
        """Return the choice with ``choice_id``, if any."""
        return next((c for c in self.choices if c.id == choice_id), None)

    def match(self, typed: str) -> Choice | None:
        """Return the choice a typed answer designates, or None when unsure."""
        key = fold(typed)
        if not key:
            return None
        if key.isdigit() and 1 <= int(key) <= len(self.choices):
            return self.choices[int(key) - 1]
        candidates: dict[str, Choice] = {}
        for choice in self.choices:
            for name in (choice.id, choice.label, choice.label_en, *choice.aliases):
                candidates.setdefault(fold(name), choice)
        if key in candidates:
            return candidates[key]
        scores = process.extract(key, list(candidates), scorer=_score, limit=5)
        if not scores or scores[0][1] < _FUZZY_THRESHOLD:
            return None
        # Two different choices scoring alike means the answer is ambiguous.
        winners = {candidates[name].id for name, score, _ in scores if score == scores[0][1]}
        return candidates[scores[0][0]] if len(winners) == 1 else None


@cache
def choice_list(name: str) -> ChoiceList:
    """Return the list ``name`` of ``config/choices.toml``."""
    entries = choices_file().root[name].choices
    return ChoiceList(name, tuple(Choice.of(entry) for entry in entries))


def all_list_names() -> list[str]:
    """Return the names of every fixed list."""
    return list(choices_file().root)
