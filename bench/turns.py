"""Benchmark a conversation turn through Telegram against a bare python-telegram-bot echo bot.

Usage:
    python -m bench.turns [--chats 40] [--concurrent 100] [--stored 10000] [--profile]

Both bots run in this process on the same offline request layer (``FakeBotApi``), fed real
``Update`` objects through ``Application.process_update``:

* ours: ``build_application`` + ``ConversationService`` + a SQLite file, playing the Pologne
  claim up to « Document(s) » (typed answers and button presses; no photos: their
  conversion is ``python -m bench.documents``'s business);
* echo: one ``MessageHandler`` replying the same text, the baseline of "a PTB bot at all";
* floor: the echo plus what a turn of our job costs at the least, one durable transaction
  and the same Bot API calls, on the same updates as ours (``bench/turns_floor.py``).

Printed: per-turn latency (p50, p99) one update at a time, throughput one chat at a time and
with many chats at once, the ratios ours / echo; then resident memory (VmRSS) with 1, 1 000
and 10 000 stored conversations while handling turns of chats spread across them. PTB's
30 requests/s throttle is off in both: it stands for Telegram's limit, not for our cost.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import pstats
import random
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters

from bench.turns_floor import floor_bot
from bot.adapters import telegram as telegram_adapter
from bot.service import ConversationService
from bot.settings import Settings
from bot.storage.sqlite import open_repository
from tests.adapters.claim_script import DOCUMENTS_STEP, POLOGNE
from tests.fakes.bot_api import FakeBotApi, FakeTelegram

TOKEN = "123:BENCH"  # offline, never sent anywhere
SCRIPT = POLOGNE[:DOCUMENTS_STEP]
FIRST_STORED_CHAT = 5_000_000


class IndexedTelegram(FakeTelegram):
    """``FakeTelegram`` that files each chat's messages, so finding a keyboard stays cheap."""

    def __init__(self) -> None:
        super().__init__()
        self.chat_messages: dict[int, list[dict[str, Any]]] = defaultdict(list)

    def _message(self, chat_id: Any, **content: Any) -> dict[str, Any]:
        message = super()._message(chat_id, **content)
        self.chat_messages[int(chat_id)].append(message)
        return message

    def keyboard(self, chat_id: int) -> dict[str, Any]:
        """Return the chat's newest message that still shows buttons."""
        return next(m for m in reversed(self.chat_messages[chat_id]) if m.get("reply_markup"))


class Phone:
    """Build the updates one chat sends (texts, commands, presses), as Telegram would."""

    def __init__(self, telegram: IndexedTelegram, chat_id: int) -> None:
        self.telegram = telegram
        self.chat_id = chat_id
        self.user = {"id": chat_id, "is_bot": False, "first_name": "Bench",
                     "language_code": "fr"}

    def text(self, text: str) -> dict[str, Any]:
        """Return the update of a typed message (``/word`` is a command)."""
        message: dict[str, Any] = {
            "message_id": self.telegram.next_id(), "date": int(time.time()), "text": text,
            "chat": {"id": self.chat_id, "type": "private"}, "from": self.user}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        return {"update_id": self.telegram.next_id(), "message": message}

    def press(self, label: str) -> dict[str, Any]:
        """Return the update of a tap on the button whose label contains ``label``."""
        message = self.telegram.keyboard(self.chat_id)
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        button = next((b for b in buttons if b["text"] == label), None) or next(
            b for b in buttons if label.lower() in b["text"].lower())
        query = {"id": str(self.telegram.next_id()), "from": self.user,
                 "chat_instance": f"ci{self.chat_id}", "data": button["callback_data"],
                 "message": message}
        return {"update_id": self.telegram.next_id(), "callback_query": query}


@dataclass
class Timings:
    """Latencies of single turns and the wall time of a batch."""

    latencies: list[float]
    wall: float

    @property
    def turns(self) -> int:
        """Count the turns."""
        return len(self.latencies)

    def percentile(self, share: float) -> float:
        """Return the latency below which ``share`` of the turns fall, in milliseconds."""
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def per_second(self) -> float:
        """Return turns per second of wall time."""
        return self.turns / self.wall


async def _timed(app: Application, body: dict[str, Any], latencies: list[float]) -> None:
    update = Update.de_json(body, app.bot)
    started = time.perf_counter()
    await app.process_update(update)
    latencies.append(time.perf_counter() - started)


async def _play_claim(app: Application, phone: Phone, latencies: list[float]) -> None:
    for action, argument, _ in SCRIPT:
        body = phone.text(argument) if action == "send" else phone.press(argument)
        await _timed(app, body, latencies)


async def _play_echo(app: Application, phone: Phone, latencies: list[float]) -> None:
    for _, argument, _ in SCRIPT:
        await _timed(app, phone.text(argument), latencies)


Player = Callable[[Application, Phone, list[float]], Awaitable[None]]


async def _measure(app: Application, telegram: IndexedTelegram, player: Player, first: int,
                   chats: int, *, together: bool) -> Timings:
    latencies: list[float] = []
    phones = [Phone(telegram, first + n) for n in range(chats)]
    started = time.perf_counter()
    if together:
        await asyncio.gather(*(player(app, phone, latencies) for phone in phones))
    else:
        for phone in phones:
            await player(app, phone, latencies)
    return Timings(latencies, time.perf_counter() - started)


class Stopwatch:
    """Seconds spent inside the engine (``service.handle``) and inside storage calls."""

    def __init__(self) -> None:
        self.engine = 0.0
        self.storage = 0.0
        self.storage_calls = 0
        self.methods: dict[str, float] = defaultdict(float)

    def reset(self) -> None:
        """Start counting again."""
        self.engine = self.storage = 0.0
        self.storage_calls = 0
        self.methods.clear()


class TimedRepository:
    """Forward every repository call, adding the time it takes to ``watch.storage``."""

    def __init__(self, repository: Any, watch: Stopwatch) -> None:
        self._repository = repository
        self._watch = watch

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._repository, name)
        if not asyncio.iscoroutinefunction(method):
            return method

        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                spent = time.perf_counter() - started
                self._watch.storage += spent
                self._watch.methods[name] += spent
                self._watch.storage_calls += 1

        return timed


class TimedService(ConversationService):
    """``ConversationService`` adding the time of each turn to ``watch.engine``."""

    def __init__(self, repository: Any, watch: Stopwatch) -> None:
        super().__init__(TimedRepository(repository, watch))
        self._watch = watch

    async def handle(self, chat_id: str, user_input: Any, *,
                     event_id: str | None = None, language: str | None = None,
                     sender: Any = None) -> list[Any]:
        """Handle the turn, timed."""
        started = time.perf_counter()
        try:
            return await super().handle(chat_id, user_input, event_id=event_id,
                                        language=language, sender=sender)
        finally:
            self._watch.engine += time.perf_counter() - started


WATCH = Stopwatch()


def _settings() -> Settings:
    # A rate of 0 turns the throttle off: it stands for Telegram's limit, not for our cost.
    return Settings(_env_file=None, telegram_bot_token=TOKEN,  # type: ignore[arg-type]
                    bot_api_max_rate=0)


@asynccontextmanager
async def _ours(path: Path, telegram: IndexedTelegram):  # type: ignore[no-untyped-def]
    repository = await open_repository(path)
    app = telegram_adapter.build_application(
        _settings(), TimedService(repository, WATCH), request=FakeBotApi(telegram))
    try:
        async with app:
            await app.start()
            yield app
            await app.stop()
    finally:
        await repository.close()


@asynccontextmanager
async def _echo(telegram: IndexedTelegram):  # type: ignore[no-untyped-def]
    request = FakeBotApi(telegram)
    app = ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request).build()

    async def echo(update: Update, _: object) -> None:
        message = update.effective_message
        if message is not None and message.text is not None:
            await message.reply_text(message.text)

    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        yield app
        await app.stop()


def _row(name: str, one: Timings, many: Timings) -> str:
    return (f"{name:<6} {one.percentile(0.5):8.2f} {one.percentile(0.99):8.2f} "
            f"{one.per_second:10.0f} {many.per_second:12.0f}   ({one.turns} + {many.turns} turns)")


async def compare(chats: int, concurrent: int, workdir: Path, profile: bool) -> None:
    """Measure ours and echo, print the table and the ratios."""
    results: dict[str, tuple[Timings, Timings]] = {}
    bots: dict[str, tuple[Callable[[IndexedTelegram], AbstractAsyncContextManager[Application]],
                          Player]] = {
        "echo": (_echo, _play_echo),
        "floor": (lambda telegram: floor_bot(workdir / "floor.sqlite3", telegram, TOKEN),
                  _play_claim),
        "ours": (lambda telegram: _ours(workdir / "turns.sqlite3", telegram), _play_claim),
    }
    profiler = cProfile.Profile()
    for name, (running, player) in bots.items():
        telegram = IndexedTelegram()
        async with running(telegram) as app:
            await _measure(app, telegram, player, 1, 5, together=False)  # warm-up
            if profile and name == "ours":
                profiler.enable()
            WATCH.reset()
            calls = len(telegram.calls)
            one = await _measure(app, telegram, player, 1_000, chats, together=False)
            profiler.disable()
            if name == "ours":
                split = (WATCH.engine, WATCH.storage, WATCH.storage_calls,
                         len(telegram.calls) - calls, dict(WATCH.methods))
            else:
                echo_calls = len(telegram.calls) - calls
            many = await _measure(app, telegram, player, 2_000, concurrent, together=True)
        results[name] = (one, many)
    print(f"turns: {len(SCRIPT)} updates a chat; {chats} chats one after another, "
          f"then {concurrent} chats at once")
    print(f"{'':<6} {'p50 ms':>8} {'p99 ms':>8} {'turns/s 1':>10} {'turns/s many':>12}")
    for name, (one, many) in results.items():
        print(_row(name, one, many))
    (ours_one, ours_many), (echo_one, echo_many) = results["ours"], results["echo"]
    print(f"ratio ours/echo: p50 {ours_one.percentile(0.5) / echo_one.percentile(0.5):.1f}×, "
          f"p99 {ours_one.percentile(0.99) / echo_one.percentile(0.99):.1f}×, "
          f"throughput one chat {echo_one.per_second / ours_one.per_second:.1f}× slower, "
          f"many chats {echo_many.per_second / ours_many.per_second:.1f}× slower "
          f"(target: ≤ 2×)")
    floor_one = results["floor"][0]
    print(f"ratio ours/floor: p50 {ours_one.percentile(0.5) / floor_one.percentile(0.5):.1f}×, "
          f"p99 {ours_one.percentile(0.99) / floor_one.percentile(0.99):.1f}×; floor/echo: p50 "
          f"{floor_one.percentile(0.5) / echo_one.percentile(0.5):.1f}× (the floor: echo, plus "
          "one durable transaction and the Bot API calls of a turn, bench/turns_floor.py)")
    engine, storage, storage_calls, api_calls, methods = split
    turns, total = ours_one.turns, sum(ours_one.latencies)
    by_method = ", ".join(f"{name} {1000 * spent / turns:.2f}"
                          for name, spent in sorted(methods.items(), key=lambda m: -m[1]))
    print(f"ours, one turn at a time, mean {1000 * total / turns:.2f} ms a turn: "
          f"storage {1000 * storage / turns:.2f} ms ({storage_calls / turns:.1f} calls: "
          f"{by_method}), "
          f"engine {1000 * (engine - storage) / turns:.2f} ms, "
          f"adapter + PTB + fake Bot API {1000 * (total - engine) / turns:.2f} ms "
          f"({api_calls / turns:.2f} Bot API calls a turn; echo {echo_calls / turns:.2f})")
    if profile:
        _print_profile(profiler)


def _print_profile(profiler: cProfile.Profile) -> None:
    for key, count in (("tottime", 25), ("cumulative", 40)):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(key).print_stats(count)
        print(f"\n--- profile of our sequential turns, by {key} ---")
        print(out.getvalue().split("\n\n", 1)[-1].rstrip())


def clone(path: str, template: str, start: int, stop: int) -> None:
    """Copy the template chat's rows to stored chats number ``start``..``stop - 1``."""
    db = sqlite3.connect(path)
    numbers = ("WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?) ")
    span = (FIRST_STORED_CHAT + start, FIRST_STORED_CHAT + stop - 1)
    columns = "claim_no, state, status, step, beneficiary, country, blocked_rule, snapshot"
    with db:
        db.execute(numbers + f"INSERT INTO conversations (chat_id, {columns}, created_at,"
                   f" updated_at) SELECT CAST(i AS TEXT), {columns}, created_at, updated_at"
                   " FROM n, conversations WHERE chat_id = ?", (*span, template))
        first = db.execute("SELECT coalesce(max(id), 0) FROM turns").fetchone()[0]
        db.execute(numbers + "INSERT INTO turns (chat_id, at, event_id, said, codec, replies)"
                   " SELECT CAST(i AS TEXT), at, event_id || ':' || i, said, codec, replies"
                   " FROM n, turns WHERE chat_id = ? ORDER BY i, id", (*span, template))
        db.execute("INSERT INTO turns_fts (rowid, said) SELECT id, said FROM turns"
                   " WHERE id > ? AND said != ''", (first,))
        for table, names, copied in (
            ("events", "chat_id, kind, detail, at", "CAST(i AS TEXT), kind, detail, at"),
            ("conversation_rules", "rule_id, chat_id", "rule_id, CAST(i AS TEXT)"),
        ):
            db.execute(numbers + f"INSERT INTO {table} ({names}) SELECT {copied}"
                       f" FROM n, {table} WHERE chat_id = ?", (*span, template))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _database_bytes(path: Path) -> int:
    """Return the bytes the database's pages hold (the WAL's latest pages included)."""
    with sqlite3.connect(path) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        return int((pages - free) * db.execute("PRAGMA page_size").fetchone()[0])


def rss_kib() -> int:
    """Return this process's resident memory (VmRSS), in KiB."""
    gc.collect()
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _count_conversations(path: Path) -> int:
    def count() -> int:
        with sqlite3.connect(path) as db:
            return int(db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0])

    return await asyncio.to_thread(count)


async def memory(stored: int, workdir: Path, turns: int) -> None:
    """Print RSS with 1, 1 000 and ``stored`` conversations while handling their turns."""
    path = workdir / "memory.sqlite3"
    telegram = IndexedTelegram()
    # The template is played once and never touched again: its rows are what gets copied.
    template = FIRST_STORED_CHAT - 1
    random_chats = random.Random(7)  # spreading turns, not security
    levels = [1, 1_000, stored] if stored > 1_000 else [1, stored]
    rows: list[tuple[int, int, float, float]] = []
    async with _ours(path, telegram) as app:
        await _play_claim(app, Phone(telegram, template), [])
        copies = 0
        # A child process copies, so the bulk copy's own memory never shows in our RSS.
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            for level in levels:
                started = time.perf_counter()
                await asyncio.get_running_loop().run_in_executor(
                    pool, clone, str(path), str(template), copies, level)
                if level - copies > 1:
                    print(f"copied the template to {level - copies} more chats in "
                          f"{time.perf_counter() - started:.1f} s")
                copies = level
                latencies: list[float] = []
                for number in range(turns):
                    chat = FIRST_STORED_CHAT + random_chats.randrange(copies)
                    body = Phone(telegram, chat).text("/recap" if number % 2 else "?")
                    await _timed(app, body, latencies)
                timings = Timings(latencies, sum(latencies))
                size = await asyncio.to_thread(_database_bytes, path)
                rows.append((await _count_conversations(path), rss_kib(),
                             timings.percentile(0.5), timings.percentile(0.99),
                             timings.per_second, size))
    print(f"\n{'stored':>7} {'VmRSS MiB':>10} {'p50 ms':>7} {'p99 ms':>7} {'turns/s':>8} "
          f"{'KB/conv':>8}   ({turns} turns each, on stored chats picked at random; "
          "the template included)")
    for level, rss, p50, p99, per_second, size in rows:
        print(f"{level:>7} {rss / 1024:>10.1f} {p50:>7.2f} {p99:>7.2f} {per_second:>8.0f} "
              f"{size / level / 1000:>8.1f}")
    print(f"RSS delta {rows[0][0]} → {rows[-1][0]} stored: "
          f"{(rows[-1][1] - rows[0][1]) / 1024:+.1f} MiB; database pages "
          f"{rows[-1][5] / 1024 / 1024:.0f} MiB (target: <= 8 KB a conversation, p99 <= 10 ms)")


def main() -> None:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(prog="python -m bench.turns")
    parser.add_argument("--chats", type=int, default=40, help="chats played one at a time")
    parser.add_argument("--concurrent", type=int, default=100, help="chats played at once")
    parser.add_argument("--stored", type=int, default=10_000, help="conversations stored")
    parser.add_argument("--memory-turns", type=int, default=400,
                        help="turns handled at each stored level")
    parser.add_argument("--profile", action="store_true", help="cProfile our sequential turns")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-turns-") as directory:
        workdir = Path(directory)
        asyncio.run(compare(args.chats, args.concurrent, workdir, args.profile))
        print()
        asyncio.run(memory(args.stored, workdir, args.memory_turns))


if __name__ == "__main__":
    main()
