"""The reminders job: send the reminders that are due, once, whichever worker finds them.

Each worker runs ``run_reminders``; the ``jobs`` row lets one of them look at a time, and
each reminder is claimed by one update of its row, so none is sent twice, restarts and
several workers included. What is sent goes through ``Deliver``, the running bot's way out
(Telegram, the terminal); a user who blocked the bot (``RecipientGone``) gets no more.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from bot.domain.io import RecipientGone, Reply
from bot.domain.reminders import Reminder, Status
from bot.observability import metrics
from bot.service import ConversationService
from bot.storage.repository import ClaimRepository

_LOGGER = logging.getLogger(__name__)
Deliver = Callable[[str, Sequence[Reply]], Awaitable[None]]
"""Send replies to a chat outside a turn; raises ``RecipientGone`` on a 403."""
BATCH = 100
"""Reminders handled per pass at most; the rest wait for the next pass."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def _deliver_one(service: ConversationService, deliver: Deliver, reminder: Reminder,
                       replies: Sequence[Reply], now: datetime) -> bool:
    try:
        await deliver(reminder.chat_id, replies)
    except RecipientGone:
        _LOGGER.info("reminder %s: the user blocked the bot; no more reminders", reminder.id)
        await service.reminder_undelivered(reminder, Status.BLOCKED, now)
        metrics.reminder(reminder.kind.value, "blocked")
        return False
    except Exception as error:  # one chat's failure must not stop the others
        _LOGGER.warning("reminder %s not delivered (%s)", reminder.id, type(error).__name__)
        await service.reminder_undelivered(reminder, Status.FAILED, now)
        metrics.reminder(reminder.kind.value, "failed")
        return False
    metrics.reminder(reminder.kind.value, "sent")
    return True


async def send_due_reminders(service: ConversationService, deliver: Deliver,
                             now: datetime) -> int:
    """Send every reminder due at ``now`` that still applies; return how many were sent."""
    sent = 0
    for reminder in await service.due_reminders(now, BATCH):
        replies = await service.remind(reminder, now)
        if replies is not None and await _deliver_one(service, deliver, reminder, replies, now):
            sent += 1
    if sent:
        _LOGGER.info("reminders: %d sent", sent)
    return sent


async def run_reminders(repository: ClaimRepository, service: ConversationService,
                        deliver: Deliver, every: timedelta,
                        clock: Callable[[], datetime] = _utc_now) -> None:
    """Look for due reminders now, then at every interval, until cancelled."""
    while True:
        try:
            if await repository.claim_job("reminders", clock(), every):
                await send_due_reminders(service, deliver, clock())
                metrics.job_ran("reminders", "ok")
        except Exception:  # a failed pass must not stop the bot; the next one tries again
            _LOGGER.exception("reminders pass failed")
            metrics.job_ran("reminders", "failed")
        await asyncio.sleep(every.total_seconds())
