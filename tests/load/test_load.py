"""Load: 200 travellers finish their claims at once through one Telegram application.

Not in the normal run; ``pytest -m load tests/load -s`` prints the counts. Real
``Application.process_update``, real engine, real SQLite file; only the Bot API is faked
(with per-chat indexes, so the fake's bookkeeping does not dominate the timing). PTB's
global 30 requests/s throttle is switched off: it models Telegram's limit, not our cost.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.adapters.telegram import build_application
from bot.service import ConversationService
from bot.settings import Settings
from bot.storage.repository import ClaimRepository
from bot.storage.sqlite import open_repository
from states.snapshot import FlowSnapshot
from tests.adapters.claim_script import DOCUMENTS_STEP, POLOGNE
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.fakes.images import make_jpeg
from tests.fakes.telegram_user import TelegramUser

pytestmark = pytest.mark.load

TRAVELLERS = 200
NAME_PREFIX = "ZEPHYR"
NAME = re.compile(NAME_PREFIX + r"[A-Z]{3}")
# What Telegram offers for a photo of an A4 page taken at arm's length.
SIZES = [(90, 128), (1240, 1754)]


class IndexedTelegram(FakeTelegram):
    """``FakeTelegram`` that also files each chat's calls and messages under its id."""

    def __init__(self) -> None:
        super().__init__()
        self.chat_calls: dict[int, list[Any]] = defaultdict(list)
        self.chat_messages: dict[int, list[dict[str, Any]]] = defaultdict(list)

    def answer(self, method: str, params: dict[str, Any],
               files: dict[str, tuple[str, bytes, str]]) -> Any:
        """Answer as ``FakeTelegram`` does, then index the call by chat."""
        result = super().answer(method, params, files)
        if (chat := params.get("chat_id")) is not None:
            self.chat_calls[int(chat)].append(self.calls[-1])
        return result

    def _message(self, chat_id: Any, **content: Any) -> dict[str, Any]:
        message = super()._message(chat_id, **content)
        self.chat_messages[int(chat_id)].append(message)  # edits change this same dict
        return message


class Traveller(TelegramUser):
    """A ``TelegramUser`` that reads its own chat's index, and counts its updates."""

    telegram: IndexedTelegram

    def __init__(self, app: Application, telegram: IndexedTelegram, number: int) -> None:
        super().__init__(app, telegram, chat_id=900_000 + number)
        self.number = number
        self.name = NAME_PREFIX + "".join(
            chr(ord("A") + number // 26 ** power % 26) for power in (2, 1, 0))
        self.amount = f"{100 + number},{number % 100:02d}"
        self.updates = 0
        self.unanswered: list[str] = []
        self._seen = 0

    async def _push(self, body: dict[str, Any]) -> None:
        self._seen = len(self.telegram.chat_calls[self.chat_id])
        self.updates += 1
        await self._deliver(body)

    @property
    def texts(self) -> list[str]:
        """Texts the bot sent this chat since the user's last action."""
        return [call.params["text"] for call in self.telegram.chat_calls[self.chat_id][self._seen:]
                if call.method == "sendMessage"]

    @property
    def last_keyboard_message(self) -> dict[str, Any] | None:
        """The newest message of this chat that still shows buttons."""
        return next((m for m in reversed(self.telegram.chat_messages[self.chat_id])
                     if m.get("reply_markup")), None)

    def all_texts(self) -> list[str]:
        """Every text the bot sent this chat."""
        return [call.params["text"] for call in self.telegram.chat_calls[self.chat_id]
                if call.method == "sendMessage"]

    def pack(self) -> list[str]:
        """Names of the files the bot sent this chat."""
        return [call.files["document"][0] for call in self.telegram.chat_calls[self.chat_id]
                if call.method == "sendDocument"]


def script(traveller: Traveller) -> list[tuple[str, str, str]]:
    """The Pologne claim with this traveller's name and amount, and 1 or 2 photos."""
    steps = [(action, {"NATHALIE": traveller.name, "200,50": traveller.amount}.get(arg, arg),
              expected) for action, arg, expected in POLOGNE[:DOCUMENTS_STEP]]
    steps += [("photo", "0", "Document reçu"), ("press", "Facture", "Classé")]
    if traveller.number % 2:
        steps += [("photo", "1", "Document reçu"), ("press", "Preuve de paiement", "Classé")]
    steps += [("press", "J'ai tout envoyé", ""), ("continue", "", "Récapitulatif"),
              ("press", "Je déclare conserver les originaux", "Récapitulatif"),
              ("press", "Je certifie l'exactitude", "Récapitulatif"),
              ("press", "Valider", "")]
    return steps


async def play(traveller: Traveller, photos: list[bytes]) -> str:
    """Play the traveller's claim; return the recap text."""
    recap = ""
    for action, argument, expected in script(traveller):
        if action == "send":
            await traveller.send(argument)
        elif action == "press":
            await traveller.press(argument)
        elif action == "photo":
            await traveller.send_photo(photos[(traveller.number + int(argument)) % len(photos)],
                                       sizes=SIZES)
        elif action == "continue" and any(  # only when something is still missing
            label == "Continuer quand même" for _, label in traveller.last_buttons
        ):
            await traveller.press("Continuer quand même")
        answer = "\n".join(traveller.texts)
        if not answer:
            traveller.unanswered.append(f"{action} {argument}")
        assert expected in answer, f"{traveller.name} {action} {argument!r}: {answer[-400:]!r}"
        if expected == "Récapitulatif":
            recap = answer
    return recap


@asynccontextmanager
async def running(repository: ClaimRepository, telegram: FakeTelegram,
                  monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Application]:
    """Run the bot on the fake API, with Telegram's global throttle off."""
    settings = Settings(_env_file=None, telegram_bot_token="123:TEST",  # type: ignore[arg-type]  # noqa: S106
                        album_delay_seconds=0.05, bot_api_max_rate=0)
    app = build_application(settings, ConversationService(repository),
                            request=FakeBotApi(telegram))
    async with app:
        await app.start()
        try:
            yield app
        finally:
            await app.stop()


async def _count(repository: ClaimRepository, sql: str) -> int:
    rows = await repository.database.fetch(sql)
    return int(str(rows[0][0]))


async def test_two_hundred_travellers_at_once(tmp_path: Path, monkeypatch, capsys):
    repository = await open_repository(tmp_path / "load.sqlite3")
    telegram = IndexedTelegram()
    photos = [make_jpeg(620, 877, seed=n) for n in range(4)]
    try:
        async with running(repository, telegram, monkeypatch) as app:
            travellers = [Traveller(app, telegram, n) for n in range(TRAVELLERS)]
            started = time.perf_counter()
            recaps = await asyncio.gather(*(play(t, photos) for t in travellers))
            elapsed = time.perf_counter() - started

        for traveller, recap in zip(travellers, recaps, strict=True):
            assert traveller.unanswered == [], (traveller.name, traveller.unanswered)
            # No cross-talk: this chat only ever saw its own traveller's name and amount.
            assert traveller.name in recap and traveller.amount in recap, traveller.name
            seen = {name for text in traveller.all_texts() for name in NAME.findall(text)}
            assert seen == {traveller.name}, (traveller.name, seen)
            raw = await repository.load(str(traveller.chat_id))
            snapshot = FlowSnapshot.model_validate_json(raw or "{}")
            assert snapshot.status == "ready", traveller.name
            assert snapshot.draft.beneficiary_name == traveller.name
            assert len(snapshot.draft.documents) == 1 + traveller.number % 2
            pack = traveller.pack()
            assert pack and all(name.endswith(".pdf") for name in pack), traveller.name

        turns = await _count(repository, "SELECT COUNT(*) FROM turns WHERE said != ''")
        ready = await _count(repository, "SELECT COUNT(*) FROM ready_claims")
        updates = sum(t.updates for t in travellers)
        api_calls = len(telegram.calls)
        assert ready == TRAVELLERS
        assert turns == updates  # every update became exactly one engine turn
    finally:
        await repository.close()
    with capsys.disabled():
        print(f"\nload: {TRAVELLERS} travellers, {updates} updates, {turns} turns, "  # noqa: T201
              f"{api_calls} Bot API calls, {ready} claims ready, "
              f"{sum(len(t.pack()) for t in travellers)} pack files, "
              f"elapsed {elapsed:.1f} s, {turns / elapsed:.0f} turns/s")
