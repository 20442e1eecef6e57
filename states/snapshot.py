"""What is saved of a conversation after every turn (JSON in SQLite)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from bot.domain.claim import ClaimDraft, ForeignAmount
from states.machine import HANDOFF, SUMMARY, WELCOME


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


# States of earlier releases, and where a conversation saved in them goes on.
_FORMER_STATES = {"certify.originals": SUMMARY, "certify.accuracy": SUMMARY}


class PendingCorrection(BaseModel):
    """A typed correction waiting for its one-tap confirmation (or for its field)."""

    question_id: str
    """The question it corrects; empty when the user is asked which one."""
    typed: str
    """The corrected answer as typed; empty when it fitted no field."""


class PendingConversion(BaseModel):
    """A foreign amount typed at ``care.amount``, waiting for its currency, date or « OK »."""

    amount: Decimal
    currency: str
    """The currency, or the first candidate of an uncertain mark (« $ »)."""
    candidates: list[str] = Field(default_factory=list)
    """The currencies an uncertain mark may be, to choose from; empty once it is known."""
    paid_on: date | None = None
    proposed: ForeignAmount | None = None
    """The conversion shown, waiting for « C'est juste »."""


class PlannedFile(BaseModel):
    """One file the documents make (``bot.documents.plan_files``), as the user is told of it."""

    name: str
    category: str
    documents: int = 1
    """How many documents were merged into it."""
    pages: int = 1


class Queue(StrEnum):
    """Where a hand-off stands in the advisers' queue (« à traiter »… « résolu »)."""

    WAITING = "waiting"
    """Nobody took it yet (« à traiter »)."""
    TAKEN = "taken"
    """An adviser handles it (« en cours »)."""
    AWAITING_USER = "awaiting_user"
    """The adviser waits for the traveller's answer (« en attente de l'usager »)."""
    RESOLVED = "resolved"
    """Handed back to the bot (« résolu »)."""


class Handoff(BaseModel):
    """The latest time a person was asked for: who handles it, and since when (UTC)."""

    resume: str
    """The state the bot takes up again when the person hands back."""
    asked_at: datetime
    queue: Queue = Queue.WAITING
    agent: str | None = None
    """Who took it (the console login, or ``shell:<user>``)."""
    answered_at: datetime | None = None
    """The first reply of a person; None: the traveller still waits for one."""
    overdue_told: bool = False
    """The traveller was told nobody answered in time, and given the phone line."""
    resolved_by: str | None = None
    """Who handed back (the traveller themselves: ``user``)."""

    def take(self, agent: str) -> None:
        """Record that ``agent`` handles the hand-off now."""
        self.agent = agent
        self.queue = Queue.TAKEN

    def answered(self, agent: str, at: datetime) -> None:
        """Record a reply of ``agent``: the traveller's answer is awaited."""
        if self.agent is None:
            self.agent = agent
        self.answered_at = self.answered_at or at
        self.queue = Queue.AWAITING_USER

    def wait_for_user(self, agent: str) -> None:
        """Record that the adviser waits for the traveller's answer."""
        self.agent = self.agent or agent
        self.queue = Queue.AWAITING_USER

    def user_wrote(self) -> None:
        """The traveller wrote: an adviser awaiting their answer has something to do."""
        if self.queue is Queue.AWAITING_USER:
            self.queue = Queue.TAKEN

    def release(self) -> None:
        """Put the hand-off back in the queue, for anyone to take (« à traiter »)."""
        self.agent = None
        self.queue = Queue.WAITING

    def resolve(self, by: str) -> None:
        """Record the hand-back (the machine moves the conversation back)."""
        self.queue = Queue.RESOLVED
        self.resolved_by = by


class FlowSnapshot(BaseModel):
    """The whole conversation state of one chat."""

    state: str = WELCOME

    @field_validator("state")
    @classmethod
    def _current_state(cls, state: str) -> str:
        return _FORMER_STATES.get(state, state)
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
    correction: PendingCorrection | None = None
    conversion: PendingConversion | None = None
    # The documents sent at the amount question after « Lire le montant sur mes factures »
    # (None: not reading): the service reads the receipts of the files sent meanwhile.
    receipts_for_amount: list[str] | None = None
    # The step whose fields « Modifier » lists now (typed « montant » picks one of them).
    editing_step: str | None = None
    # Which question each typed message answered (by message ref), so that editing the
    # message later corrects that answer. The latest ones only: older edits are rare.
    answered_by: dict[str, str] = Field(default_factory=dict)

    def remember_answer(self, ref: str, question_id: str) -> None:
        """Record that message ``ref`` answered ``question_id`` (the last 30 are kept)."""
        self.answered_by[ref] = question_id
        for old in list(self.answered_by)[:-30]:
            del self.answered_by[old]
    shown_rules: list[str] = Field(default_factory=list)
    last_rules: list[str] = Field(default_factory=list)
    ready_on: date | None = None
    ready_at: datetime | None = None
    """When the claim was made ready: its follow-up counts from then (AFT-01)."""
    # « Ne plus me rappeler » or /rappels: no reminder is planned while off (issue 16).
    reminders_off: bool = False
    # « Me le rappeler » once a claim is ready: the next family member's, when LIM-01 allows.
    family_reminder: bool = False
    # The files the documents will make, and the documents they were planned from: planned
    # again by the service whenever a document or its category changes.
    planned: list[PlannedFile] = Field(default_factory=list)
    plan_key: str = ""
    # The message showing the live checklist of step 4, as the adapter named it: edited as
    # documents change, instead of a new one each time (None: the next one is a new message).
    checklist_message: str | None = None
    # The document the next file received replaces (« Remplacer » in « Mes documents »).
    replacing: str | None = None
    # The latest hand-off to a person (kept once resolved, for the console).
    handoff: Handoff | None = None

    @property
    def claim_state(self) -> str:
        """Return where the claim stands: the state the bot resumes at, during a hand-off."""
        if self.state == HANDOFF and self.handoff is not None:
            return self.handoff.resume
        return self.state

    def documents_key(self) -> str:
        """Name the claim's documents and their categories, to know when to plan again."""
        return ";".join(f"{doc.id}:{doc.category or ''}" for doc in self.draft.documents)

    def stop_on(self, rule_id: str, field: str) -> None:
        """Record the BLOCK finding that stops the claim (the machine moves it to blocked)."""
        self.blocked = Blocked(rule_id=rule_id, field=field)
        self.status = Status.BLOCKED
        self.last_rules = [rule_id]

    def abandon(self) -> None:
        """Record that the user cancelled the claim (the machine moves it to cancelled)."""
        self.status = Status.ABANDONED

    def mark_ready(self, today: date, now: datetime) -> None:
        """Record that both boxes are ticked (the machine moves the claim to done)."""
        self.status = Status.READY
        self.ready_on = today
        self.ready_at = now

    def reopen(self) -> None:
        """Take up a claim again to change an answer: the next step asks what's missing.

        The boxes certify the answers as they are: a change unticks them.
        """
        self.draft.certified_originals = self.draft.certified_accuracy = False
        self.editing_step = None
        self.editing = True
        self.status = Status.IN_PROGRESS
        self.blocked = None
        self.suggestion = None

    def closed(self) -> FlowSnapshot:
        """Return this claim as it is kept once replaced: one still in progress is abandoned."""
        if self.status is Status.IN_PROGRESS:
            return self.model_copy(update={"status": Status.ABANDONED}, deep=True)
        return self.model_copy(deep=True)

    def next_claim(self, draft: ClaimDraft, *, editing: bool) -> FlowSnapshot:
        """Return a new claim of the same chat on ``draft``, still where this one stands.

        The machine's ``restart`` then takes it to the welcome.
        """
        return FlowSnapshot(
            state=self.state, draft=draft, language=self.language,
            claim_no=self.claim_no + (0 if self.state == WELCOME else 1),
            accepted_privacy=self.accepted_privacy, editing=editing,
            reminders_off=self.reminders_off,
        )
