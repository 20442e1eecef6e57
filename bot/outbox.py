"""The outbox: what the bot has to say, kept in the store until it reached the user.

A turn writes its replies here in its own transaction; an agent's reply or a reminder is
posted here from any process sharing the store. An adapter delivers each chat's entries in
order, records how many parts of an entry went out, and removes it once all did. An entry
whose delivery failed waits and is tried again with backoff; one whose deliverer died (a
killed worker) is taken again once its lease runs out. Nothing here knows about Telegram.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.domain.io import Reply
from bot.domain.reply_json import replies_from_json, replies_to_json
from bot.storage.repository import OutboxStore

_LOGGER = logging.getLogger(__name__)

LEASE_SECONDS = 120.0
"""How long a deliverer holds an entry: longer than any delivery, retries included."""
FIRST_RETRY_SECONDS = 5.0
"""Wait before the second try of a failed delivery; doubled each time, up to an hour."""
MAX_ATTEMPTS = 12
"""Failed deliveries before an entry is given up (about a day of tries)."""
TURN = "turn"
"""The kind of a turn's entry (a post names its own: ``agent``, ``reminder``…)."""
BLOCKED_EVENT = "bot_blocked"
"""Event recorded when the user blocked the bot: their entries are dropped."""


@dataclass(frozen=True)
class Outgoing:
    """One entry: the replies of a turn (``event_id``) or of a post, and the parts sent."""

    id: int
    chat_id: str
    replies: tuple[Reply, ...]
    kind: str = TURN
    sent_parts: int = 0
    event_id: str | None = None
    attempts: int = 0


def of_turn(chat_id: str, event_id: str, replies: Sequence[Reply]) -> Outgoing:
    """Name the entry a turn wrote (its id is not known to the adapter, its event is)."""
    return Outgoing(0, chat_id, tuple(replies), event_id=event_id)


def retry_delay(attempts: int) -> float:
    """Seconds before trying again after ``attempts`` failed deliveries."""
    return float(min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 3600.0))


class Outbox:
    """Post, take and settle entries of a store's outbox."""

    def __init__(self, store: OutboxStore, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._clock = clock

    async def post(self, chat_id: str, replies: Sequence[Reply], *, kind: str) -> None:
        """Queue ``replies`` for ``chat_id`` outside a turn (an agent, a reminder)."""
        now = self._clock()
        await self._store.post_outgoing(chat_id, kind, replies_to_json(replies), now, now)

    async def take(self, chat_id: str | None = None, *, event_id: str | None = None,
                   limit: int = 50) -> list[Outgoing]:
        """Hold the oldest due entry of each chat (of ``chat_id``, or of any), for delivery.

        ``event_id``: that turn's entry is taken even while held (its update came again,
        so whoever held it died). The entries returned are held for ``LEASE_SECONDS``.
        """
        now = self._clock()
        rows = await self._store.claim_outgoing(chat_id, now, now + LEASE_SECONDS, event_id,
                                                limit)
        return [Outgoing(row.id, row.chat_id, tuple(replies_from_json(row.replies)), row.kind,
                         row.sent_parts, row.event_id, row.attempts) for row in rows]

    async def progress(self, outgoing: Outgoing, sent_parts: int) -> None:
        """Record that the first ``sent_parts`` parts reached the user (the lease renewed)."""
        await self._store.update_outgoing(outgoing.id, outgoing.chat_id, outgoing.event_id,
                                          sent_parts, self._clock() + LEASE_SECONDS, 0)

    async def done(self, outgoing: Outgoing) -> None:
        """Remove an entry that was delivered whole."""
        await self._store.drop_outgoing(outgoing.id, outgoing.chat_id, outgoing.event_id)

    async def failed(self, outgoing: Outgoing, sent_parts: int) -> None:
        """Try again later from part ``sent_parts``; give up after ``MAX_ATTEMPTS``."""
        attempts = outgoing.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            _LOGGER.error("outbox entry %d given up after %d attempts", outgoing.id, attempts)
            await self.done(outgoing)
            return
        await self._store.update_outgoing(outgoing.id, outgoing.chat_id, outgoing.event_id,
                                          sent_parts, self._clock() + retry_delay(attempts), 1)

    async def blocked(self, chat_id: str) -> None:
        """The user blocked the bot: drop the chat's entries and record it (no personal data)."""
        await self._store.drop_chat_outgoing(chat_id, BLOCKED_EVENT)
