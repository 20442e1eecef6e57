"""The ``reminders`` table's statements, written once for both stores.

SQL with ``?`` placeholders (PostgreSQL runs them through ``database.numbered``) and the
conversions between rows and ``Reminder``. Instants are stored as ``repository.instant``
writes them, so ``due_at <= ?`` compares them as text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.reminders import Answer, Kind, Reminder, Status
from bot.storage.repository import instant

COLUMNS = "id, chat_id, kind, claim_no, seq, due_at, status, sent_at, answer"
OUTBOX_KIND = "reminder"
"""The kind of a reminder's outbox entry (``bot.outbox``)."""
DROP_PLANNED = "DELETE FROM reminders WHERE chat_id = ? AND status = 'planned'"
PLAN = ("INSERT INTO reminders (chat_id, kind, claim_no, seq, due_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (chat_id, kind, claim_no, seq) DO NOTHING")
"""Plan one reminder; one of that key already sent (or failed) stays as it is: once only."""
ANSWER = ("UPDATE reminders SET answer = ?, answered_at = ? WHERE chat_id = ?"
          " AND kind = 'follow_up' AND claim_no = ? AND status = 'sent'")
DUE = (f"SELECT {COLUMNS} FROM reminders WHERE status = 'planned' AND due_at <= ?"  # noqa: S608
       " ORDER BY due_at, id LIMIT ?")
CLAIM = ("UPDATE reminders SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'planned'"
         " AND due_at <= ?")
"""Of several workers claiming one due reminder, one changes the row (and posts its message in
the same transaction); the others find none."""
POSTPONE = "UPDATE reminders SET due_at = ? WHERE id = ? AND status = 'planned'"
CANCEL = "DELETE FROM reminders WHERE id = ? AND status = 'planned'"
EVENT = "INSERT INTO events (chat_id, kind, detail, at) VALUES (?, ?, ?, ?)"


def plan_rows(chat_id: str, reminders: Sequence[Reminder]) -> list[tuple[object, ...]]:
    """Return the rows of ``PLAN`` for a chat's planned reminders."""
    return [(chat_id, r.kind.value, r.claim_no, r.seq, instant(r.due_at)) for r in reminders]


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def reminder_of(row: Sequence[Any]) -> Reminder:
    """Read a row of ``COLUMNS`` back."""
    rid, chat_id, kind, claim_no, seq, due_at, status, sent_at, answer = row
    due = _moment(due_at)
    assert due is not None  # noqa: S101 (NOT NULL column)
    return Reminder(Kind(kind), int(claim_no), int(seq), due, Status(status), _moment(sent_at),
                    Answer(answer) if answer else None, int(rid), str(chat_id))


def reminders_of_json(text: str | None, chat_id: str) -> tuple[Reminder, ...]:
    """Read a chat's reminders from the JSON array ``open_turn`` selects (``COLUMNS`` less
    the chat id); an unknown kind or status (a later release's) is left out."""
    found: list[Reminder] = []
    for rid, *rest in json.loads(text or "[]"):
        try:
            found.append(reminder_of([rid, chat_id, *rest]))
        except ValueError:
            continue
    return tuple(found)


def sent_event(reminder: Reminder) -> tuple[str, str]:
    """Return the (kind, detail) event recording a reminder sent, for the console's trace."""
    return ("reminder_sent", f"{reminder.kind.value} {reminder.claim_no}")

