"""The reminders job: send the reminders that are due, once, whichever worker finds them.

Each worker runs ``run_reminders`` (``bot.jobs``): one of them looks at a time, and a
reminder is marked sent and posted to the outbox in one update of its row, so none goes
twice, restarts and several workers included. The running bot's outbox round delivers it
(Telegram, the terminal); a 403 there drops the chat's planned reminders (``bot.outbox``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.jobs import run_job, utc_now
from bot.observability import metrics
from bot.service import ConversationService
from bot.storage.repository import ClaimRepository

_LOGGER = logging.getLogger(__name__)
BATCH = 100
"""Reminders handled per pass at most; the rest wait for the next pass."""


async def send_due_reminders(service: ConversationService, now: datetime) -> int:
    """Send every reminder due at ``now`` that still applies; return how many were sent."""
    sent = 0
    for reminder in await service.due_reminders(now, BATCH):
        if await service.remind(reminder, now):
            metrics.reminder_sent(reminder.kind.value)
            sent += 1
    if sent:
        _LOGGER.info("reminders: %d sent", sent)
    return sent


async def run_reminders(repository: ClaimRepository, service: ConversationService,
                        every: timedelta, clock: Callable[[], datetime] = utc_now) -> None:
    """Look for due reminders now, then at every interval, until cancelled."""
    async def send(now: datetime) -> int:
        return await send_due_reminders(service, now)

    await run_job(repository, "reminders", every, send, clock)
