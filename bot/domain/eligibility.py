"""Eligibility rules: from a claim draft to the route, findings and required documents.

``evaluate`` is pure: it reads the draft, the user's earlier claims and today's date, and
reports only what the answers given so far allow it to decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.claim import ClaimDraft


class Level(StrEnum):
    """How a finding acts on the conversation (RULES.md levels)."""

    BLOCK = "BLOCK"
    WARN = "WARN"
    INFO = "INFO"


@dataclass(frozen=True)
class Finding:
    """One rule that applies: its id, level, French text and the field that caused it."""

    rule_id: str
    level: Level
    text: str
    field: str | None = None
    why: str = ""


@dataclass(frozen=True)
class RequiredDocument:
    """A document category the claim needs (BLOCK) or should have (WARN)."""

    category: str
    rule_id: str
    level: Level
    text: str


@dataclass(frozen=True)
class PastClaim:
    """An earlier claim of the same account (LIM-01, LIM-02)."""

    submitted_on: date
    beneficiary_name: str | None = None


@dataclass(frozen=True)
class Evaluation:
    """The route, findings and documents that follow from a draft."""

    route: str
    route_text: str
    findings: tuple[Finding, ...] = ()
    documents: tuple[RequiredDocument, ...] = ()

    def blocking(self) -> list[Finding]:
        """Return the BLOCK findings."""
        return [f for f in self.findings if f.level is Level.BLOCK]


def evaluate(
    draft: ClaimDraft, *, today: date, history: Sequence[PastClaim] = ()
) -> Evaluation:
    """Evaluate the draft (filled in by the eligibility rules issue)."""
    del draft, today, history
    return Evaluation(route="unknown", route_text="")
