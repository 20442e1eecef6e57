"""Background jobs run once, whichever worker is due first (issue 15, both backends)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.storage.postgres import open_postgres
from tests.conftest import new_postgres_database

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SIX_HOURS = timedelta(hours=6)


async def test_a_due_job_is_claimed_once_then_again_when_due(repository):
    claims = await asyncio.gather(*(repository.claim_job("retention", NOW, SIX_HOURS)
                                    for _ in range(5)))
    assert claims.count(True) == 1
    assert not await repository.claim_job("retention", NOW + timedelta(hours=5), SIX_HOURS)
    assert await repository.claim_job("retention", NOW + SIX_HOURS, SIX_HOURS)
    assert await repository.claim_job("reminders", NOW, SIX_HOURS)  # jobs are apart


async def test_four_workers_claiming_together_run_the_job_once(postgres_server):
    url = await new_postgres_database(postgres_server)
    workers = [await open_postgres(url) for _ in range(4)]
    try:
        for hour in range(0, 24, 6):
            moment = NOW + timedelta(hours=hour)
            claims = await asyncio.gather(*(worker.claim_job("retention", moment, SIX_HOURS)
                                            for worker in workers))
            assert claims.count(True) == 1, hour
    finally:
        for worker in workers:
            await worker.close()
