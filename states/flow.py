"""The conversation engine: one ``ClaimFlow`` per turn, around a saved ``FlowSnapshot``.

``handle`` takes one input and dispatches it through tables: commands (``states.commands``),
pressed payloads by kind (below), screens by state (``states.screens``) and questions by
state (``states.answers``). The flow implements ``FlowView``, what those handlers see; only
the machine (``states.machine.fire``) changes the state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time

from bot.domain.archive import ClaimSummary, claim_reference
from bot.domain.catalog import Catalog, get_catalog
from bot.domain.claim import ClaimDraft
from bot.domain.eligibility import Evaluation, PastClaim, evaluate
from bot.domain.intents import intent_of
from bot.domain.io import Command, Edit, Press, Reply, Text
from bot.domain.opening_hours import AdviserDesk
from bot.domain.reminders import ReminderContext, reminder_policy
from states import (
    amount_currency,
    amount_receipts,
    answers,
    commands,
    corrections,
    handoff,
    machine,
    my_documents,
    payloads,
    reminder_actions,
)
from states.conditions import applies
from states.events import AgentInput, DocumentAdded, DocumentFailed, FlowInput, Outcome
from states.machine import DOCUMENTS, HANDOFF, QUESTIONS, SUMMARY, WELCOME, Move
from states.payloads import Payload
from states.prompts import question_reply
from states.screen_documents import added, categorise, refused, replanned
from states.screen_summary import certify, edit
from states.screens import SCREENS
from states.snapshot import FlowSnapshot, PlannedFile
from states.view import FlowView


class ClaimFlow:
    """Apply one input to a conversation and say what to reply."""

    def __init__(
        self, snapshot: FlowSnapshot, *, today: date, history: Sequence[PastClaim] = (),
        claims: Sequence[ClaimSummary] = (), number: int | None = None,
        now: datetime | None = None, desk: AdviserDesk | None = None,
        reminders: ReminderContext | None = None,
    ) -> None:
        self._snapshot = snapshot
        self._today = today
        self._now = now or datetime.combine(today, time(12), UTC)
        self._desk = desk or AdviserDesk.of()
        self._history = tuple(history)
        self._claims = tuple(claims)
        self._number = number
        self._reminders = reminders or ReminderContext(reminder_policy())
        self.archived: list[FlowSnapshot] = []
        """Claims this turn closed by starting a new one: kept read-only by the service."""
        self.moves: list[Move] = []
        """The transitions this turn made, in order (for the operator trace)."""
        self._evaluated: tuple[tuple[str, str], Evaluation] | None = None

    @property
    def snapshot(self) -> FlowSnapshot:
        """Return the saved state of the conversation."""
        return self._snapshot

    @property
    def draft(self) -> ClaimDraft:
        """Return the claim being filled."""
        return self._snapshot.draft

    @property
    def catalog(self) -> Catalog:
        """Return the texts in the conversation's language."""
        return get_catalog(self._snapshot.language)

    @property
    def today(self) -> date:
        """Return today's date in France."""
        return self._today

    @property
    def now(self) -> datetime:
        """Return the instant of the turn (UTC)."""
        return self._now

    @property
    def desk(self) -> AdviserDesk:
        """Return the advisers' hours and how soon they answer (a hand-off)."""
        return self._desk

    @property
    def history(self) -> tuple[PastClaim, ...]:
        """Return the claims this chat made ready before (LIM-01)."""
        return self._history

    @property
    def reminders(self) -> ReminderContext:
        """Return the rules of reminders and those stored for the chat (issue 16)."""
        return self._reminders

    @property
    def number(self) -> int | None:
        """Return the conversation's number (its claims' references), once it is stored."""
        return self._number

    @property
    def claims(self) -> tuple[ClaimSummary, ...]:
        """Return the chat's earlier claims, kept read-only (``/mes_demandes``)."""
        return self._claims

    def reference(self, claim_no: int | None = None) -> str:
        """Return the reference of a claim of the chat (the current one by default)."""
        number = self._snapshot.claim_no if claim_no is None else claim_no
        # A conversation gets its number when it is first stored, before any claim is shown.
        return claim_reference(self._number, number) if self._number else f"n°{number}"

    # Guards of the machine's ``next`` and ``back`` transitions.
    def should_visit(self, state: str) -> bool:
        """Tell whether ``next`` stops at ``state``."""
        editing = self._snapshot.editing
        if state in QUESTIONS:
            question = QUESTIONS[state]
            wanted = applies(question.when, self.draft)
            return wanted and not (editing and self.draft.answered(question.field))
        if state == DOCUMENTS:
            return not (editing and self._snapshot.documents_seen)
        return True

    def can_return_to(self, state: str) -> bool:
        """Tell whether ``back`` stops at ``state``."""
        return state not in QUESTIONS or applies(QUESTIONS[state].when, self.draft)

    def evaluation(self) -> Evaluation:
        """Evaluate the eligibility rules on the answers so far (once per state of them)."""
        # A turn asks several times (the answer, the notices, the screen): the rules run only
        # when the answers or the language changed since the last time.
        key = (self._snapshot.language, self.draft.model_dump_json())
        if self._evaluated is None or self._evaluated[0] != key:
            self._evaluated = (key, evaluate(self.draft, today=self._today,
                                             history=self._history, language=key[0]))
        return self._evaluated[1]

    # Dispatch.
    def handle(self, event: FlowInput) -> Outcome:
        """Apply ``event`` and return what to reply."""
        if self._snapshot.state == HANDOFF and handoff.for_the_person(event):
            return handoff.forwarded(self, event)
        match event:
            case Command(name=name):
                return self._command(name)
            case Press(payload=payload):
                parsed = payloads.parse(payload)
                return _PRESSES[parsed.kind](self, parsed) if parsed else self.stale()
            case Text(text=text, ref=ref):
                return self._text(text, ref)
            case Edit(text=text, ref=ref):
                return corrections.edited(self, text, ref)
            case DocumentAdded():
                in_place = my_documents.replaced(self, event) if self._snapshot.replacing else None
                if in_place is not None:
                    return in_place
                if self._snapshot.receipts_for_amount is not None:
                    return amount_receipts.added(self, event)
                return added(self, event)
            case DocumentFailed(message=message):
                return refused(self, message)
            case _ if isinstance(event, AgentInput):
                return handoff.act(self, event)
        return self.prompt()  # pragma: no cover

    def _command(self, name: str) -> Outcome:
        action = commands.COMMANDS.get(name)
        if action is None or not action.allowed_in(self._snapshot.state):
            return self.prompt(self.catalog.text("error.unknown_command"))
        return action.handler(self, "")

    def _text(self, text: str, ref: str | None = None) -> Outcome:
        command = intent_of(text, "commands")
        if command:
            return self._command(command)
        about_documents = my_documents.typed(self, text)  # « supprimer la dernière photo »
        if about_documents is not None:
            return about_documents
        state = self._snapshot.state
        if state == amount_currency.QUESTION_ID:  # before corrections: « 03/07 » is its date
            foreign = amount_currency.typed(self, QUESTIONS[state], text)
            if foreign is not None:
                return foreign
        corrected = corrections.correct(self, text)
        if corrected is not None:
            return corrected
        if state in QUESTIONS:
            outcome = answers.answer(self, QUESTIONS[state], typed=text)
            if ref is not None and self._snapshot.state != state:  # the answer was taken
                self._snapshot.remember_answer(ref, state)
            return outcome
        on_text = SCREENS[state].on_text
        if on_text is None:
            return self.prompt(self.catalog.text(f"hint.{state}"))
        return on_text(self, text)

    def stale(self) -> Outcome:
        """Answer a button that no longer applies, then show the current state."""
        return Outcome([Reply(self.catalog.text("error.stale_button")), *self.prompt().replies])

    # Moving.
    def fire(self, trigger: str, target: str | None = None) -> bool:
        """Move the conversation with one of the machine's triggers; tell whether it moved."""
        moved = machine.fire(self._snapshot, trigger, self, chosen=target)
        if moved is not None:
            self.moves.append(moved)
            # A pending conversion, reading receipts and a replacement are for the place left.
            self._snapshot.conversion = self._snapshot.receipts_for_amount = None
            self._snapshot.replacing = None
        return moved is not None

    def advance(self, outcome: Outcome, *, lead: str = "") -> Outcome:
        """Go to the next state that applies and ask it."""
        self.fire("next")
        if self._snapshot.state == SUMMARY:
            self._snapshot.editing = False
        return outcome.say(*self.prompt(lead).replies)

    def prompt(self, lead: str = "") -> Outcome:
        """Return the message of the current state."""
        state = self._snapshot.state
        if state == amount_currency.QUESTION_ID and (
                waiting := amount_currency.waiting_prompt(self, lead)) is not None:
            return waiting
        if state in QUESTIONS:
            return Outcome([question_reply(self._snapshot, QUESTIONS[state], lead)])
        return SCREENS[state].prompt(self, lead)

    def documents_planned(self, before: list[PlannedFile]) -> list[Reply]:
        """Return what the files planned anew tell (``Outcome.checklist``): merges, checklist."""
        return replanned(self, before)

    def begin_claim(self, draft: ClaimDraft, *, editing: bool) -> None:
        """Start a new claim on ``draft``, keeping the current one read-only if it began.

        The machine then restarts the conversation at the welcome.
        """
        old = self._snapshot
        if old.state != WELCOME:
            self.archived.append(old.closed())
        self._snapshot = old.next_claim(draft, editing=editing)

    def forget(self) -> None:
        """Drop the whole conversation (``/supprimer``): the next message starts afresh."""
        self._snapshot = FlowSnapshot(language=self._snapshot.language)


def _pressed_answer(flow: FlowView, payload: Payload) -> Outcome:
    if payload.first != flow.snapshot.state or payload.first not in QUESTIONS:
        return flow.stale()
    return answers.answer(flow, QUESTIONS[payload.first], pressed=payload.second)


def _suggestion(flow: FlowView, payload: Payload) -> Outcome:
    suggestion = flow.snapshot.suggestion
    if payload.first != flow.snapshot.state or not suggestion or payload.first not in QUESTIONS:
        return flow.stale()
    return answers.answer(flow, QUESTIONS[payload.first], typed=suggestion)


def _button(flow: FlowView, payload: Payload) -> Outcome:
    """Apply a ``nav:<action>``: the screen's own action first, then the shared ones."""
    state = flow.snapshot.state
    own = SCREENS[state].actions.get(payload.first) if state in SCREENS else None
    if own is not None:
        return own(flow, "")
    shared = commands.BUTTONS.get(payload.first)
    if shared is None or not shared.allowed_in(state):
        return flow.stale()
    return shared.handler(flow, "")


_PRESSES: dict[payloads.Kind, Callable[[FlowView, Payload], Outcome]] = {
    payloads.Kind.ANSWER: _pressed_answer,
    payloads.Kind.SUGGESTION: _suggestion,
    payloads.Kind.NAV: _button,
    payloads.Kind.EDIT: edit,
    payloads.Kind.WHY: lambda flow, payload: commands.why(flow, payload.first),
    payloads.Kind.CATEGORY: categorise,
    payloads.Kind.CERTIFY: certify,
    payloads.Kind.PACK: lambda flow, payload: commands.resend(flow, payload.first),
    payloads.Kind.FIX: corrections.apply,
    payloads.Kind.CONVERT: amount_currency.pressed,
    payloads.Kind.RECEIPTS: amount_receipts.pressed,
    payloads.Kind.DOCUMENT: my_documents.pressed,
    payloads.Kind.REMINDER: reminder_actions.pressed,
}
"""What a pressed button does, by payload kind."""
