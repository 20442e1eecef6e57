"""Start the bot: ``python -m bot``.

With ``TELEGRAM_BOT_TOKEN`` set, run on Telegram (a webhook if ``WEBHOOK_URL`` is set,
long polling otherwise); without it, chat in the terminal. Both use the same SQLite file.
On Telegram, and beside the terminal chat when the console is on, HOST:PORT answers
``/healthz``, ``/readyz`` and ``/metrics`` (``bot.observability``). The installed wheel
also provides the ``soins-etranger-bot`` command.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.domain.config_files import check_config_files
from bot.domain.countries import find_country
from bot.domain.eligibility import get_ruleset
from bot.observability.logs import JsonFormatter
from bot.operator.accounts import OperatorSettings
from bot.retention import run_retention
from bot.service import ConversationService
from bot.settings import Settings
from bot.storage.sqlite import open_repository

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from bot.observability.http import Probe

_LOGGER = logging.getLogger("bot")
READINESS_PROBE_CHAT = "readyz"
"""No chat has this id (Telegram's are numbers): reading it only proves the store answers."""


def configure_logging(settings: Settings) -> None:
    """Log to stderr at ``LOG_LEVEL``; httpx would log every request URL (with the token)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler])
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # transitions logs every state change at INFO; the service logs what operators need.
    logging.getLogger("transitions").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2 font subsetting chatter
    # At DEBUG these two would write SQL parameters (answers, documents) and API calls (the
    # token, messages): personal data never goes to the logs, whatever LOG_LEVEL says.
    for chatty in ("aiosqlite", "telegram", "telegram.ext"):
        logging.getLogger(chatty).setLevel(max(logging.INFO, logging.getLogger().level))


@asynccontextmanager
async def _beside(
    console: Starlette | None, settings: Settings, probe: Probe, *, serve_http: bool = True
) -> AsyncIterator[None]:
    """Serve /healthz, /readyz, /metrics and the console (if any) on HOST:PORT meanwhile."""
    if not serve_http and console is None:
        yield
        return
    from bot.observability.http import operations_app
    from bot.operator.app import operator_server

    app = operations_app(probe, console)
    async with operator_server(app, settings.host, settings.port, settings.log_level):
        _LOGGER.info("health, readiness and metrics on http://%s:%d/", settings.host,
                     settings.port)
        if console is not None:
            _LOGGER.info("operator console on http://%s:%d/operator/", settings.host,
                         settings.port)
        yield


async def serve(settings: Settings) -> None:
    """Open the store, then run the Telegram bot or the terminal chat until told to stop."""
    # Validate config/ (rules, lists) and build the country index before the first message:
    # a broken rules file stops the start, not a traveller's turn.
    get_ruleset()
    check_config_files()
    find_country("France")
    repository = await open_repository(settings.database_path)

    async def probe() -> None:  # the store opened, so its migrations ran; does it answer?
        await repository.load(READINESS_PROBE_CHAT)

    retention = asyncio.create_task(
        run_retention(repository, timedelta(days=settings.retention_days)))
    operator_settings = OperatorSettings()
    console = None
    if operator_settings.accounts_file:  # the console is imported only when it is served
        from bot.operator.app import build_operator_app

        console = build_operator_app(operator_settings, settings.database_path)
    try:
        service = ConversationService(repository)
        if settings.telegram_bot_token is None:
            from bot.adapters.console import run_console  # only needed without a token

            _LOGGER.info("no TELEGRAM_BOT_TOKEN: starting the terminal chat")
            async with _beside(console, settings, probe, serve_http=False):
                await run_console(service)
            return
        from bot.adapters.telegram import build_application
        from bot.adapters.telegram_runtime import run_polling, run_webhook

        application = build_application(settings, service)
        if settings.webhook_url:
            await run_webhook(application, settings, console, probe=probe)
        else:
            async with _beside(console, settings, probe):
                await run_polling(application)
    finally:
        retention.cancel()
        with suppress(asyncio.CancelledError):
            await retention
        await repository.close()


def main() -> None:
    """Read the settings and serve."""
    settings = Settings()
    configure_logging(settings)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
