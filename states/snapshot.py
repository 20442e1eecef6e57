"""What is saved of a conversation after every turn (JSON in SQLite)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from bot.domain.claim import ClaimDraft
from states.machine import WELCOME


class Status(StrEnum):
    """Where the claim stands, for operators and the retention job."""

    IN_PROGRESS = "in_progress"
    READY = "ready"
    BLOCKED = "blocked"
    ABANDONED = "abandoned"


class Blocked(BaseModel):
    """The BLOCK finding that stopped the claim and the field that caused it."""

    rule_id: str
    field: str


class FlowSnapshot(BaseModel):
    """The whole conversation state of one chat."""

    state: str = WELCOME
    draft: ClaimDraft = Field(default_factory=ClaimDraft)
    claim_no: int = 1
    status: Status = Status.IN_PROGRESS
    language: str = "fr"
    accepted_privacy: bool = False
    # From the recap (or after a block): ``next`` goes to the first unanswered question.
    editing: bool = False
    documents_seen: bool = False
    blocked: Blocked | None = None
    # A corrected answer offered with one button (e.g. a shortened context, VAL-08).
    suggestion: str | None = None
    shown_rules: list[str] = Field(default_factory=list)
    last_rules: list[str] = Field(default_factory=list)
    ready_on: date | None = None
