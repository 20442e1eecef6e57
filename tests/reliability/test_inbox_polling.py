"""A press fetched by long polling survives a SIGKILL of ``python -m bot`` (issue 18, point 1).

The real process polls the loopback Bot API; the press's first call (answering the
button) is left unanswered, so the bot is killed while it handles the press, after
Telegram was told the press was received. The restarted bot answers it, once. With PTB's
own ``Updater`` this test fails: the press is confirmed by the next ``getUpdates`` before
its handler ran, and nothing brings it back.
"""

from __future__ import annotations

import asyncio
import signal

from tests.adapters.test_telegram_http import server, start_bot, stop
from tests.fakes.bot_api_server import BotApiServer
from tests.fakes.telegram_user import RemoteTelegramUser
from tests.reliability.kills import until

__all__ = ["server"]  # the fixture


def sent_with(server: BotApiServer, part: str) -> int:
    """Count the messages (sent or edited into) containing ``part``."""
    return sum(part in str(call.params.get("text", "")) for call in server.telegram.calls
               if call.method == "sendMessage")


async def test_a_press_fetched_before_a_kill_is_answered_once_after_the_restart(
        server, tmp_path):
    user = RemoteTelegramUser(server, wait=40.0)
    process = start_bot(server, tmp_path, "bot-1.log")
    try:
        await user.send("/start")
        assert "Bonjour" in "\n".join(user.texts)
        server.stall("answerCallbackQuery")
        pressing = asyncio.create_task(user.press("J'accepte et je commence"))
        # The bot is handling the press, and Telegram has forgotten it (a later offset).
        await until(lambda: server.stalled_calls and server.pending() == 0)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        server.resume("answerCallbackQuery")
        process = start_bot(server, tmp_path, "bot-2.log")
        await pressing  # the next question came
        assert "régime" in "\n".join(user.texts)
        await user.wait_for_reply(quiet=1.0)
        assert sent_with(server, "régime") == 1
        await user.press("Régime général")  # and the claim goes on
        assert "nationalité" in "\n".join(user.texts)
        assert stop(process) == 0
    finally:
        stop(process)
