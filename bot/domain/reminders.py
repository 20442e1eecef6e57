"""Reminders as stored, and the rules of when the bot writes first (``config/reminders.toml``).

A ``Reminder`` is one message the bot plans to send a chat outside a turn: its kind, the
claim it is about, its rank among that claim's reminders of the kind, and when it is due.
``ReminderPolicy`` is the file, checked when first read; settings override its durations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.domain.catalog import load_toml
from bot.domain.durations import parse_duration
from bot.domain.local_time import Hours


class Kind(StrEnum):
    """What a reminder is about (one ``[[reminder]]`` of the file each)."""

    UNFINISHED = "unfinished"
    NEXT_FAMILY = "next_family"
    ACCIDENT_REPORT = "accident_report"
    FOLLOW_UP = "follow_up"


class Status(StrEnum):
    """Where a reminder stands: planned, or sent (posted to the outbox; kept for the console)."""

    PLANNED = "planned"
    SENT = "sent"


class Answer(StrEnum):
    """The answers to « Avez-vous reçu le remboursement ? » (AFT-01, AFT-03)."""

    RECEIVED = "received"
    PENDING = "pending"
    REFUSED = "refused"


@dataclass(frozen=True)
class Reminder:
    """One reminder of a chat: planned, or sent (and then possibly answered)."""

    kind: Kind
    claim_no: int
    seq: int
    """Its rank among the claim's reminders of this kind (1, then 2…)."""
    due_at: datetime
    status: Status = Status.PLANNED
    sent_at: datetime | None = None
    answer: Answer | None = None
    id: int | None = None
    chat_id: str = ""

    @property
    def key(self) -> tuple[str, int, int]:
        """What makes it unique in its chat: a key planned again is never sent twice."""
        return (self.kind.value, self.claim_no, self.seq)


ButtonName = Literal["resume", "later", "stop", "start", "received", "pending", "refused"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True,
                              populate_by_name=True)


class ReminderRule(_Strict):
    """One ``[[reminder]]``: what starts it, when it is due, how often, what it offers."""

    kind: Kind
    rules: tuple[str, ...] = ()
    when: str
    start: str = Field(alias="from")
    after: timedelta
    again: timedelta | None = None
    at_most: int = Field(default=1, ge=1, le=3)
    soonest: timedelta = timedelta(0)
    kept: bool = False
    buttons: tuple[ButtonName, ...] = Field(min_length=1)

    @field_validator("after", mode="before")
    @classmethod
    def _signed(cls, value: object) -> object:
        return parse_duration(value, signed=True) if isinstance(value, str) else value

    @field_validator("again", "soonest", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value) if isinstance(value, str) else value


class ReminderPolicy(_Strict):
    """``config/reminders.toml``: the window of decent hours and every kind's rule."""

    hours: Hours
    reminder: tuple[ReminderRule, ...] = Field(min_length=1)

    @field_validator("hours", mode="before")
    @classmethod
    def _hours(cls, value: object) -> object:
        return Hours.parse(value) if isinstance(value, str) else value

    @field_validator("reminder")
    @classmethod
    def _one_rule_per_kind(cls, rules: tuple[ReminderRule, ...]) -> tuple[ReminderRule, ...]:
        if sorted(rule.kind for rule in rules) != sorted(Kind):
            raise ValueError("one [[reminder]] per kind: " + ", ".join(Kind))
        return rules

    def rule(self, kind: Kind) -> ReminderRule:
        """Return the rule of one kind."""
        return next(rule for rule in self.reminder if rule.kind == kind)

    def overridden(self, *, hours: Hours | None = None,
                   after: Mapping[Kind, timedelta] | None = None,
                   again: Mapping[Kind, timedelta] | None = None) -> ReminderPolicy:
        """Return the policy with the window and some durations replaced (the settings)."""
        changes: dict[str, Any] = {}
        if hours is not None:
            changes["hours"] = hours
        after, again = after or {}, again or {}
        rules = []
        for rule in self.reminder:
            update: dict[str, Any] = {}
            if rule.kind in after:
                update["after"] = after[rule.kind]
            if rule.kind in again:
                update["again"] = again[rule.kind]
            rules.append(rule.model_copy(update=update))
        changes["reminder"] = tuple(rules)
        return self.model_copy(update=changes)


@cache
def reminder_policy() -> ReminderPolicy:
    """Return the rules of ``config/reminders.toml`` (checked when first read)."""
    return ReminderPolicy.model_validate(load_toml("reminders.toml"))


@dataclass(frozen=True)
class ReminderContext:
    """What planning a chat's reminders needs besides the conversation and the instant: the
    rules, and the reminders stored for the chat (planned and sent)."""

    policy: ReminderPolicy
    stored: tuple[Reminder, ...] = ()
