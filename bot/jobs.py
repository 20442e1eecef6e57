"""The periodic jobs beside the bot (retention, hand-off watch, reminders): one loop for all.

Every worker runs every job; the ``jobs`` row (``claim_job``) lets one of them do a round
per interval, so a job runs once whatever the workers and restarts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from bot.observability import metrics
from bot.storage.repository import ClaimRepository

_LOGGER = logging.getLogger(__name__)


def utc_now() -> datetime:
    """The jobs' default clock."""
    return datetime.now(UTC)


async def run_job(repository: ClaimRepository, name: str, every: timedelta,
                  work: Callable[[datetime], Awaitable[object]],
                  clock: Callable[[], datetime] = utc_now) -> None:
    """Do ``work(now)`` now, then at every interval, until cancelled."""
    while True:
        try:
            if await repository.claim_job(name, clock(), every):
                await work(clock())
                metrics.job_ran(name, "ok")
        except Exception:  # a failed round must not stop the bot; the next one tries again
            _LOGGER.exception("job %s failed", name)
            metrics.job_ran(name, "failed")
        await asyncio.sleep(every.total_seconds())
