"""A flaky Bot API (5xx, 429 with retry_after, timeouts): replies arrive once, turns are kept.

``FlakyBotApi`` fails the next calls of a Bot API method as Telegram (or the network) would,
before ``FakeTelegram`` sees them, so a failed call is never shown on the phone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.request import RequestData

from bot.adapters import telegram_retry
from bot.adapters.telegram_retry import RetryPolicy
from bot.storage.repository import ClaimRepository
from tests.adapters.claim_script import POLOGNE
from tests.adapters.test_telegram_conversation import replay
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.reliability.conftest import RunningBot, bot_on, state_of

# PTB itself warns when it builds a RetryAfter; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

FAST = RetryPolicy(attempts=3, backoff=0.001, max_retry_after=0.5)


class FlakyBotApi(FakeBotApi):
    """``FakeBotApi`` that fails the next calls of chosen methods: 500, 429 or a timeout."""

    def __init__(self, telegram: FakeTelegram) -> None:
        super().__init__(telegram)
        self.faults: dict[str, list[str]] = {}
        self.failed: list[tuple[str, str]] = []

    def fail(self, method: str, *kinds: str) -> None:
        """Make the next ``len(kinds)`` calls of ``method`` fail, one kind each."""
        self.faults.setdefault(method, []).extend(kinds)

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Fail the call if a fault is planned for its method, else answer it."""
        api_method = url.rsplit("/", 1)[-1]
        planned = self.faults.get(api_method)
        if planned and planned[0] == "pass":  # this call goes through, the next may not
            planned.pop(0)
        elif planned:
            kind = planned.pop(0)
            self.failed.append((api_method, kind))
            if kind == "timeout":
                raise TimedOut("fake timeout")
            if kind == "429":
                body = {"ok": False, "error_code": 429,
                        "description": "Too Many Requests: retry after 0.05",
                        "parameters": {"retry_after": 0.05}}
                return 429, json.dumps(body).encode()
            if kind == "429-long":
                body = {"ok": False, "error_code": 429,
                        "description": "Too Many Requests: retry after 3600",
                        "parameters": {"retry_after": 3600}}
                return 429, json.dumps(body).encode()
            if kind == "403":
                body = {"ok": False, "error_code": 403,
                        "description": "Forbidden: bot was blocked by the user"}
                return 403, json.dumps(body).encode()
            if kind == "hang":  # the worker dies during this call: it never returns
                await asyncio.Event().wait()
            if kind == "400":
                body = {"ok": False, "error_code": 400, "description": "Bad Request: fake"}
                return 400, json.dumps(body).encode()
            body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            return 500, json.dumps(body).encode()
        return await super().do_request(url, method, request_data, *args, **kwargs)


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry with tiny delays so the suite stays fast."""
    monkeypatch.setattr(telegram_retry, "DEFAULT_POLICY", FAST)


@pytest.fixture
def flaky(telegram: FakeTelegram) -> FlakyBotApi:
    """The request layer, told which calls to fail."""
    return FlakyBotApi(telegram)


@pytest.fixture
def bot(flaky: FlakyBotApi, repository: ClaimRepository, telegram: FakeTelegram) -> RunningBot:
    """Return ``bot()``: a running application on the flaky API, as a user of chat 777."""
    return bot_on(repository, flaky, telegram)


def _shown(telegram: FakeTelegram, part: str) -> int:
    return sum(part in call.params.get("text", "")
               for call in telegram.sent(777, "sendMessage"))


@pytest.mark.parametrize("kinds", [("500", "500"), ("timeout", "timeout"), ("429",),
                                   ("429", "timeout")])
async def test_reply_arrives_once_after_transient_failures(bot, flaky, telegram, kinds):
    async with bot() as user:
        await replay(user, POLOGNE[:5])
        flaky.fail("sendMessage", *kinds)
        await user.send("NATHALIE")
    assert [kind for _, kind in flaky.failed] == list(kinds)
    assert "date de naissance" in user.last_text
    assert _shown(telegram, "date de naissance") == 1
    assert not any("incident technique" in text for text in user.texts)


async def test_flood_control_waits_retry_after(bot, flaky):
    async with bot() as user:
        await replay(user, POLOGNE[:2])
        flaky.fail("editMessageText", "429")
        started = time.monotonic()
        await user.press("Régime général")
        waited = time.monotonic() - started
    assert flaky.failed == [("editMessageText", "429")]
    assert waited >= 0.05
    assert "nationalité" in user.last_text
    assert "➡️ Régime général" in user.message("De quel régime")["text"]


async def test_gives_up_then_the_next_message_shows_the_unsent_question(
    bot, flaky, telegram, repository, caplog
):
    async with bot() as user:
        await replay(user, POLOGNE[:5])
        flaky.fail("sendMessage", "500", "timeout", "500")
        with caplog.at_level(logging.INFO):
            await user.send("NATHALIE")
        assert user.texts == []  # nothing reached the phone, and no apology either
        saved = await state_of(repository)
        assert saved.draft.beneficiary_name == "NATHALIE"  # the answer is kept all the same

        await user.send("allo ?")  # the user never saw « date de naissance »
        assert "date de naissance" in user.last_text
        assert await state_of(repository) == saved  # "allo ?" was not taken as an answer
        await user.send("07/10/1985")
        assert "raison des soins" in user.last_text
    assert _shown(telegram, "date de naissance") == 1
    failures = [r.getMessage() for r in caplog.records if "not delivered" in r.getMessage()]
    assert len(failures) == 1
    assert "NetworkError" in failures[0] and "tg:" in failures[0]
    assert not any("NATHALIE" in r.getMessage() for r in caplog.records)


async def test_a_long_flood_wait_is_not_held_and_a_command_still_works(
    bot, flaky, telegram, repository
):
    async with bot() as user:
        await replay(user, POLOGNE[:5])
        flaky.fail("sendMessage", "429-long")
        started = time.monotonic()
        await user.send("NATHALIE")
        assert time.monotonic() - started < 5  # not 3600 s
        assert (await state_of(repository)).draft.beneficiary_name == "NATHALIE"
        # A command is not a blind answer: the engine takes it after the unsent question.
        await user.send("/recap")
    texts = [call.params["text"] for call in telegram.sent(777, "sendMessage")]
    assert _shown(telegram, "date de naissance") >= 1
    assert texts.index(next(t for t in texts if "date de naissance" in t)) < len(texts) - 1


async def test_unsent_replies_come_before_an_upload_s_answer(bot, flaky, telegram, repository):
    async with bot() as user:
        await replay(user, POLOGNE[:5])
        flaky.fail("sendMessage", "500", "500", "500")
        await user.send("NATHALIE")
        await user.send("07/10/1985")  # a blind text: shows the question, not taken
        assert (await state_of(repository)).draft.beneficiary_birth_date is None
        await user.send("07/10/1985")
    assert (await state_of(repository)).draft.beneficiary_birth_date is not None
    assert _shown(telegram, "date de naissance") == 1


def test_which_errors_are_retried():
    assert telegram_retry.is_transient(TimedOut("x"))
    assert telegram_retry.is_transient(NetworkError("Internal Server Error (500)"))
    assert not telegram_retry.is_transient(BadRequest("message is not modified"))
    assert not telegram_retry.is_transient(Forbidden("bot was blocked by the user"))


async def test_a_bad_request_is_made_once(bot, flaky, telegram):
    async with bot() as user:
        await replay(user, POLOGNE[:2])
        flaky.fail("sendMessage", "400")
        await user.press("Régime général")
        await user.send("/recap")
    assert flaky.failed == [("sendMessage", "400")]
    assert "nationalité" in "\n".join(c.params["text"] for c in telegram.sent(777, "sendMessage"))


async def test_a_failing_button_answer_does_not_lose_the_press(bot, flaky, repository):
    async with bot() as user:
        await replay(user, POLOGNE[:2])
        flaky.fail("answerCallbackQuery", "500", "500", "500")
        await user.press("Régime général")
    assert "nationalité" in user.last_text
    assert (await state_of(repository)).draft.regime is not None


async def test_a_download_timeout_in_an_album_is_retried_and_nothing_is_lost(
        bot, flaky, repository):
    from tests.fakes.images import make_jpeg

    async with bot() as user:
        await replay(user, POLOGNE[:23])  # up to the documents step
        flaky.fail("getFile", "timeout")
        await user.send_album([make_jpeg(seed=1), make_jpeg(seed=2), make_jpeg(seed=3)])
    assert "Document reçu (3 page(s)" in "\n".join(user.texts)
    stored = await repository.documents("777", 1)
    assert len(stored) == 1 and stored[0].page_count == 3
