"""The operations endpoints, open without sign-in in every mode: health, readiness, metrics.

``/healthz``: the process answers. ``/readyz``: the store answers (it was opened, so its
migrations ran). ``/metrics``: Prometheus. The webhook app adds these routes to its own;
with polling, or beside the terminal chat, ``operations_app`` serves them (with the operator
console mounted behind them when it is configured).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from bot.observability.metrics import exposition

_LOGGER = logging.getLogger(__name__)

Probe = Callable[[], Awaitable[object]]
"""A cheap read of the store; it raises when the store cannot answer."""

PROBE_TIMEOUT_SECONDS = 2.0


async def _alive(_: Request) -> Response:
    return PlainTextResponse("ok")


async def _metrics(_: Request) -> Response:
    body, content_type = exposition()
    return Response(body, media_type=content_type)


def operations_routes(probe: Probe | None) -> list[BaseRoute]:
    """Return ``/healthz``, ``/readyz`` (``probe`` answers it; None: not ready), ``/metrics``."""

    async def ready(_: Request) -> Response:
        if probe is None:
            return PlainTextResponse("no store", status_code=503)
        try:
            await asyncio.wait_for(probe(), PROBE_TIMEOUT_SECONDS)
        except Exception as error:  # any failure of the store means "do not send traffic"
            _LOGGER.warning("readiness: the store did not answer (%s)", type(error).__name__)
            return PlainTextResponse("store unavailable", status_code=503)
        return PlainTextResponse("ready")

    return [Route("/healthz", _alive), Route("/readyz", ready), Route("/metrics", _metrics)]


def operations_app(probe: Probe | None, console: Starlette | None = None) -> Starlette:
    """Return an app serving the operations routes, then ``console`` (if any) for the rest."""
    routes = operations_routes(probe)
    if console is not None:
        routes.append(Mount("", app=console))

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            if console is not None:  # a mounted app's lifespan is not run by its parent
                await stack.enter_async_context(console.router.lifespan_context(console))
            yield

    return Starlette(routes=routes, lifespan=lifespan)
