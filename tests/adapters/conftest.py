"""Fixtures for the Telegram adapter: settings, the fake Bot API, the engine, a running app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.adapters.telegram import ConversationPort, build_application
from bot.settings import Settings
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.fakes.running import started
from tests.fakes.telegram_user import TelegramUser


@pytest.fixture
def telegram() -> FakeTelegram:
    """Telegram's side: messages shown, files stored, calls recorded."""
    return FakeTelegram()


@pytest.fixture
def settings() -> Settings:
    """Settings for an offline bot, with a short album delay."""
    return Settings(_env_file=None, telegram_bot_token="123:TEST",  # type: ignore[arg-type]  # noqa: S106
                    album_delay_seconds=0.05)


@pytest.fixture
def running(
    telegram: FakeTelegram, settings: Settings, tmp_path: Path
) -> Callable[[ConversationPort], Any]:
    """Return ``running(service)``: an initialised, started application on the fake API.

    A stand-in engine without a store gets a real SQLite one for its album items.
    """

    @asynccontextmanager
    async def _running(service: ConversationPort) -> AsyncIterator[Application]:
        from bot.storage.sqlite import open_repository

        store = None
        if getattr(service, "albums", None) is None:
            store = await open_repository(tmp_path / "albums.sqlite3")
            service.albums = store  # type: ignore[misc]
        app = build_application(settings, service, request=FakeBotApi(telegram))
        try:
            async with started(app):
                yield app
        finally:
            if store is not None:
                await store.close()

    return _running


@pytest.fixture
def user_factory(telegram: FakeTelegram) -> Callable[..., TelegramUser]:
    """Return ``user_factory(app, chat_id=...)`` making a ``TelegramUser``."""

    def _make(app: Application, **kwargs: Any) -> TelegramUser:
        return TelegramUser(app, telegram, **kwargs)

    return _make


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ConversationPort]:
    """The real engine over a real SQLite file."""
    from bot.service import ConversationService  # imported here: adapter tests need no engine
    from bot.storage.sqlite import open_repository

    repository = await open_repository(tmp_path / "claims.sqlite3")
    try:
        yield ConversationService(repository)
    finally:
        await repository.close()
