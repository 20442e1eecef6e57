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
import os
import re
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain.catalog import get_catalog
from bot.domain.config_files import check_config_files
from bot.domain.countries import find_country
from bot.domain.eligibility import get_ruleset
from bot.handoff_watch import run_handoff_watch
from bot.observability.logs import JsonFormatter
from bot.operator.accounts import OperatorSettings
from bot.reminders import run_reminders
from bot.retention import run_retention
from bot.service import ConversationService
from bot.service_documents import start_conversions
from bot.settings import Settings
from bot.storage import stores
from bot.storage.repository import ClaimRepository
from bot.workers import Worker
from states.reminders import check_policy

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from bot.observability.http import Probe

_LOGGER = logging.getLogger("bot")
READINESS_PROBE_CHAT = "readyz"
"""No chat has this id (Telegram's are numbers): reading it only proves the store answers."""
_SQLITE_HEADER = b"SQLite format 3\x00"


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


def prepare_store_folder(database: Path) -> None:
    """Create the data folder owner-only (0700, health data); refuse a store we cannot write.

    Only folders created here are set to 0700: an existing one (the working directory…) is
    the operator's choice. Raises ``SystemExit`` with a French message.
    """
    t = get_catalog("fr").text
    folder = database.absolute().parent
    missing = [path for path in (folder, *folder.parents) if not path.exists()][::-1]
    try:
        for path in missing:
            path.mkdir(mode=0o700)
            path.chmod(0o700)  # mkdir's mode is masked by the umask
    except OSError as error:
        raise SystemExit(t("startup.store_unreachable", path=database,
                           reason=error.strerror or type(error).__name__)) from error
    # SQLite writes its -wal and -shm files beside the database: the folder must be writable.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SystemExit(t("startup.store_unwritable", path=database,
                           reason=t("startup.folder_read_only")))
    if database.exists() and not os.access(database, os.R_OK | os.W_OK):
        raise SystemExit(t("startup.store_unwritable", path=database,
                           reason=t("startup.file_read_only")))
    if database.is_file() and database.stat().st_size:
        with database.open("rb") as handle:
            # Checked here: a failed open_repository leaves its connection thread running.
            if handle.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                raise SystemExit(t("startup.store_unreachable", path=database,
                                   reason=t("startup.not_sqlite")))


async def open_store(database: Path | str) -> ClaimRepository:
    """Open the store, or stop with a French message (never a traceback) if it cannot be."""
    shown, message = database, "startup.store_unreachable"
    if isinstance(database, Path):
        await asyncio.to_thread(prepare_store_folder, database)
    else:  # never print a URL's password
        shown, message = re.sub(r"//[^@/]*@", "//…@", database), "startup.database_unreachable"
    try:
        return await stores.open_store(database)
    except Exception as error:
        if not stores.unreachable(error):
            raise
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise SystemExit(get_catalog("fr").text(message, path=shown, reason=reason)) from error


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


async def serve(settings: Settings, worker: Worker | None = None) -> None:
    """Open the store, then run the Telegram bot or the terminal chat until told to stop.

    ``worker``: one of several webhook workers, accepting on the socket its parent bound.
    """
    # Validate config/ (rules, lists) and build the country index before the first message:
    # a broken rules file stops the start, not a traveller's turn.
    get_ruleset()
    check_config_files()
    reminders = settings.reminder_policy()
    check_policy(reminders)
    find_country("France")
    # Warm now (NumPy, Pillow, OpenCV imported once, in the workers' server): the first
    # file waits for nothing. The workers stop with the bot (they are its daemons).
    conversions = await start_conversions(settings.conversion_limits)
    repository = await open_store(settings.store)

    async def probe() -> None:  # does the store answer, with every migration run?
        await repository.load(READINESS_PROBE_CHAT)
        if not await repository.schema_current():
            raise RuntimeError("the schema is not migrated")

    retention = asyncio.create_task(
        run_retention(repository, timedelta(days=settings.retention_days)))
    service = ConversationService(repository, desk=settings.desk, conversions=conversions,
                                  reminders=reminders)
    watch = asyncio.create_task(run_handoff_watch(service, repository))
    # Reminders are posted to the outbox, which the running adapter delivers.
    reminding = asyncio.create_task(
        run_reminders(repository, service, settings.reminder_check_every))
    operator_settings = OperatorSettings()
    console = None
    if operator_settings.accounts_file:  # the console is imported only when it is served
        from bot.operator.app import build_operator_app

        console = build_operator_app(operator_settings, settings.store,
                                     trusted_proxies=settings.trusted_proxies)
    try:
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
            await run_webhook(application, settings, console, probe=probe, worker=worker)
        else:
            async with _beside(console, settings, probe):
                await run_polling(application, repository)
    finally:
        for job in (retention, watch, reminding):
            job.cancel()
            with suppress(asyncio.CancelledError):
                await job
        conversions.close()
        await repository.close()


def serve_workers(settings: Settings) -> None:
    """Run ``WEB_CONCURRENCY`` webhook workers on HOST:PORT; they share PostgreSQL only."""
    from bot.workers import listening_socket, supervise

    if settings.database_url is None:  # one SQLite file is one process's
        raise SystemExit(get_catalog("fr").text("startup.workers_need_postgres",
                                                workers=settings.web_concurrency))
    server = listening_socket(settings.host, settings.port)
    supervise(settings.web_concurrency,
              lambda index: asyncio.run(serve(settings, Worker(index, server))))


def usage() -> str:
    """Return what ``python -m bot --help`` prints: how to run it, and every setting."""
    t = get_catalog("fr").text
    lines = []
    for model in (Settings, OperatorSettings):
        prefix = str(model.model_config.get("env_prefix") or "")
        for name, field in model.model_fields.items():
            default = "" if field.default in (None, ()) else str(field.default)
            lines.append(f"  {(prefix + name).upper():<36} {default}".rstrip())
    return "\n".join([t("startup.usage"), "", t("startup.settings"), *lines])


def main() -> None:
    """Read the settings and serve (``--help``: print the usage and the settings)."""
    if any(arg in ("-h", "--help") for arg in sys.argv[1:]):
        print(usage())  # noqa: T201 (the command's own output)
        return
    settings = Settings()
    configure_logging(settings)
    if settings.webhook_url and settings.web_concurrency > 1:
        serve_workers(settings)
        return
    if settings.telegram_bot_token is None and settings.log_level != "DEBUG":
        # The terminal is the chat: only problems may be written beside it.
        logging.getLogger().setLevel(logging.WARNING)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
