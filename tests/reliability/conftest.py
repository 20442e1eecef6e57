"""Fixtures of the Telegram reliability tests: Telegram's side and a bot to run on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.adapters.telegram import build_application
from bot.service import ConversationService
from bot.settings import Settings
from bot.storage.repository import ClaimRepository
from states.snapshot import FlowSnapshot
from tests.fakes.bot_api import FakeTelegram
from tests.fakes.telegram_user import TelegramUser

RunningBot = Callable[[], AbstractAsyncContextManager[TelegramUser]]


@pytest.fixture
def telegram() -> FakeTelegram:
    """Telegram's side: what the phone shows."""
    return FakeTelegram()


def bot_on(repository: ClaimRepository, request: BaseRequest,
           telegram: FakeTelegram) -> RunningBot:
    """Return ``bot()``: a running application on ``request``, as a user of chat 777."""
    settings = Settings(_env_file=None, telegram_bot_token="123:TEST",  # type: ignore[arg-type]  # noqa: S106
                        album_delay_seconds=0.05)

    @asynccontextmanager
    async def _bot() -> AsyncIterator[TelegramUser]:
        app: Application = build_application(settings, ConversationService(repository),
                                             request=request)
        async with app:
            await app.start()
            try:
                yield TelegramUser(app, telegram)
            finally:
                await app.stop()

    return _bot


async def state_of(repository: ClaimRepository) -> FlowSnapshot:
    """Return the saved conversation of chat 777."""
    return FlowSnapshot.model_validate_json(await repository.load("777") or "{}")
