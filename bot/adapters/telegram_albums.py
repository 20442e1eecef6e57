"""Keep each chat's turns in order, and gather the photos of an album into one turn.

Telegram sends an album as one update per item, sharing a ``media_group_id`` and with no
marker on the last one; so the items are collected until the chat has been quiet for
``delay`` seconds, then delivered together.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Message

from bot.adapters.telegram_files import FileRefused, read_upload
from bot.domain.io import Upload

Deliver = Callable[[int, str, list[Upload], list[str]], Awaitable[None]]
"""``deliver(chat_id, event_id, uploads, refusals)``, called with the chat's lock held."""
Spawn = Callable[[Coroutine[Any, Any, None], object], object]
"""``spawn(coroutine, update)``: run a background task the application awaits on stop."""


class ChatLocks:
    """One ``asyncio.Lock`` per chat, dropped once nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        """Run the block alone for ``chat_id``; callers enter in the order they arrived."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:
                del self._users[chat_id], self._locks[chat_id]


@dataclass
class _Pending:
    chat_id: int
    event_id: str
    items: dict[int, asyncio.Task[Upload]] = field(default_factory=dict)
    last_seen: float = 0.0


class AlbumCollector:
    """Collect album items per ``media_group_id`` and deliver each album once, in order."""

    def __init__(self, delay: float, locks: ChatLocks, deliver: Deliver, spawn: Spawn) -> None:
        self.delay = delay
        self._locks = locks
        self._deliver = deliver
        self._spawn = spawn
        self._pending: dict[str, _Pending] = {}

    def add(self, message: Message, update: object, language: str = "fr") -> None:
        """Start downloading one album item and (re)start the album's quiet-time countdown."""
        group_id = message.media_group_id
        if group_id is None:
            raise ValueError("not an album item")
        album = self._pending.get(group_id)
        if album is None:
            # Items of a group that arrive after it was delivered form a second batch: its
            # first message id keeps its event id distinct, and stable on redelivery.
            album = _Pending(message.chat_id, f"tg:album:{group_id}:{message.message_id}")
            self._pending[group_id] = album
            self._spawn(self._deliver_when_quiet(group_id), update)
        # Downloads start now, in parallel, so the quiet time overlaps with them.
        album.items[message.message_id] = asyncio.create_task(read_upload(message, language))
        album.last_seen = asyncio.get_running_loop().time()

    async def flush(self, chat_id: int) -> None:
        """Deliver the chat's pending albums now; the caller holds the chat's lock."""
        for group_id, album in list(self._pending.items()):
            if album.chat_id == chat_id:
                await self._deliver_now(group_id)

    async def _deliver_when_quiet(self, group_id: str) -> None:
        loop = asyncio.get_running_loop()
        while (album := self._pending.get(group_id)) is not None:
            remaining = album.last_seen + self.delay - loop.time()
            if remaining <= 0:
                async with self._locks.hold(album.chat_id):
                    await self._deliver_now(group_id)
                return
            await asyncio.sleep(remaining)

    async def _deliver_now(self, group_id: str) -> None:
        album = self._pending.pop(group_id, None)
        if album is None:  # already delivered by a later message's flush
            return
        uploads: list[Upload] = []
        refusals: list[str] = []
        for _, task in sorted(album.items.items()):
            try:
                uploads.append(await task)
            except FileRefused as refused:
                refusals.append(refused.message)
        await self._deliver(album.chat_id, album.event_id, uploads, refusals)
