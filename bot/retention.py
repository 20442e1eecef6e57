"""The retention job: conversations finished or abandoned are erased after a set period."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.jobs import run_job
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
    async def purge(now: datetime) -> int:
        return await purge_expired(repository, retention, now)

    await run_job(repository, "retention", every, purge)
