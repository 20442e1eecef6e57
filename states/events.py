"""Inputs the service hands the flow after doing I/O itself, and what a turn produces."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.claim import DocumentRef, ReceiptRead
from bot.domain.io import Attachment, Reply, UserInput
from bot.domain.reminders import Answer
from states.snapshot import Queue


@dataclass(frozen=True)
class DocumentAdded:
    """A file (or album) was converted and stored; ``notices`` are remarks for the user.

    ``readings`` holds what the receipt reader read on each file, when the snapshot asked
    for it (``FlowSnapshot.receipts_for_amount``); the service reads them off the loop.
    """

    document: DocumentRef
    notices: tuple[str, ...] = ()
    readings: tuple[ReceiptRead, ...] = ()


@dataclass(frozen=True)
class DocumentFailed:
    """A file could not be used; ``message`` says why and what to do, in French."""

    message: str


@dataclass(frozen=True)
class Take:
    """An adviser takes the conversation (steps in, if nobody asked for a person)."""

    agent: str


@dataclass(frozen=True)
class AgentReply:
    """An adviser writes to the traveller: a text, a file, or both."""

    agent: str
    text: str = ""
    attachment: Attachment | None = None


@dataclass(frozen=True)
class SetQueue:
    """An adviser moves the hand-off in the queue (« résolu » hands back)."""

    agent: str
    queue: Queue


@dataclass(frozen=True)
class HandBack:
    """An adviser gives the conversation back to the bot, which resumes where it was."""

    agent: str


@dataclass(frozen=True)
class Overdue:
    """The hand-off watch: the advisers' set time may have passed without an answer."""


AgentInput = Take | AgentReply | SetQueue | HandBack | Overdue
"""What advisers (and the hand-off watch) do to a conversation, outside the user's turns."""

FlowInput = UserInput | DocumentAdded | DocumentFailed | AgentInput


@dataclass
class Outcome:
    """The replies of one turn and what the service must do besides sending them."""

    replies: list[Reply] = field(default_factory=list)
    send_pack: bool = False
    claim_ready: bool = False
    erase: bool = False
    resend_pack: int | None = None
    """Send the pack of this claim number again (``/mes_demandes``)."""
    checklist: bool = False
    """The documents changed at step 4: once they are planned, say any new merge and edit the
    live checklist (``states.screen_documents.replanned``)."""
    declined: bool = False
    """An adviser's act did not apply (the conversation is not with a person, nothing
    changed): nothing is saved or sent."""
    events: list[tuple[str, str]] = field(default_factory=list)
    """Events of the turn for the operator trace, besides the moves (``handoff`` acts)."""
    follow_up: tuple[int, Answer] | None = None
    """The answer to a claim's follow-up (claim number, answer): recorded for the console."""

    def say(self, *replies: Reply) -> Outcome:
        """Append replies and return self."""
        self.replies.extend(replies)
        return self
