"""The worker processes conversions run in: limits, errors across processes, recovery, bounds.

The jobs here are this module's functions: each worker imports this module to run them.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest
from PIL import ImageOps

from bot.documents import DocumentRejected, convert
from bot.documents.isolation import Isolation, Limits
from bot.domain.phrases import Phrase
from tests.documents.conftest import encode, receipt

_MB = 2**20


def _pid() -> int:
    return os.getpid()


def _sleep(seconds: float) -> tuple[int, float, float]:
    start = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process
    time.sleep(seconds)
    return os.getpid(), start, time.monotonic()


def _spin() -> None:
    while True:
        pass


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * _MB))


def _die() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def _bug() -> None:
    raise ValueError("not a file's fault")


def _refuse() -> None:
    raise DocumentRejected("bomb", limit=60)


@pytest.fixture
def pool():
    conversions = Isolation(Limits(workers=2, memory_bytes=128 * _MB, cpu_seconds=1,
                                   wall_seconds=20))
    yield conversions
    conversions.close()


def test_a_conversion_comes_back_whole_with_its_french_notices(pool):
    first = receipt((600, 800), "L")
    gif = encode(first, "GIF", save_all=True, append_images=[ImageOps.invert(first)])
    document = pool.run(convert, gif, "animation.gif")
    assert document.pdf.startswith(b"%PDF") and document.page_count == 1
    assert document.notice_keys == ("animated",)
    assert isinstance(document.notices[0], Phrase)  # still a catalog text, key and all
    assert document.notices[0].key == "documents.notice.animated"


def test_a_refusal_keeps_its_code_and_message(pool):
    with pytest.raises(DocumentRejected) as caught:
        pool.run(_refuse)
    assert caught.value.code == "bomb"
    assert caught.value.params == {"limit": 60}
    assert "60 millions de pixels" in caught.value.message


def test_a_bug_is_raised_as_itself_with_where_it_happened(pool):
    with pytest.raises(ValueError, match="not a file's fault") as caught:
        pool.run(_bug)
    assert "in _bug" in "".join(caught.value.__notes__)


def test_spinning_past_the_cpu_limit_is_too_slow_and_the_next_job_runs(pool):
    with pytest.raises(DocumentRejected) as caught:
        pool.run(_spin)
    assert caught.value.code == "too_slow"
    assert pool.run(_pid) > 0


def test_allocating_past_the_memory_limit_is_too_heavy_and_the_worker_is_replaced():
    pool = Isolation(Limits(workers=1, memory_bytes=128 * _MB))
    try:
        assert pool.run(_allocate, 32) == 32 * _MB  # within the limit
        before = pool.run(_pid)
        with pytest.raises(DocumentRejected) as caught:
            pool.run(_allocate, 512)
        assert caught.value.code == "too_heavy"
        assert pool.run(_pid) != before  # a fresh worker has the whole budget again
        assert pool.peak_rss_bytes < 512 * _MB
    finally:
        pool.close()


def test_a_worker_that_crashes_is_too_heavy_and_replaced():
    pool = Isolation(Limits(workers=1))
    try:
        before = pool.run(_pid)
        with pytest.raises(DocumentRejected) as caught:
            pool.run(_die)
        assert caught.value.code == "too_heavy"
        assert pool.run(_pid) != before  # a fresh worker
    finally:
        pool.close()


def test_a_job_past_the_wall_timeout_is_too_slow_and_its_worker_killed():
    pool = Isolation(Limits(workers=1, wall_seconds=0.5))
    try:
        before = pool.run(_pid)
        with pytest.raises(DocumentRejected) as caught:
            pool.run(_sleep, 30)
        assert caught.value.code == "too_slow"
        with pytest.raises(ProcessLookupError):
            os.kill(before, 0)  # gone, not left running
        assert pool.run(_pid) != before
    finally:
        pool.close()


async def test_no_more_jobs_run_at_once_than_there_are_workers(pool):
    spans = await asyncio.gather(*(pool.call(_sleep, 0.3) for _ in range(6)))
    assert len({pid for pid, _, _ in spans}) <= 2
    events = sorted([(start, 1) for _, start, _ in spans] + [(end, -1) for _, _, end in spans])
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    assert peak == 2


async def test_the_event_loop_is_free_while_a_job_runs(pool):
    job = asyncio.ensure_future(pool.call(_sleep, 0.5))
    ticks = 0
    while not job.done():
        await asyncio.sleep(0.01)
        ticks += 1
    await job
    assert ticks >= 10  # the loop kept turning: the job waited in a thread, ran in a process
