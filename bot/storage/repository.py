"""The storage port: what the service needs from a store, whatever the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.domain.archive import ClaimSummary


@dataclass(frozen=True)
class StoredDocument:
    """A document as received and as converted."""

    id: str
    chat_id: str
    claim_no: int
    filename: str
    mime: str
    original: bytes
    pdf: bytes
    page_count: int


@dataclass(frozen=True)
class ConsoleColumns:
    """What the operator console lists, filters and searches a conversation by."""

    claim_no: int
    step: int | None
    beneficiary: str | None
    country: str | None
    blocked_rule: str | None
    rules: tuple[str, ...] | None = None
    """Rule ids met (shown or blocking), or None when unchanged by the turn."""


@dataclass(frozen=True)
class Turn:
    """Everything one turn writes, saved in one transaction."""

    chat_id: str
    state: str
    status: str
    snapshot_json: str
    columns: ConsoleColumns
    at: datetime
    said: str = ""
    """What the user typed or did (searched by the console)."""
    replies: str = "[]"
    """The bot's replies as JSON: catalog keys and payloads (``bot.service_record``)."""
    event_id: str | None = None
    claim_ready_on: date | None = None
    beneficiary: str | None = None
    events: tuple[tuple[str, str], ...] = ()
    documents: tuple[StoredDocument, ...] = ()
    """Documents received in this turn, saved with it."""
    erased_documents: tuple[str, ...] = ()
    """Ids of documents of the chat the turn removed: erased with it."""
    archived: tuple[ArchivedClaim, ...] = ()
    """Claims the turn closed (a new claim replaced them), kept read-only."""
    existed: bool = False
    """The conversation was stored when the turn began: if it is gone, it was erased since."""


class ConversationErased(Exception):
    """The conversation was erased (by an operator or retention) while the turn ran."""


@dataclass(frozen=True)
class ArchivedClaim:
    """A claim that ended or was replaced, saved read-only with the turn that closed it."""

    claim_no: int
    status: str
    beneficiary: str | None
    snapshot_json: str


@dataclass(frozen=True)
class TurnContext:
    """What a turn reads before it starts."""

    seen: bool
    snapshot_json: str | None
    ready_claims: list[tuple[date, str | None]]
    number: int | None = None
    """The conversation's number (its claims' references), once it is stored."""
    claims: tuple[ClaimSummary, ...] = ()
    """The chat's archived claims, oldest first."""


class ClaimRepository(Protocol):
    """Async storage of conversations."""

    async def load(self, chat_id: str) -> str | None:
        """Return the saved snapshot JSON of a chat, or None for a new chat."""
        ...

    async def seen(self, event_id: str) -> bool:
        """Tell whether an incoming event was already handled (redelivery)."""
        ...

    async def open_turn(self, chat_id: str, event_id: str | None) -> TurnContext:
        """Read redelivery, the saved snapshot and earlier ready claims at once."""
        ...

    async def save_turn(self, turn: Turn) -> None:
        """Save state, console columns, the turn's messages, documents and events at once."""
        ...

    async def update_snapshot(self, chat_id: str, snapshot_json: str) -> None:
        """Replace a chat's saved snapshot between turns; nothing if the chat is erased."""
        ...

    async def archived_claim(self, chat_id: str, claim_no: int) -> str | None:
        """Return the snapshot JSON of an archived claim of the chat, if there is one."""
        ...

    async def documents(self, chat_id: str, claim_no: int) -> list[StoredDocument]:
        """Return the documents of one claim, in arrival order."""
        ...

    async def ready_claims(self, chat_id: str) -> list[tuple[date, str | None]]:
        """Return (date, beneficiary) of the claims this chat made ready (LIM-01)."""
        ...

    async def erase_chat(self, chat_id: str) -> None:
        """Erase everything about a chat, recording the erasure without its content."""
        ...

    async def purge_inactive(self, before: datetime) -> int:
        """Erase conversations untouched since ``before`` (retention); return how many."""
        ...

    async def close(self) -> None:
        """Close the store."""
        ...
