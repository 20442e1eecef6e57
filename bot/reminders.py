"""The reminders job: send the reminders that are due, once, whichever worker finds them.

Each worker runs ``run_reminders``; the ``jobs`` row lets one of them look at a time, and a
reminder is marked sent and posted to the outbox in one update of its row, so none goes
twice, restarts and several workers included. The running bot's outbox round delivers it
(Telegram, the terminal); a 403 there drops the chat's planned reminders (``bot.outbox``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.observability import metrics
from bot.service import ConversationService
from bot.storage.repository import ClaimRepository

_LOGGER = logging.getLogger(__name__)
BATCH = 100
"""Reminders handled per pass at most; the rest wait for the next pass."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


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
                        every: timedelta, clock: Callable[[], datetime] = _utc_now) -> None:
    """Look for due reminders now, then at every interval, until cancelled."""
    while True:
        try:
            if await repository.claim_job("reminders", clock(), every):
                await send_due_reminders(service, clock())
                metrics.job_ran("reminders", "ok")
        except Exception:  # a failed pass must not stop the bot; the next one tries again
            _LOGGER.exception("reminders pass failed")
            metrics.job_ran("reminders", "failed")
        await asyncio.sleep(every.total_seconds())
