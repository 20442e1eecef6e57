"""The storage port: what the service needs from a store, whatever the database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from bot.domain.archive import ClaimSummary
from bot.domain.io import Upload
from bot.domain.reminders import Answer, Reminder
from bot.domain.sender import Sender
from bot.storage.database import Database


def instant(moment: datetime) -> str:
    """An instant as both stores keep it: ISO-8601 UTC to the second (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def now_instant() -> str:
    """The present, as ``instant`` writes it."""
    return instant(datetime.now(UTC))


CHAT_TABLES = ("conversations", "turns", "documents", "ready_claims", "events",
               "conversation_rules", "claims", "album_items", "outbox", "handoff_notes",
               "reminders", "inbox")
"""Every table holding rows of a chat: erasure and retention delete from each."""


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
    outbox: str | None = None
    """The replies whole (``bot.domain.reply_json``), to deliver after the commit, or None."""
    outbox_until: float = 0.0
    """Until when the turn's own delivery holds that entry (epoch seconds)."""
    pack_claim: int | None = None
    """The claim whose pack those replies carry (« prêt, envoi en cours » until delivered)."""
    sender: Sender | None = None
    """Who wrote, as the adapter saw them: kept with the conversation (None: unchanged)."""
    reminders: tuple[Reminder, ...] | None = None
    """The chat's reminders to keep planned, replacing the planned ones; None: unchanged.

    A reminder of a key already sent is not planned again (``reminder_rows.PLAN``)."""
    follow_up: tuple[int, Answer] | None = None
    """The answer given to a claim's follow-up (claim number, answer), for the console."""


@dataclass(frozen=True)
class AlbumItem:
    """One item of an album, held until the album is complete: the file, or why it was refused."""

    message_id: int
    upload: Upload | None
    refusal: str = ""


HANDLED_ALBUM_DAYS = 1
"""Handled album items are remembered this long (a redelivery comes within minutes)."""
HOLD_ALBUM_ITEM = (
    "INSERT INTO album_items (group_id, chat_id, received_at, message_id, filename, mime,"
    " notices, refusal, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (group_id, message_id) DO UPDATE SET filename = excluded.filename,"
    " mime = excluded.mime, notices = excluded.notices, refusal = excluded.refusal,"
    " data = excluded.data WHERE NOT album_items.handled"
    " AND (excluded.data IS NOT NULL OR excluded.refusal IS NOT NULL)")
"""Hold an album item, or give its row the download (both stores); its arrival stays."""


def album_row(item: AlbumItem) -> tuple[int, str, str | None, str, str | None, bytes | None]:
    """Return (message id, filename, mime, notices JSON, refusal, data) to store an item."""
    upload = item.upload
    if upload is None:  # refused, or still downloading
        return (item.message_id, "", None, "[]", item.refusal or None, None)
    return (item.message_id, upload.filename, upload.mime, json.dumps(upload.notices), None,
            upload.data)


def album_item(group_id: str, row: Sequence[Any]) -> AlbumItem:
    """Read back what ``album_row`` stored."""
    message_id, filename, mime, notices, refusal, data = row
    if refusal:
        return AlbumItem(int(message_id), None, str(refusal))
    return AlbumItem(int(message_id), Upload(bytes(data), str(filename), mime, group_id,
                                             tuple(json.loads(notices))))


DOWNLOAD_GIVEN_UP_SECONDS = 300.0
"""An item still downloading after this long lost its worker (and Telegram gave up)."""


def held(group_id: str, rows: list[tuple[Any, ...]],
         quiet_before: float | None) -> list[AlbumItem] | None:
    """The items of ``rows`` (``album_row`` + received_at), unless the album is not complete.

    It is not while an item came after ``quiet_before`` or one is still downloading.
    """
    if quiet_before is not None and any(row[-1] >= quiet_before for row in rows):
        return None
    downloading = [row for row in rows if row[5] is None and not row[4]]
    oldest = quiet_before if quiet_before is not None else float("inf")
    if any(row[-1] > oldest - DOWNLOAD_GIVEN_UP_SECONDS for row in downloading):
        return None
    return [album_item(group_id, row[:-1]) for row in rows if row not in downloading]


class AlbumStore(Protocol):
    """Where album items wait for their album's quiet time, across workers."""

    async def hold_album_item(self, chat_id: str, group_id: str, item: AlbumItem,
                              at: float) -> None:
        """Keep one item: first when it arrives (no upload, no refusal: downloading), then
        once downloaded. The arrival time stays; a redelivered item is kept once."""
        ...

    async def held_album(self, group_id: str,
                         quiet_before: float | None) -> list[AlbumItem] | None:
        """Return the album's items if its newest came before ``quiet_before`` (None: now).

        None: an item came later, so the album is not complete yet. The items stay held
        until ``drop_album_items``, after their turn is saved: a worker dying in between
        loses none, and the turn's event id makes a second delivery handled once.
        """
        ...

    async def drop_album_items(self, group_id: str, message_ids: Sequence[int]) -> None:
        """Mark items handled: their data is dropped, a redelivery of them is ignored."""
        ...

    async def waiting_albums(self, before: float,
                             chat_id: str | None = None) -> list[tuple[str, str]]:
        """Return (album, chat) of albums (of ``chat_id``, or all) held since before ``before``."""
        ...


@dataclass(frozen=True)
class OutboxRow:
    """An outbox entry as stored (``bot.outbox`` reads its replies)."""

    id: int
    chat_id: str
    kind: str
    event_id: str | None
    replies: str
    sent_parts: int
    attempts: int


POST_OUTGOING = ("INSERT INTO outbox (chat_id, kind, replies, due_at, created_at)"
                 " VALUES (?, ?, ?, ?, ?)")
TURN_OUTGOING = ("INSERT INTO outbox (chat_id, kind, event_id, replies, due_at, created_at,"
                 " pack_claim) VALUES (?, 'turn', ?, ?, ?, ?, ?)")
CLAIM_OUTGOING = (
    "UPDATE outbox SET due_at = ? WHERE id IN (SELECT min(id) FROM outbox"
    " WHERE CAST(? AS TEXT) IS NULL OR chat_id = ? GROUP BY chat_id LIMIT ?)"
    " AND (due_at <= ? OR event_id = ? OR (attempts > 0 AND chat_id = ?))"
    " RETURNING id, chat_id, kind, event_id, replies, sent_parts, attempts")
"""Hold the oldest entry of each chat (or of one) if it is due, is the given turn's, or
failed before and the chat is writing now (a good time to try again).

Only each chat's oldest: a chat's entries go out in order, never two at once."""
UPDATE_OUTGOING = ("UPDATE outbox SET sent_parts = ?, due_at = ?, attempts = attempts + ?"
                   " WHERE id = ? OR (chat_id = ? AND event_id = ?)")
DROP_OUTGOING = "DELETE FROM outbox WHERE id = ? OR (chat_id = ? AND event_id = ?)"


def claim_params(chat_id: str | None, now: float, until: float, event_id: str | None,
                 limit: int) -> tuple[object, ...]:
    """The values of ``CLAIM_OUTGOING``, in order."""
    return (until, chat_id, chat_id, limit, now, event_id, chat_id)


class OutboxStore(Protocol):
    """Where replies wait until delivered (``bot.outbox``), across workers and restarts."""

    async def post_outgoing(self, chat_id: str, kind: str, replies: str, due_at: float,
                            now: float) -> None:
        """Add an entry for ``chat_id`` outside a turn."""
        ...

    async def claim_outgoing(self, chat_id: str | None, now: float, until: float,
                             event_id: str | None, limit: int) -> list[OutboxRow]:
        """Hold until ``until`` the oldest entry of each chat (or of one) due at ``now``."""
        ...

    async def update_outgoing(self, entry: int, chat_id: str, event_id: str | None,
                              sent_parts: int, due_at: float, failures: int) -> None:
        """Record the parts sent and when the entry is due again (a turn's: by its event)."""
        ...

    async def drop_outgoing(self, entry: int, chat_id: str, event_id: str | None) -> None:
        """Remove an entry (a turn's: by its event)."""
        ...

    async def drop_chat_outgoing(self, chat_id: str, event_kind: str) -> None:
        """Remove every entry of the chat and record an event of ``event_kind``.

        The chat's planned reminders go too: a user who blocked the bot gets none (their next
        message, proof they unblocked it, plans them again).
        """
        ...


@dataclass(frozen=True)
class Incoming:
    """An update as fetched, kept in the inbox until handled (``adapters.telegram_inbox``)."""

    update_id: int
    event_id: str
    """The name its turn is saved under (``turns.event_id``)."""
    chat_id: str | None
    payload: str
    """The update as the channel sent it (JSON)."""


KEEP_INCOMING = ("INSERT INTO inbox (update_id, event_id, chat_id, payload, received_at)"
                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING")
MARK_INCOMING = "UPDATE inbox SET handled = TRUE, payload = NULL WHERE update_id = ?"
TURN_INCOMING = "UPDATE inbox SET handled = TRUE, payload = NULL WHERE event_id = ?"
"""Run by a turn's transaction: its update is handled with it (no write of its own)."""
PRUNE_INCOMING = ("DELETE FROM inbox WHERE handled"
                  " AND update_id < (SELECT max(update_id) FROM inbox)")
"""Forget handled updates but the newest: its id is the offset to confirm at start-up."""
UNHANDLED_INCOMING = "SELECT payload FROM inbox WHERE NOT handled ORDER BY update_id"
LAST_INCOMING = "SELECT max(update_id) FROM inbox"
RELEASE_OUTGOING = "UPDATE outbox SET due_at = ? WHERE attempts = 0 AND due_at > ?"
"""Make due the entries held by a deliverer (never tried and failed: those wait)."""


class InboxStore(Protocol):
    """Where fetched updates wait until handled, across crashes (long polling)."""

    async def keep_incoming(self, updates: Sequence[Incoming], handled: Sequence[int],
                            at: float) -> None:
        """Keep a batch of updates and mark ``handled`` ones (by update id), at once."""
        ...

    async def unhandled_incoming(self) -> list[str]:
        """Return the payloads of the updates kept and not handled, oldest first."""
        ...

    async def last_incoming(self) -> int | None:
        """Return the id of the newest update ever kept (and not forgotten), or None."""
        ...

    async def release_outgoing(self, now: float) -> None:
        """Make due now the outbox entries a deliverer held: the process polling starts, so
        whoever held them died (a turn's replies killed mid-delivery go out at once)."""
        ...


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
    reminders: tuple[Reminder, ...] = ()
    """The chat's reminders, planned and sent (issue 16)."""


class ClaimRepository(AlbumStore, OutboxStore, InboxStore, Protocol):
    """Async storage of conversations."""

    database: Database
    """The same store for the operator console's queries."""

    def chat_turn(self, chat_id: str) -> AbstractAsyncContextManager[None]:
        """Hold the chat for one turn, against every other process sharing the store."""
        ...

    async def schema_current(self) -> bool:
        """Tell whether every migration ran (the readiness probe)."""
        ...

    async def dictionaries(self) -> dict[int, bytes]:
        """Return every reply dictionary by id (to read the turns packed with them)."""
        ...

    async def claim_job(self, name: str, now: datetime, every: timedelta) -> bool:
        """Claim the job ``name`` if it is due, making it due again in ``every``: True once.

        Of several workers claiming together, one moves the due time and the others find it
        no longer due (the row's lock orders them).
        """
        ...

    async def load(self, chat_id: str) -> str | None:
        """Return the saved snapshot JSON of a chat, or None for a new chat."""
        ...

    async def due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Return up to ``limit`` planned reminders due at ``now``, the oldest first."""
        ...

    async def send_reminder(self, reminder: Reminder, now: datetime, replies: str) -> bool:
        """Mark a due reminder sent and post its message (``replies``) to the outbox, in one
        transaction, if it still is planned: True for one worker only, and posted once."""
        ...

    async def postpone_reminder(self, reminder: Reminder, due_at: datetime) -> None:
        """Move a planned reminder to ``due_at`` (the user's night: the next morning)."""
        ...

    async def cancel_reminder(self, reminder: Reminder) -> None:
        """Drop a planned reminder its conversation no longer wants."""
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
