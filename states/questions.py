"""The shapes every step is declared with: a ``Step`` is an ordered tuple of ``Question``s.

A question is data: its id (``<step>.<field>``), the draft field it fills, how a typed answer
is parsed (``kind``), the fixed list it offers, and the condition under which it is asked.
Its texts live in the catalog under ``question.<id>.prompt`` and ``question.<id>.label``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a typed answer is read."""

    CHOICE = "choice"
    NAME = "name"
    DATE = "date"
    AMOUNT = "amount"
    COUNTRY = "country"
    CONTEXT = "context"


@dataclass(frozen=True)
class Question:
    """One question of the form (or of the bot's own routing, when ``in_recap`` is False)."""

    id: str
    kind: Kind
    choices: str | None = None
    when: str | None = None
    in_recap: bool = True

    @property
    def field(self) -> str:
        """Return the ``ClaimDraft`` field this question fills."""
        return self.id.split(".", 1)[1]

    @property
    def prompt_key(self) -> str:
        """Return the catalog key of the question's text."""
        return f"question.{self.id}.prompt"

    @property
    def label_key(self) -> str:
        """Return the catalog key of the form's label, used in the recap."""
        return f"question.{self.id}.label"


@dataclass(frozen=True)
class Step:
    """One of the five steps of the form."""

    id: str
    number: int
    questions: tuple[Question, ...] = ()

    @property
    def title_key(self) -> str:
        """Return the catalog key of the step's title."""
        return f"step.{self.id}.title"
