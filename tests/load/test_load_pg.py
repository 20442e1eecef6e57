"""Load across workers: ``python -m bot`` with 4 webhook workers on PostgreSQL (issue 15).

Not in the normal run: ``make load-pg``. The bot runs unmodified, as a process: Telegram is
the fake Bot API over HTTP on 127.0.0.1, and the travellers post webhook updates to it over
a new connection each (so the kernel spreads them over the workers), photos and albums
included. Some updates are delivered twice; one worker is killed mid-run, and what it had
not answered is delivered again, as Telegram does when a webhook call fails. Then: no lost
turn, none handled twice, each chat's turns in order, no cross-talk, every claim ready.
The same travellers then play against one process on SQLite, and the two rates are printed.
"""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from bot.domain.catalog import get_catalog
from bot.storage.stores import open_store
from tests.fakes.bot_api_server import BotApiServer
from tests.fakes.images import make_jpeg
from tests.load.test_load import NAME, IndexedTelegram, Traveller, script
from tests.postgres_server import running_server

pytestmark = pytest.mark.load

TRAVELLERS = int(os.environ.get("LOAD_TRAVELLERS", "500"))
WORKERS = 4
TOKEN = "123:LOAD"  # noqa: S105 (the fake Bot API's)
SECRET = "load-secret"  # noqa: S105
ROOT = Path(__file__).resolve().parents[2]
DUPLICATE_EVERY = 9
"""Every ninth update of a traveller is delivered a second time, after its answer."""
ANSWER_WAIT = 300
"""Seconds a traveller waits for an answer: one that failed under load comes later, from the
outbox, and conversions (with their OCR, a second or more each) queue behind the others' on
a machine of few cores: a 2-photo album waited over 120 s while other tests shared the
machine (its chat saw only « envoi d'un document… » meanwhile)."""
BUSY = get_catalog("fr").text("documents.error.busy")
BUSY_RETRY_SECONDS = 20
"""A traveller told « renvoyez ce fichier dans une minute » sends it again (sooner, here)."""
ARRIVALS_PER_SECOND = 1
"""Travellers start one after another, as people do, not all in the same instant: one a
second is what two cores sustain (a traveller costs about 1.5 s of CPU, mostly reading and
converting their photos); at ten a second the conversions queued for minutes."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebhookTraveller(Traveller):
    """A traveller whose updates are webhook calls, redelivered when a call fails."""

    def __init__(self, telegram: IndexedTelegram, number: int, webhook: str,
                 http: httpx.AsyncClient) -> None:
        super().__init__(None, telegram, number)  # type: ignore[arg-type]
        self.webhook = webhook
        self.http = http
        self.redelivered = 0
        self.busy = 0
        self.sent_ids: list[str] = []
        self.album_ids: set[str] = set()

    async def wait_for_reply(self, quiet: float = 0.5) -> None:
        """Wait until this chat was answered, then quiet for ``quiet`` s (an album's answer)."""
        loop = asyncio.get_running_loop()
        deadline, calls = loop.time() + ANSWER_WAIT, self.telegram.chat_calls[self.chat_id]
        seen, quiet_since = len(calls), loop.time()
        while loop.time() < deadline:
            await asyncio.sleep(0.05)
            if len(calls) != seen:
                seen, quiet_since = len(calls), loop.time()
            elif self.texts and loop.time() - quiet_since >= quiet:
                return
        since = [call.method for call in calls[self._seen:]]
        raise AssertionError(f"{self.name}: the album was not answered in {ANSWER_WAIT} s"
                             f" (calls to its chat meanwhile: {since})")

    async def send_album(self, items: list[bytes | tuple[bytes, str]]) -> None:
        """Send an album's photos at once, as Telegram does: one call each, in parallel."""
        group = f"album-{self.telegram.next_id()}"
        self._seen = len(self.telegram.chat_calls[self.chat_id])
        messages = [self._photo_message(item, None, group) for item in items
                    if isinstance(item, bytes)]
        await asyncio.gather(*(self._deliver({"message": message}) for message in messages))
        self.album_ids.update(self.sent_ids[-len(messages):])
        await self.wait_for_reply()

    async def until_converted(self, send: Callable[[], Awaitable[None]]) -> None:
        """Send a file, and again while the bot says it is too busy to convert it."""
        for _ in range(10):
            await send()
            if BUSY not in "\n".join(self.texts):
                return
            self.busy += 1
            await asyncio.sleep(BUSY_RETRY_SECONDS)

    async def _deliver(self, body: dict[str, Any]) -> None:
        update = {"update_id": self.telegram.next_id(), **body}
        self.sent_ids.append(f"tg:{update['update_id']}")
        calls = self.telegram.chat_calls[self.chat_id]
        seen = len(calls)
        await self._post(update)
        if len(self.sent_ids) % DUPLICATE_EVERY == 0:
            await self._post(update)  # Telegram never saw our answer: it sends it again
        if "media_group_id" in body.get("message", {}):
            return
        deadline = asyncio.get_running_loop().time() + ANSWER_WAIT
        while len(calls) == seen and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)

    async def _post(self, update: dict[str, Any]) -> None:
        for _ in range(60):
            try:
                answer = await self.http.post(self.webhook, json=update, headers={
                    "X-Telegram-Bot-Api-Secret-Token": SECRET})
                if answer.status_code == 200:
                    return
            except httpx.TransportError:  # the worker died during the call
                pass
            self.redelivered += 1
            await asyncio.sleep(0.5)
        raise AssertionError(f"{self.name}: update {update['update_id']} never answered")


async def _play(traveller: WebhookTraveller, photos: list[bytes]) -> None:
    await asyncio.sleep(traveller.number / ARRIVALS_PER_SECOND)
    for action, argument, expected in script(traveller):
        if action == "send":
            await traveller.send(argument)
        elif action == "press":
            await traveller.press(argument)
        elif action == "photo" and traveller.number % 3 == 0 and argument == "0":
            album = [photos[traveller.number % len(photos)],
                     photos[(traveller.number + 1) % len(photos)]]
            await traveller.until_converted(functools.partial(traveller.send_album, album))
        elif action == "photo":
            photo = photos[(traveller.number + int(argument)) % len(photos)]
            await traveller.until_converted(functools.partial(traveller.send_photo, photo))
        elif action == "continue":
            await _sort_late_parts(traveller)
            if any(label == "Continuer quand même" for _, label in traveller.last_buttons):
                await traveller.press("Continuer quand même")
        answer = "\n".join(traveller.texts)
        assert expected in answer, f"{traveller.name} {action} {argument!r}: {answer[-300:]!r}"


async def _sort_late_parts(traveller: WebhookTraveller) -> None:
    """Give a type to album photos that came late, as a person would when asked.

    A photo whose webhook call failed (its worker killed) is delivered again a moment later:
    past the album's quiet time it is a document of its own, and « J'ai tout envoyé » asks
    its type first (engine.sort_first). Nothing is lost; the traveller answers.
    """
    for _ in range(3):
        if "de quel type est ce document" not in "\n".join(traveller.texts):
            return
        await traveller.press("Facture")
        await traveller.press("J'ai tout envoyé")


@contextmanager
def bot_process(api: BotApiServer, port: int,
                **settings: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``python -m bot`` by webhook on 127.0.0.1:``port``; stop it at the end."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
           "TELEGRAM_API_BASE_FILE_URL": api.base_file_url, "HOST": "127.0.0.1",
           "PORT": str(port), "WEBHOOK_URL": f"http://127.0.0.1:{port}",
           "WEBHOOK_SECRET": SECRET, "BOT_API_MAX_RATE": "0", "LOG_LEVEL": "WARNING",
           **settings}
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        else:
            raise AssertionError("the bot did not become ready")
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def _workers(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(pid) for pid in children]


async def _run(api: BotApiServer, port: int, *, kill: bool) -> tuple[list[WebhookTraveller],
                                                                    float]:
    photos = [make_jpeg(620, 877, seed=n) for n in range(4)]
    webhook = f"http://127.0.0.1:{port}/telegram/{SECRET}"
    telegram = api.telegram
    assert isinstance(telegram, IndexedTelegram)
    # No connection is kept: each call opens its own, as Telegram's many connections do,
    # so the kernel spreads them over the workers.
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(
            max_connections=None, max_keepalive_connections=0)) as http:
        travellers = [WebhookTraveller(telegram, n, webhook, http) for n in range(TRAVELLERS)]
        started = time.perf_counter()
        plays = [asyncio.create_task(_play(t, photos)) for t in travellers]
        if kill:
            await asyncio.sleep(8)
            os.kill(_workers(KILLED.parent)[0], signal.SIGKILL)  # mid-run, turns in flight
            KILLED.done = True
        await asyncio.gather(*plays)
        return travellers, time.perf_counter() - started


class _Killed:
    parent = 0
    done = False


KILLED = _Killed()


@asynccontextmanager
async def _store(url: str) -> AsyncIterator[Any]:
    repository = await open_store(url)
    try:
        yield repository
    finally:
        await repository.close()


async def _check(store: Path | str, travellers: list[WebhookTraveller]) -> int:
    """Assert every guarantee on the store the run used; return how many turns it made."""
    async with _store(store) as repository:
        for traveller in travellers:
            chat = str(traveller.chat_id)
            rows = await repository.database.fetch(
                "SELECT event_id FROM turns WHERE chat_id = ? ORDER BY id", (chat,))
            handled = [str(row[0]) for row in rows]
            # Each update once, in the order sent (an album is one turn of its own id).
            singles = [event for event in handled if not event.startswith("tg:album:")]
            assert len(handled) == len(set(handled)), traveller.name
            expected = [e for e in traveller.sent_ids if e in set(singles)]
            assert singles == expected, traveller.name
            lost = set(traveller.sent_ids) - set(handled)
            # Album items are handled as their album's turn; nothing else may be missing.
            assert lost <= traveller.album_ids, (traveller.name, lost - traveller.album_ids)
            status = await repository.database.fetch(
                "SELECT status FROM conversations WHERE chat_id = ?", (chat,))
            assert status == [("ready",)], traveller.name
            seen = {name for text in traveller.all_texts() for name in NAME.findall(text)}
            assert seen == {traveller.name}, (traveller.name, seen)  # no cross-talk
        count = await repository.database.fetch("SELECT count(*) FROM turns")
    return int(str(count[0][0]))


def test_four_workers_on_postgresql_against_one_process_on_sqlite(tmp_path, capsys):
    figures: dict[str, tuple[int, float, int, int]] = {}
    with running_server() as server:
        url = server.rsplit("/", 1)[0] + "/load"
        asyncio.run(_create(server, "load"))
        for name, settings, kill in (
            ("4 workers, PostgreSQL", {"DATABASE_URL": url, "WEB_CONCURRENCY": str(WORKERS)},
             True),
            ("1 process, SQLite", {"DATABASE_PATH": str(tmp_path / "load.sqlite3")}, False),
        ):
            port = _free_port()
            with BotApiServer(TOKEN, IndexedTelegram()) as api, \
                    bot_process(api, port, **settings) as process:
                KILLED.parent, KILLED.done = process.pid, False
                travellers, elapsed = asyncio.run(_run(api, port, kill=kill))
                assert not kill or KILLED.done
            store: Path | str = url if "DATABASE_URL" in settings else tmp_path / "load.sqlite3"
            turns = asyncio.run(_check(store, travellers))
            figures[name] = (turns, elapsed, sum(t.redelivered for t in travellers),
                             sum(t.busy for t in travellers))
    with capsys.disabled():
        print(f"\nload-pg: {TRAVELLERS} travellers, every {DUPLICATE_EVERY}th update twice")  # noqa: T201
        for name, (turns, elapsed, redelivered, busy) in figures.items():
            print(f"  {name:<22} {turns} turns in {elapsed:.1f} s: "  # noqa: T201
                  f"{turns / elapsed:.0f} turns/s, {redelivered} redelivered after a failure,"
                  f" {busy} files sent again after « busy »")
        (pg_turns, pg_time, _, _), (lite_turns, lite_time, _, _) = figures.values()
        print(f"  ratio: {pg_turns / pg_time / (lite_turns / lite_time):.2f}x"  # noqa: T201
              " the single SQLite process")


async def _create(server: str, name: str) -> None:
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
