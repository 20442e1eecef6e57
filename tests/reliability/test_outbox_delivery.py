"""What the bot has to say reaches the user once, through the outbox (issues 15 and 18).

Real updates through the application on the fake Bot API; the outbox round runs as in
production (``post_init`` starts it). A worker that dies mid-delivery is an application whose
Bot API call never returns, cancelled; the update then comes again to another one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Update
from telegram.ext import Application

from bot import outbox as outbox_module
from bot.adapters.telegram import build_application
from bot.domain.io import Reply
from bot.outbox import BLOCKED_EVENT, Outbox
from bot.service import ConversationService
from bot.settings import Settings
from bot.storage.repository import ClaimRepository
from tests.adapters.claim_script import POLOGNE
from tests.adapters.test_telegram_conversation import replay
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.fakes.running import started
from tests.fakes.telegram_user import TelegramUser
from tests.reliability.test_telegram_faults import FlakyBotApi, fast_retries  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
SETTINGS = Settings(_env_file=None, telegram_bot_token="123:TEST",  # type: ignore[arg-type]  # noqa: S106
                    album_delay_seconds=0.05)


@asynccontextmanager
async def worker(repository: ClaimRepository, request: FakeBotApi) -> AsyncIterator[Application]:
    """One bot process on ``repository``, delivering its outbox in the background."""
    app = build_application(SETTINGS, ConversationService(repository), request=request)
    async with started(app):
        yield app


async def shown(telegram: FakeTelegram, text: str, *, within: float = 5.0) -> int:
    """Wait until a message containing ``text`` was shown; return how many were."""
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        count = sum(text in call.params.get("text", "")
                    for call in telegram.sent(777, "sendMessage"))
        if count:
            return count
        await asyncio.sleep(0.05)
    return 0


async def test_a_post_reaches_the_chat_within_seconds_once(repository, telegram):
    async with worker(repository, FakeBotApi(telegram)):
        await Outbox(repository).post("777", [Reply("👤 Bonjour, ici votre conseillère.")],
                                      kind="agent")
        assert await shown(telegram, "ici votre conseillère") == 1
        await asyncio.sleep(1.5)  # another round finds nothing more to send
        assert await shown(telegram, "ici votre conseillère") == 1


async def test_a_reply_that_failed_is_sent_later_without_a_new_message(
        repository, telegram, monkeypatch):
    monkeypatch.setattr(outbox_module, "FIRST_RETRY_SECONDS", 0.2)
    flaky = FlakyBotApi(telegram)
    async with worker(repository, flaky) as app:
        user = TelegramUser(app, telegram)
        flaky.fail("sendMessage", "500", "500", "500")
        await user.send("/start")
        assert user.texts == []  # every try failed: kept in the outbox
        assert await shown(telegram, "Bonjour") == 1  # the next round delivers it, once


async def test_a_user_who_blocked_the_bot_gets_nothing_more_and_it_is_recorded(
        repository, telegram):
    flaky = FlakyBotApi(telegram)
    async with worker(repository, flaky):
        flaky.fail("sendMessage", "403")
        posts = Outbox(repository)
        await posts.post("777", [Reply("Rappel 1")], kind="reminder")
        await posts.post("777", [Reply("Rappel 2")], kind="reminder")
        await asyncio.sleep(2.5)
    assert telegram.sent(777, "sendMessage") == []
    assert await repository.database.fetch(
        "SELECT chat_id FROM events WHERE kind = ?", [BLOCKED_EVENT]) == [("777",)]
    assert await repository.database.fetch("SELECT count(*) FROM outbox") == [(0,)]


async def test_a_pack_cut_by_a_dead_worker_arrives_whole_and_once(repository, telegram):
    """Issue 18 (1): a crash while the final pack is sent loses nothing, repeats nothing."""
    dying = FlakyBotApi(telegram)
    async with worker(repository, dying) as app:
        user = TelegramUser(app, telegram)
        await replay(user, POLOGNE[:-1])
        message = user.last_keyboard_message
        assert message is not None
        payload = next(button["callback_data"] for row in
                       message["reply_markup"]["inline_keyboard"] for button in row
                       if "Valider" in button["text"])
        body = {"update_id": 9_000, "callback_query": {
            "id": "q9000", "from": user.user, "chat_instance": "ci777", "data": payload,
            "message": message}}
        before = len(telegram.sent(777, "sendDocument"))
        dying.fail("sendDocument", "pass", "hang")
        delivery = asyncio.create_task(app.process_update(Update.de_json(body, app.bot)))
        for _ in range(200):  # until the second file's call hangs
            if dying.failed and dying.failed[-1] == ("sendDocument", "hang"):
                break
            await asyncio.sleep(0.05)
        delivery.cancel()  # the worker dies in the middle of the pack
        with pytest.raises(asyncio.CancelledError):
            await delivery
    files_before = [name for name, _ in user.documents][before:]
    assert len(files_before) == 1  # one file reached the phone before the crash
    # Telegram got no answer: it delivers the update again, to another worker.
    async with worker(repository, FakeBotApi(telegram)) as other:
        await other.process_update(Update.de_json(body, other.bot))
        await asyncio.sleep(0.3)
    names = [name for name, _ in user.documents][before:]
    assert len(names) == len(set(names)) >= 3  # every file once: the recap and the documents
    closing = [call for call in telegram.sent(777, "sendMessage")
               if "Nouvelle demande" in str(call.params.get("reply_markup", ""))]
    assert len(closing) == 1
    assert await repository.database.fetch("SELECT count(*) FROM outbox") == [(0,)]
