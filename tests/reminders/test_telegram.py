"""Reminders as a Telegram user meets them: the nudge arrives with its buttons, « Reprendre »
goes on with the claim, and a user who blocked the bot (403) gets no more (issue 16)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application

from bot.adapters.telegram import build_application
from bot.adapters.telegram_outbound import outbound
from bot.reminders import send_due_reminders
from bot.settings import Settings
from tests.adapters.claim_script import POLOGNE
from tests.adapters.test_telegram_conversation import replay
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.fakes.telegram_user import TelegramUser
from tests.reminders.conftest import stored

TO_THE_CEAM = POLOGNE[: next(i for i, step in enumerate(POLOGNE) if step[1] == "POLOGNE") + 1]


@asynccontextmanager
async def phone(service, telegram: FakeTelegram) -> AsyncIterator[TelegramUser]:
    settings = Settings(_env_file=None, telegram_bot_token="123:TEST")  # type: ignore[arg-type]  # noqa: S106
    app: Application = build_application(settings, service, request=FakeBotApi(telegram))
    async with app:
        await app.start()
        try:
            yield TelegramUser(app, telegram)
        finally:
            await app.stop()


async def test_the_nudge_reaches_the_phone_and_reprendre_goes_on(service, repository, moment):
    telegram = FakeTelegram()
    async with phone(service, telegram) as user:
        await replay(user, TO_THE_CEAM)
        deliver = outbound(user.app.bot)
        moment.advance(days=1)
        assert await send_due_reminders(service, deliver, moment()) == 1
        nudge = user.message("n'est pas finie")
        assert [label for _, label in user.last_buttons] == [
            "▶️ Reprendre", "⏰ Plus tard", "🔕 Ne plus me rappeler"]
        await user.press("Reprendre", message=nudge)
        assert "CEAM" in "\n".join(user.texts)
        assert await send_due_reminders(service, deliver, moment()) == 0


async def test_a_403_stops_the_reminders_and_is_recorded(service, repository, moment):
    telegram = FakeTelegram()
    async with phone(service, telegram) as user:
        await replay(user, TO_THE_CEAM)
        telegram.blocked_by.add(user.chat_id)  # the user blocked the bot
        deliver = outbound(user.app.bot)
        moment.advance(days=1)
        assert await send_due_reminders(service, deliver, moment()) == 0
        moment.advance(days=4)
        assert await send_due_reminders(service, deliver, moment()) == 0
    assert [(r.seq, r.status) for r in await stored(repository, "777")] == [(1, "blocked")]
    assert await repository.database.fetch(
        "SELECT detail FROM events WHERE kind = 'reminders_stopped'") == [("blocked_bot",)]
    attempts = [c for c in telegram.calls if c.method == "sendMessage"
                and "n'est pas finie" in c.params["text"]]
    assert len(attempts) == 1  # refused once, never tried again
