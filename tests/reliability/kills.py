"""Kill ``python -m bot`` with SIGKILL in the middle of a step, then restart it (issue 18).

The bot is killed at its first Bot API call of the step (answering a button, "uploading…"
during a conversion, a reply, a part of the pack): ``BotApiServer`` leaves those calls
unanswered, and a call whose bot died never reaches the phone.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tests.adapters.test_telegram_http import start_bot, stop
from tests.fakes.bot_api_server import BotApiServer

STEP_CALLS = ("answerCallbackQuery", "sendChatAction", "sendMessage", "editMessageText",
              "editMessageReplyMarkup", "sendDocument", "sendMediaGroup")
"""What the bot calls while it handles a step: the first one is where it is killed."""


async def until(condition: Callable[[], object], *, seconds: float = 20.0) -> None:
    """Wait until ``condition()`` holds (a bounded wait)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


class KilledBot:
    """A bot process that a test kills and restarts on the same store and Bot API."""

    def __init__(self, server: BotApiServer, tmp_path: Path, **settings: str) -> None:
        self.server = server
        self.tmp_path = tmp_path
        self.settings = settings
        self.kills = 0
        self.process: subprocess.Popen[bytes] = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        return start_bot(self.server, self.tmp_path, f"bot-{self.kills}.log", **self.settings)

    def kill(self) -> None:
        """SIGKILL the process now, then start a new one."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.kills += 1
        self.process = self._start()

    async def kill_during(self, step: Awaitable[Any], calls: tuple[str, ...] = STEP_CALLS,
                          *, nth: int = 1) -> None:
        """Run ``step``; kill the bot at its ``nth`` call of ``calls``, restart it, finish it."""
        self.server.stalled_calls.clear()
        self.server.stall(*calls)
        doing = asyncio.ensure_future(step)
        try:
            await until(lambda: len(self.server.stalled_calls) >= nth or doing.done())
            if doing.done():
                raise AssertionError("the step made none of the calls it is killed at")
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        finally:
            self.server.resume(*calls)
        self.kills += 1
        self.process = self._start()
        await doing

    def stop(self) -> int:
        """Stop the bot (SIGTERM); return its exit code."""
        return stop(self.process)
