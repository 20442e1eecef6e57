"""Run the Telegram application: long polling, or a webhook behind a Starlette app.

Both stop gracefully: ``Application.stop`` first finishes every update already received
(the turn in progress included), then the process exits.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from telegram import Update

from bot.adapters.telegram import BotApplication, webhook_secret
from bot.adapters.telegram_inbox import InboxPolling
from bot.observability.http import Probe, operations_routes
from bot.settings import Settings
from bot.storage.repository import InboxStore
from bot.workers import Worker

_LOGGER = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
"""Only what the adapter handles (an edited answer is a correction); reactions and the like
never reach the bot."""


async def _started(application: BotApplication) -> None:
    if application.post_init is not None:
        await application.post_init(application)


async def _stopped(application: BotApplication) -> None:
    """Stop the application, then run its ``post_stop`` (as PTB's own runners do)."""
    await application.stop()
    if application.post_stop is not None:
        await application.post_stop(application)


async def run_polling(application: BotApplication, inbox: InboxStore) -> None:
    """Poll the Bot API until SIGINT or SIGTERM, then finish the turn in progress and stop.

    Each fetched batch is kept in ``inbox`` before Telegram is told it was received
    (``bot.adapters.telegram_inbox``): a crash loses no update, a restart handles them.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    polling = InboxPolling(application, inbox, allowed_updates=ALLOWED_UPDATES)
    async with application:
        await polling.recover()  # before post_init starts delivering the outbox
        await _started(application)
        await application.start()
        _LOGGER.info("polling for updates")
        await polling.run(stop)
        _LOGGER.info("stopping: finishing the updates already received")
        await _stopped(application)
        await polling.settle()


def webhook_path(settings: Settings) -> str:
    """Return the secret path Telegram posts updates to."""
    return f"/telegram/{webhook_secret(settings)}"


def build_webhook_app(
    application: BotApplication, settings: Settings, operator_app: Starlette | None = None,
    *, probe: Probe | None = None, announce: bool = True,
) -> Starlette:
    """Wrap ``application`` in an ASGI app: the webhook, operations routes, the console.

    ``probe`` answers ``/readyz`` (see ``bot.observability.http``); without it, not ready.
    ``announce``: register the webhook with Telegram at start-up (one worker of several).
    """
    secret = webhook_secret(settings)
    path = webhook_path(settings)

    async def receive(request: Request) -> Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != secret:
            return Response(status_code=403)
        update = Update.de_json(await request.json(), application.bot)
        # Answer Telegram once the update is handled (its turn saved, its replies sent): a
        # worker that dies before leaves the call unanswered, and Telegram delivers the
        # update again, to any worker; the store makes it handled once.
        await application.process_update(update)
        return Response()

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with application:
            await _started(application)
            if settings.webhook_url and announce:
                await application.bot.set_webhook(
                    settings.webhook_url.rstrip("/") + path,
                    secret_token=secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            await application.start()
            try:
                if operator_app is None:
                    yield
                else:
                    # The mounted console opens and closes its own store with the app.
                    async with operator_app.router.lifespan_context(operator_app):
                        yield
            finally:
                # uvicorn awaits this on shutdown, after the last request was answered.
                await _stopped(application)

    routes: list[BaseRoute] = [Route(path, receive, methods=["POST"]),
                               *operations_routes(probe)]
    if operator_app is not None:
        routes.append(Mount("", app=operator_app))
    return Starlette(routes=routes, lifespan=lifespan)


async def run_webhook(
    application: BotApplication, settings: Settings, operator_app: Starlette | None = None,
    *, probe: Probe | None = None, worker: Worker | None = None,
) -> None:
    """Serve the webhook (and the console, if any) with uvicorn until SIGINT or SIGTERM.

    A ``worker`` of several accepts on the socket its parent bound (``bot.workers``).
    """
    announce = worker is None or worker.announces
    config = uvicorn.Config(
        build_webhook_app(application, settings, operator_app, probe=probe, announce=announce),
        host=settings.host,
        port=settings.port,
        lifespan="on",
        log_level=settings.log_level.lower(),
        access_log=False,  # the path holds the secret
        log_config=None,  # uvicorn's records go through the bot's handler (LOG_FORMAT)
        proxy_headers=False,  # the console trusts X-Forwarded-For from TRUSTED_PROXIES only
    )
    await uvicorn.Server(config).serve(sockets=None if worker is None else [worker.server])
