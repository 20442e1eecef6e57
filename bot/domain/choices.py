"""Fixed lists of the form (``config/choices.toml``) and matching of typed answers to them.

A typed answer is matched on the choice's label, its number in the list, its id or an alias,
then, for typos, by fuzzy similarity (RapidFuzz), never on anything but the catalog data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from bot.domain.catalog import load_toml
from bot.domain.text import fold

# A fuzzy score at or above this is a match; below it we ask again rather than guess.
_FUZZY_THRESHOLD = 80


@dataclass(frozen=True)
class Choice:
    """One entry of a fixed list: a stable id and its labels."""

    id: str
    label: str
    label_en: str
    aliases: tuple[str, ...] = ()

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
        best = process.extractOne(key, list(candidates), scorer=fuzz.WRatio)
        if best is not None and best[1] >= _FUZZY_THRESHOLD:
            # Two different choices scoring alike means the answer is ambiguous.
            ties = process.extract(key, list(candidates), scorer=fuzz.WRatio, limit=5)
            winners = {candidates[name].id for name, score, _ in ties if score == best[1]}
            if len(winners) == 1:
                return candidates[best[0]]
        return None


@cache
def choice_list(name: str) -> ChoiceList:
    """Return the list ``name`` of ``config/choices.toml``."""
    table = load_toml("choices.toml")[name]
    return ChoiceList(
        name,
        tuple(
            Choice(c["id"], c["label"], c["label_en"], tuple(c.get("aliases", ())))
            for c in table["choices"]
        ),
    )


def all_list_names() -> list[str]:
    """Return the names of every fixed list."""
    return list(load_toml("choices.toml"))
