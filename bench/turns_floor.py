"""The floor of a turn: what any bot doing our job does at the least (``bench.turns``' baseline).

For each update of the claim's script: answer a press (``answerCallbackQuery``), take the
buttons off the pressed message (``editMessageReplyMarkup``), write the turn durably in one
SQLite transaction on a worker thread (the conversation's 1 KB snapshot and a transcript
row, WAL and ``synchronous = NORMAL`` as ours), then send the next question with four buttons. No
engine, no rules, no outbox: the echo bot plus the storage and the Bot API calls of a turn.
Its keyboard holds the label the script taps next, so it plays the very updates ours does.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.adapters.claim_script import DOCUMENTS_STEP, POLOGNE
from tests.fakes.bot_api import FakeBotApi, FakeTelegram

SCRIPT = POLOGNE[:DOCUMENTS_STEP]
SNAPSHOT = '{"state": "question", "draft": {' + ", ".join(
    f'"field_{n}": "a typical answer {n}"' for n in range(28)) + "}}"
"""About the size of our snapshot at « Documents » (1 KB of JSON)."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (chat_id TEXT PRIMARY KEY, snapshot TEXT NOT NULL,
                                          updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS turns (id INTEGER PRIMARY KEY, chat_id TEXT NOT NULL,
                                  at REAL NOT NULL, said TEXT NOT NULL, replies TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS turns_chat ON turns (chat_id, id);
"""


def _next_press(after: int) -> str:
    """Return the label the script taps first after its update number ``after``."""
    return next((argument for action, argument, _ in SCRIPT[after + 1:] if action == "press"),
                "Aide")


class FloorBot:
    """Handlers of the floor bot, over one SQLite file."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._turns: dict[int, int] = defaultdict(int)

    async def turn(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer one update as cheaply as a bot doing the job can."""
        chat = update.effective_chat
        if chat is None:
            return
        said = update.callback_query.data if update.callback_query else (
            update.effective_message.text if update.effective_message else "")
        if (query := update.callback_query) is not None:
            await query.answer()
            await query.edit_message_reply_markup(None)
        number = self._turns[chat.id] % len(SCRIPT)
        self._turns[chat.id] += 1
        question = f"Question {number + 1} : votre réponse ?"
        await asyncio.to_thread(self._write, str(chat.id), said or "", question)
        labels = [_next_press(number), "Aide", "Retour", "Annuler"]
        keyboard = InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=f"a:{number}:{n}")]
             for n, label in enumerate(labels)])
        await chat.send_message(question, reply_markup=keyboard)

    def _write(self, chat_id: str, said: str, question: str) -> None:
        now = time.time()
        with self._db:  # one transaction
            self._db.execute(
                "INSERT INTO conversations VALUES (?, ?, ?) ON CONFLICT (chat_id) DO UPDATE"
                " SET snapshot = excluded.snapshot, updated_at = excluded.updated_at",
                (chat_id, SNAPSHOT, now))
            self._db.execute("INSERT INTO turns (chat_id, at, said, replies)"
                             " VALUES (?, ?, ?, ?)", (chat_id, now, said, question))


@asynccontextmanager
async def floor_bot(path: Path, telegram: FakeTelegram,
                    token: str) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run the floor bot on ``telegram``'s offline Bot API, storing in ``path``."""
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.executescript(_SCHEMA)
    try:
        bot = FloorBot(db)
        request = FakeBotApi(telegram)
        app = ApplicationBuilder().token(token).request(request).get_updates_request(
            request).build()
        app.add_handler(MessageHandler(filters.TEXT, bot.turn))
        app.add_handler(CallbackQueryHandler(bot.turn))
        async with app:
            await app.start()
            yield app
            await app.stop()
    finally:
        db.close()
