"""The retention job: conversations finished or abandoned are erased after a set period."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from bot.observability import metrics
from bot.storage.repository import ClaimRepository

_LOGGER = logging.getLogger(__name__)


async def purge_expired(
    repository: ClaimRepository, retention: timedelta, now: datetime | None = None
) -> int:
    """Erase every conversation with no activity during ``retention``; return how many."""
    cutoff = (now or datetime.now(UTC)) - retention
    purged = await repository.purge_inactive(cutoff)
    _LOGGER.info("retention: %d conversation(s) erased", purged)
    return purged


async def run_retention(
    repository: ClaimRepository, retention: timedelta, every: timedelta = timedelta(hours=6)
) -> None:
    """Purge now, then at every interval, until cancelled: once, whatever the workers."""
    while True:
        try:
            if await repository.claim_job("retention", datetime.now(UTC), every):
                await purge_expired(repository, retention)
                metrics.job_ran("retention", "ok")
        except Exception:  # a failed purge must not stop the bot; it is retried next time
            _LOGGER.exception("retention purge failed")
            metrics.job_ran("retention", "failed")
        await asyncio.sleep(every.total_seconds())
