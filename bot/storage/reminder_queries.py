"""The console's queries about reminders (issue 16): a chat's reminders, the list's filter."""

from __future__ import annotations

from bot.domain.reminders import Reminder
from bot.outbox import BLOCKED_EVENT
from bot.storage import reminder_rows
from bot.storage.database import Database

REMINDER_FILTERS: dict[str, str] = {
    "envoyee": "status = 'sent'",
    "recu": "kind = 'follow_up' AND answer = 'received'",
    "refus": "kind = 'follow_up' AND answer = 'refused'",
}
"""The list's « Rappels » filter (``?relance=``): a reminder sent, the refund received, a
refusal or letter, each as the condition a row of ``reminders`` meets."""


def reminder_clause(name: str) -> str:
    """Return the clause keeping conversations with a reminder of filter ``name`` (fixed SQL)."""
    return f"chat_id IN (SELECT chat_id FROM reminders WHERE {REMINDER_FILTERS[name]})"  # noqa: S608


async def bot_blocked(db: Database, chat_id: str) -> bool:
    """Tell whether the user blocked the bot (the outbox met a 403 for the chat)."""
    rows = await db.fetch("SELECT 1 FROM events WHERE chat_id = ? AND kind = ? LIMIT 1",
                          (chat_id, BLOCKED_EVENT))
    return bool(rows)


async def chat_reminders(db: Database, chat_id: str) -> list[Reminder]:
    """Return a chat's reminders, planned and sent, in the order they are (or were) due."""
    rows = await db.fetch(f"SELECT {reminder_rows.COLUMNS} FROM reminders"  # noqa: S608
                          " WHERE chat_id = ? ORDER BY due_at, id", (chat_id,))
    return [reminder_rows.reminder_of(row) for row in rows]
