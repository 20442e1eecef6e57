"""Conversions beyond the workers and their queue are refused at once (issue 18, point 3).

The jobs here are this module's functions: each worker imports this module to run them.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.documents import DocumentRejected
from bot.documents.isolation import Isolation, Limits
from bot.service import ConversationService
from bot.service_documents import WARM_MODULES
from tests import claims
from tests.documents.conftest import encode, receipt
from tests.states.helpers import play, snapshot_of

BUSY = "Renvoyez ce fichier dans une minute"


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return time.monotonic()


async def _until_running(pool: Isolation, jobs: int) -> None:
    """Wait until ``jobs`` jobs are counted in (running or waiting)."""
    while pool._admitted < jobs:
        await asyncio.sleep(0.01)


async def test_one_job_beyond_the_workers_and_the_queue_is_refused_at_once():
    pool = Isolation(Limits(workers=1, waiting=2, wall_seconds=30))
    try:
        pool.start()
        jobs = [asyncio.ensure_future(pool.call(_sleep, 1.0)) for _ in range(3)]
        await _until_running(pool, 3)
        with pytest.raises(DocumentRejected) as refused:
            await pool.call(_sleep, 0.0)
        assert refused.value.code == "busy"
        assert not any(job.done() for job in jobs)  # refused while the others still wait
        finished = await asyncio.gather(*jobs)  # nothing already queued is lost
        assert finished == sorted(finished)
        assert await pool.call(_sleep, 0.0)  # room again
        assert pool._admitted == 0
    finally:
        pool.close()


async def test_a_job_whose_caller_stopped_waiting_still_counts_until_it_ends():
    pool = Isolation(Limits(workers=1, waiting=0, wall_seconds=30))
    try:
        running = asyncio.ensure_future(pool.call(_sleep, 1.0))
        await _until_running(pool, 1)
        running.cancel()
        with pytest.raises(DocumentRejected):  # its worker is still busy
            await pool.call(_sleep, 0.0)
        while pool._admitted:
            await asyncio.sleep(0.05)
        assert await pool.call(_sleep, 0.0)
    finally:
        pool.close()


@pytest.fixture
def conversions():
    pool = Isolation(Limits(workers=1, waiting=0, wall_seconds=30), warm=WARM_MODULES)
    yield pool
    pool.close()


@pytest.fixture
def service(repository, clock, conversions):
    return ConversationService(repository, clock=clock, conversions=conversions)


async def test_a_traveller_is_told_in_french_to_send_the_file_again_and_keeps_the_rest(
        user, conversions):
    await play(user, claims.POLOGNE)
    await user.upload(encode(receipt(), "JPEG", quality=85), "facture.jpg")
    assert "Document reçu" in user.text
    busy = asyncio.ensure_future(conversions.call(_sleep, 2.0))  # another user's file
    await _until_running(conversions, 1)
    await user.upload(encode(receipt((1300, 1700)), "JPEG", quality=85), "ordonnance.jpg")
    assert BUSY in user.text and "déjà reçus sont conservés" in user.text
    assert [d.filename for d in (await snapshot_of(user)).draft.documents] == ["facture.jpg"]
    await busy
    await user.upload(encode(receipt((1300, 1700)), "JPEG", quality=85), "ordonnance.jpg")
    assert "Document reçu" in user.text
