"""A person in the terminal chat: the adviser's message is printed as theirs, never the bot's."""

from __future__ import annotations

import asyncio
import io

from bot.adapters import console
from bot.adapters.console import run_console
from states.events import AgentReply
from tests.test_console import SlowInput


async def test_an_advisers_reply_reaches_the_terminal_chat_labelled_as_a_person(
        service, monkeypatch):
    monkeypatch.setattr(console, "POSTS_POLL_SECONDS", 0.1)
    await service.handle("console", console.Command("start"))

    async def adviser() -> None:
        while not await service.act("console", AgentReply("alice", "Bonjour, je regarde.")):
            await asyncio.sleep(0.05)  # until the traveller has asked

    replying = asyncio.create_task(adviser())
    out = io.StringIO()
    await run_console(service, stdin=SlowInput(["/conseiller", ""], pause=1.0), stdout=out)
    await replying
    printed = out.getvalue()
    assert "\n👤 Conseiller·ère Assurance Maladie : Bonjour, je regarde." in printed
    assert "🤖 👤" not in printed  # a person's message is never shown as the bot's
    assert "🤖 C'est noté : un·e conseiller·ère" in printed  # the bot's own, as the bot's
