"""End to end over real HTTP: ``python -m bot`` with REMINDER_UNFINISHED_AFTER=2s writes first.

The unmodified bot process long-polls the loopback Bot API; the user stops halfway through
the claim and the nudge arrives, once, with buttons that work (issue 16).
"""

from __future__ import annotations

import asyncio
import sys

import pytest

from tests.adapters.test_telegram_conversation import replay
from tests.adapters.test_telegram_http import TOKEN, start_bot, stop
from tests.fakes.bot_api_server import BotApiServer
from tests.fakes.telegram_user import RemoteTelegramUser
from tests.reminders.test_telegram import NUDGE, TO_THE_CEAM


def nudges(server: BotApiServer) -> list[dict[str, object]]:
    return [call.params for call in server.telegram.calls
            if call.method == "sendMessage" and NUDGE in call.params["text"]]


@pytest.fixture
def server():
    with BotApiServer(TOKEN) as running:
        yield running


async def test_the_nudge_arrives_once_after_two_seconds_of_silence(server, tmp_path):
    user = RemoteTelegramUser(server)
    process = start_bot(server, tmp_path, "bot.log", REMINDER_UNFINISHED_AFTER="2s",
                        REMINDER_HOURS="00:00-24:00", REMINDER_CHECK_EVERY="0.2s")
    try:
        await replay(user, TO_THE_CEAM)  # then silence
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while not nudges(server) and loop.time() < deadline:
            await asyncio.sleep(0.1)
        assert len(nudges(server)) == 1, "no nudge within 20 s"
        await asyncio.sleep(3)  # the next looks, and a second nudge is 3 days away
        assert len(nudges(server)) == 1
        await user.press("Reprendre", message=user.message(NUDGE))
        assert "CEAM" in "\n".join(user.texts)
        assert stop(process) == 0
    finally:
        stop(process)
        log = tmp_path / "bot.log"
        if log.exists():
            sys.stderr.write(log.read_text(errors="replace")[-3000:])
