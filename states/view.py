"""What a screen, a command or an action sees of the conversation: ``FlowView``.

Screens and handlers import this protocol, never ``states.flow``: the flow implements it, so
the modules that declare behaviour never import the module that dispatches to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from bot.domain.archive import ClaimSummary
from bot.domain.catalog import Catalog
from bot.domain.claim import ClaimDraft
from bot.domain.eligibility import Evaluation, PastClaim
from bot.domain.opening_hours import AdviserDesk
from bot.domain.reminders import ReminderContext
from states.events import Outcome
from states.snapshot import FlowSnapshot


class FlowView(Protocol):
    """The conversation of one chat during one turn."""

    @property
    def snapshot(self) -> FlowSnapshot:
        """Return the saved state of the conversation."""
        ...

    @property
    def draft(self) -> ClaimDraft:
        """Return the claim being filled."""
        ...

    @property
    def catalog(self) -> Catalog:
        """Return the texts in the conversation's language."""
        ...

    @property
    def today(self) -> date:
        """Return today's date in France."""
        ...

    @property
    def now(self) -> datetime:
        """Return the instant of the turn (UTC)."""
        ...

    @property
    def desk(self) -> AdviserDesk:
        """Return the advisers' hours and how soon they answer (a hand-off)."""
        ...

    @property
    def history(self) -> tuple[PastClaim, ...]:
        """Return the claims this chat made ready before (LIM-01)."""
        ...

    @property
    def reminders(self) -> ReminderContext:
        """Return the rules of reminders and those stored for the chat (issue 16)."""
        ...

    @property
    def claims(self) -> tuple[ClaimSummary, ...]:
        """Return the chat's earlier claims, kept read-only (``/mes_demandes``)."""
        ...

    def reference(self, claim_no: int | None = None) -> str:
        """Return the reference of a claim of the chat (the current one by default)."""
        ...

    def evaluation(self) -> Evaluation:
        """Evaluate the eligibility rules on the answers so far."""
        ...

    def prompt(self, lead: str = "") -> Outcome:
        """Return the message of the current state, after ``lead``."""
        ...

    def advance(self, outcome: Outcome, *, lead: str = "") -> Outcome:
        """Go to the next state that applies and ask it."""
        ...

    def fire(self, trigger: str, target: str | None = None) -> bool:
        """Move the conversation with one of the machine's triggers; tell whether it moved."""
        ...

    def begin_claim(self, draft: ClaimDraft, *, editing: bool) -> None:
        """Start a new claim on ``draft``, keeping the current one read-only if it began.

        The machine then restarts the conversation at the welcome.
        """
        ...

    def forget(self) -> None:
        """Drop the whole conversation (``/supprimer``): the next message starts afresh."""
        ...

    def stale(self) -> Outcome:
        """Answer a button that no longer applies, then show the current state."""
        ...


Handler = Callable[[FlowView, str], Outcome]
"""Apply an action (its argument is the payload's rest, or the typed text)."""

ANYWHERE: frozenset[str] = frozenset()
"""``Action.states`` for an action allowed in every state."""


@dataclass(frozen=True)
class Action:
    """A command or a button: where it may act, and what it does."""

    handler: Handler
    states: frozenset[str] = ANYWHERE

    def allowed_in(self, state: str) -> bool:
        """Tell whether the action may act in ``state``."""
        return not self.states or state in self.states


@dataclass(frozen=True)
class Screen:
    """A state that is not a question: its message, typed text there, and its buttons.

    Attributes:
        state: the machine state the screen shows.
        prompt: builds the message (``lead`` first).
        on_text: what typed text does there (a command word is handled before).
        actions: the screen's own ``nav:<action>`` buttons, acting only on this screen.
    """

    state: str
    prompt: Callable[[FlowView, str], Outcome]
    on_text: Handler | None = None
    actions: Mapping[str, Handler] = field(default_factory=dict)
