"""Prometheus metrics, counted where the work happens and served at ``/metrics``.

Labels only take values from small fixed sets (an input kind, a Bot API method, an error
class, a claim status, a job name): never a chat id, a name, a text or a file name.

With several worker processes, set ``PROMETHEUS_MULTIPROC_DIR`` (an empty writable folder) and
``/metrics`` adds up every worker's figures (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any, ParamSpec, TypeVar

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

_P = ParamSpec("_P")
_T = TypeVar("_T")

TURNS = Counter("soins_turns", "Conversation turns handled, by kind of input.", ["input"])
TURN_SECONDS = Histogram(
    "soins_turn_seconds", "Time to handle one turn, waiting for the chat's previous one included.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
BOT_API_CALLS = Counter("soins_bot_api_calls", "Bot API calls made (each attempt).", ["method"])
BOT_API_FAILURES = Counter(
    "soins_bot_api_failures", "Bot API calls that failed, by method and error class.",
    ["method", "error"],
)
DOCUMENTS = Counter("soins_documents_converted", "Documents converted to PDF, by source.",
                    ["source"])
DOCUMENT_BYTES = Histogram(
    "soins_document_pdf_bytes", "Size of each converted PDF (the form accepts 500 KB at most).",
    buckets=(25_000, 50_000, 100_000, 200_000, 300_000, 400_000, 500_000),
)
CLAIM_STATUS = Counter("soins_claims", "Claims that reached each status.", ["status"])
JOBS = Counter("soins_jobs", "Background job runs, by job and outcome.", ["job", "outcome"])
REMINDERS = Counter("soins_reminders", "Reminders the bot wrote first (to the outbox), by kind.",
                    ["kind"])


@asynccontextmanager
async def timed_turn(input_kind: str) -> AsyncIterator[None]:
    """Count one turn of ``input_kind`` (``Text``, ``Upload``…) and time it."""
    TURNS.labels(input_kind.lower()).inc()
    start = time.perf_counter()
    try:
        yield
    finally:
        TURN_SECONDS.observe(time.perf_counter() - start)


def counted_api_call(
    call: Callable[_P, Awaitable[_T]], method: str
) -> Callable[_P, Coroutine[Any, Any, _T]]:
    """Wrap one Bot API request so each attempt, and each failure, is counted by method."""

    async def counting(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        BOT_API_CALLS.labels(method).inc()
        try:
            return await call(*args, **kwargs)
        except Exception as error:
            BOT_API_FAILURES.labels(method, type(error).__name__).inc()
            raise

    return counting


def document_converted(source_kind: str, pdf_size: int) -> None:
    """Count a converted document and record the size of its PDF."""
    DOCUMENTS.labels(source_kind).inc()
    DOCUMENT_BYTES.observe(pdf_size)


def claim_status(before: str | None, after: str) -> None:
    """Count a claim reaching ``after`` (a new conversation has no ``before``)."""
    if before != after:
        CLAIM_STATUS.labels(after).inc()


def job_ran(job: str, outcome: str) -> None:
    """Count one run of a background job (``outcome``: ``ok`` or ``failed``)."""
    JOBS.labels(job, outcome).inc()


def reminder_sent(kind: str) -> None:
    """Count one reminder sent (posted to the outbox)."""
    REMINDERS.labels(kind).inc()


def exposition() -> tuple[bytes, str]:
    """Return the metrics in Prometheus' text format, and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        collector = multiprocess.MultiProcessCollector
        collector(registry)  # type: ignore[no-untyped-call]  # its __init__ has no annotations
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
