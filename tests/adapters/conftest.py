"""Fixtures for the Telegram adapter: settings, the fake Bot API, images and a running app."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from PIL import Image, ImageDraw
from telegram.ext import Application

from bot.adapters.telegram import ConversationPort, build_application
from bot.settings import Settings
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.fakes.telegram_user import TelegramUser


def make_jpeg(width: int = 1654, height: int = 2339, seed: int = 0) -> bytes:
    """Draw an invoice-like page (lines of dark text blocks on white) as a JPEG."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    step = max(height // 40, 8)
    for row, top in enumerate(range(step * 2, height - step * 2, step)):
        length = width // 3 + ((row * 37 + seed * 11) % (width // 2))
        draw.rectangle((width // 12, top, width // 12 + length, top + step // 2), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


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
    telegram: FakeTelegram, settings: Settings
) -> Callable[[ConversationPort], Any]:
    """Return ``running(service)``: an initialised, started application on the fake API."""

    @asynccontextmanager
    async def _running(service: ConversationPort) -> AsyncIterator[Application]:
        app = build_application(settings, service, request=FakeBotApi(telegram))
        async with app:
            if app.post_init is not None:
                await app.post_init(app)
            await app.start()
            try:
                yield app
            finally:
                await app.stop()

    return _running


@pytest.fixture
def user_factory(telegram: FakeTelegram) -> Callable[..., TelegramUser]:
    """Return ``user_factory(app, chat_id=...)`` making a ``TelegramUser``."""

    def _make(app: Application, **kwargs: Any) -> TelegramUser:
        return TelegramUser(app, telegram, **kwargs)

    return _make
