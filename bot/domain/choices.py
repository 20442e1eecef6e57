"""Fixed lists of the form (``config/choices.toml``) and matching of typed answers to them.

A typed answer is matched on the choice's number in the list, its id, a label or an alias,
then word by word (``bot.domain.matching``: typos, plurals, sentences) on the words of every
label and alias; it is taken only when it fits one choice clearly better than any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from bot.domain.config_files import Entry, choices_file
from bot.domain.matching import content_words, fit, without_hesitation
from bot.domain.text import fold

# A choice is taken when it fits at least this well (``matching.fit``: 1 = every word of one
# of its names, nothing else; 0.75 = one name word in a two-word sentence)…
_SURE_FIT = 0.6
# …and fits this much better than any other choice; else the question is asked back.
_MARGIN = 0.15
# A button among a screen's fields (« Montant », « Date de naissance ») is taken on one of
# its words (« naissance »): a wrong pick costs one tap back, a wrong answer a wrong claim.
_BUTTON_FIT = 0.5
# Longer than any answer to a list: the rest is not read (bounded time per input).
MAX_TYPED_CHOICE = 200


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

    def _names_of(self, choice: Choice) -> tuple[str, ...]:
        return tuple(fold(name) for name in (choice.id, choice.label, choice.label_en,
                                              *choice.aliases))

    @cached_property
    def _names(self) -> dict[str, Choice]:
        """Return every folded name (id, labels, aliases), and its words, to its choice.

        A name's words without fillers (« un mois » → « mois ») stand for it only when no
        other choice uses them (« mois » is in « Plus de 3 mois » too).
        """
        names = {name: choice for choice in reversed(self.choices)
                 for name in reversed(self._names_of(choice))}
        for choice in self.choices:
            others = {word for other in self.choices if other is not choice
                      for name in self._names_of(other) for word in name.split()}
            for name in self._names_of(choice):
                key = " ".join(content_words(name))
                if key not in others:
                    names.setdefault(key, choice)
        names.pop("", None)
        return names

    @cached_property
    def _vocabulary(self) -> frozenset[str]:
        """Return every word of every name of the list."""
        return frozenset(word for name in self._names for word in name.split())

    @cached_property
    def _worded(self) -> tuple[tuple[Choice, tuple[tuple[str, ...], ...]], ...]:
        """Return each choice with the distinct words of its names, fillers left out.

        One-letter names (« o », « n », « y ») are whole answers, never words of a sentence.
        """
        def words(name: str) -> tuple[str, ...]:
            content = content_words(name)  # kept whole when shared: « un mois » is not « mois »
            return content if " ".join(content) in self._names else tuple(name.split())

        return tuple((choice, tuple(dict.fromkeys(
            words(name) for name in self._names_of(choice) if len(name) > 1
        ))) for choice in self.choices)

    def fits(self, typed: str) -> list[tuple[float, Choice]]:
        """Return how well ``typed`` fits each choice, best first."""
        words = content_words(typed)
        scores = [(max((fit(words, name, self._vocabulary) for name in names), default=0.0),
                   choice) for choice, names in self._worded]
        return sorted(scores, key=lambda pair: -pair[0])

    def match(self, typed: str, sure_fit: float = _SURE_FIT) -> Choice | None:
        """Return the choice a typed answer designates, or None when unsure (ask back)."""
        key = without_hesitation(fold(typed[:MAX_TYPED_CHOICE]))
        if not key:
            return None
        if key.isdigit() and 1 <= int(key) <= len(self.choices):
            return self.choices[int(key) - 1]
        exact = self._names.get(key) or self._names.get(" ".join(content_words(key)))
        if exact is not None:
            return exact
        ranked = [*self.fits(key), (0.0, None), (0.0, None)]
        (best, choice), (runner_up, _) = ranked[:2]
        return choice if best >= sure_fit and best - runner_up >= _MARGIN else None


@cache
def choice_list(name: str) -> ChoiceList:
    """Return the list ``name`` of ``config/choices.toml``."""
    entries = choices_file().root[name].choices
    return ChoiceList(name, tuple(Choice.of(entry) for entry in entries))


def all_list_names() -> list[str]:
    """Return the names of every fixed list."""
    return list(choices_file().root)


def match_offered(typed: str, offered: Mapping[str, Sequence[str]]) -> str | None:
    """Return the key of the offered label ``typed`` designates, or None when unsure.

    ``offered`` maps each button's key (a question id…) to its labels, in the order shown (a
    typed number is the button's rank): « montant » picks « Montant » among a step's fields.
    Matching is that of the fixed lists: words, typos, a clear margin over the next best.
    """
    offered_list = ChoiceList("offered", tuple(
        Choice(key, labels[0], labels[-1], tuple(labels[1:]))
        for key, labels in offered.items() if labels
    ))
    choice = offered_list.match(typed, _BUTTON_FIT)
    return choice.id if choice else None
