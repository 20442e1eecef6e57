"""The queries of the front office: conversations with a person, and advisers' private notes.

A conversation is with a person while its state is ``handoff`` (an indexed column every turn
writes); who handles it, and since when, is in its snapshot, read by ``bot.operator.handoff``.
Notes live in ``handoff_notes``: never sent, erased with the chat. Both stores, one SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.domain.archive import claim_reference
from bot.storage.database import Database
from bot.storage.repository import now_instant
from states.machine import HANDOFF

MAX_WAITING = 500
"""The queue shows at most this many conversations (a day's hand-offs, many times over)."""
MAX_NOTES = 500
"""A conversation shows at most its latest notes up to this many."""


@dataclass(frozen=True)
class WithPerson:
    """A conversation handled by a person, as stored: its snapshot is read by the caller."""

    number: int
    chat_id: str
    claim_no: int
    beneficiary: str | None
    snapshot_json: str

    @property
    def reference(self) -> str:
        """Return the claim reference."""
        return claim_reference(self.number, self.claim_no)


@dataclass(frozen=True)
class Note:
    """An adviser's private note on a conversation."""

    id: int
    at: str
    author: str
    text: str


class HandoffStore:
    """Read the conversations with a person; keep the advisers' notes."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def _all(self, sql: str, params: Sequence[object]) -> list[Any]:
        return await self._db.fetch(sql, params)

    async def with_person(self) -> list[WithPerson]:
        """Return the conversations a person handles (the longest untouched first)."""
        rows = await self._all(
            "SELECT id, chat_id, claim_no, beneficiary, snapshot FROM conversations"
            " WHERE state = ? ORDER BY updated_at, id LIMIT ?", (HANDOFF, MAX_WAITING))
        return [WithPerson(int(n), str(chat), int(claim), name, str(snapshot))
                for n, chat, claim, name, snapshot in rows]

    async def turn_count(self, chat_id: str) -> int:
        """Return how many turns the chat has (the console polls it for news)."""
        rows = await self._all("SELECT count(*) FROM turns WHERE chat_id = ?", (chat_id,))
        return int(rows[0][0])

    async def add_note(self, chat_id: str, author: str, text: str) -> None:
        """Keep a private note on the chat."""
        await self._db.execute(
            "INSERT INTO handoff_notes (chat_id, at, author, text) VALUES (?, ?, ?, ?)",
            (chat_id, now_instant(), author, text))

    async def notes(self, chat_id: str, after: int = 0) -> list[Note]:
        """Return the chat's notes with an id above ``after``, oldest first."""
        rows = await self._all(
            "SELECT id, at, author, text FROM (SELECT id, at, author, text FROM handoff_notes"
            " WHERE chat_id = ? AND id > ? ORDER BY id DESC LIMIT ?) AS latest ORDER BY id",
            (chat_id, after, MAX_NOTES))
        return [Note(int(i), str(at), str(author), str(text)) for i, at, author, text in rows]
