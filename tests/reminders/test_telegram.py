"""Reminders as a Telegram user meets them: the nudge arrives through the outbox with its
buttons, « Reprendre » goes on with the claim, and a user who blocked the bot (403) gets no
more (issue 16)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.adapters.telegram import build_application
from bot.outbox import BLOCKED_EVENT
from bot.reminders import send_due_reminders
from bot.settings import Settings
from tests.adapters.claim_script import POLOGNE
from tests.adapters.test_telegram_conversation import replay
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.fakes.running import started
from tests.fakes.telegram_user import TelegramUser
from tests.reminders.conftest import planned

TO_THE_CEAM = POLOGNE[: next(i for i, step in enumerate(POLOGNE) if step[1] == "POLOGNE") + 1]
NUDGE = "n'est pas finie"


@asynccontextmanager
async def phone(service, telegram: FakeTelegram) -> AsyncIterator[TelegramUser]:
    """The bot running as in production (its outbox round included), and a user of it."""
    settings = Settings(_env_file=None, telegram_bot_token="123:TEST")  # type: ignore[arg-type]  # noqa: S106
    app = build_application(settings, service, request=FakeBotApi(telegram))
    async with started(app):
        yield TelegramUser(app, telegram)


def nudges(telegram: FakeTelegram) -> int:
    return sum(NUDGE in call.params.get("text", "") for call in telegram.calls
               if call.method == "sendMessage")


async def delivered(telegram: FakeTelegram, *, within: float = 10.0) -> int:
    """Wait for the outbox round to deliver the nudge; return how many were tried."""
    deadline = asyncio.get_running_loop().time() + within
    while not nudges(telegram) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
    return nudges(telegram)


async def test_the_nudge_reaches_the_phone_and_reprendre_goes_on(service, repository, moment):
    telegram = FakeTelegram()
    async with phone(service, telegram) as user:
        await replay(user, TO_THE_CEAM)
        moment.advance(days=1)
        assert await send_due_reminders(service, moment()) == 1
        assert await delivered(telegram) == 1
        nudge = user.message(NUDGE)
        assert [button["text"] for row in nudge["reply_markup"]["inline_keyboard"]
                for button in row] == ["▶️ Reprendre", "⏰ Plus tard", "🔕 Ne plus me rappeler"]
        await user.press("Reprendre", message=nudge)
        assert "CEAM" in "\n".join(user.texts)
        assert await send_due_reminders(service, moment()) == 0
        await asyncio.sleep(1.5)  # another round: nothing more
        assert nudges(telegram) == 1


async def test_a_403_stops_the_reminders_and_is_recorded(service, repository, moment):
    telegram = FakeTelegram()
    async with phone(service, telegram) as user:
        await replay(user, TO_THE_CEAM)
        telegram.blocked_by.add(user.chat_id)  # the user blocked the bot
        moment.advance(days=1)
        assert await send_due_reminders(service, moment()) == 1
        assert await delivered(telegram) == 1  # tried, refused with 403
        for _ in range(100):  # the round records it right after the refusal
            if await repository.database.fetch(
                    "SELECT 1 FROM events WHERE kind = ?", [BLOCKED_EVENT]):
                break
            await asyncio.sleep(0.05)
        assert await planned(repository, "777") == []  # the last nudge is dropped
        moment.advance(days=4)
        assert await send_due_reminders(service, moment()) == 0
        await asyncio.sleep(1.5)
    assert nudges(telegram) == 1  # refused once, never tried again
    assert await repository.database.fetch(
        "SELECT chat_id FROM events WHERE kind = ?", [BLOCKED_EVENT]) == [("777",)]
