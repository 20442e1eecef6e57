"""Keep each chat's turns in order, and gather the photos of an album into one turn.

Telegram sends an album as one update per item, sharing a ``media_group_id`` and with no
marker on the last one; so the items are held in the store until the album has been quiet
for ``delay`` seconds, then delivered together, whichever worker received them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

from telegram import Message

from bot.adapters.telegram_files import FileRefused, read_upload
from bot.domain.io import Upload
from bot.storage.repository import AlbumItem, AlbumStore

Deliver = Callable[[int, str, list[Upload], list[str]], Awaitable[None]]
"""``deliver(chat_id, event_id, uploads, refusals)``, called with the chat's lock held."""
SWEEP_GRACE_SECONDS = 5.0
"""How long past its quiet time an album may wait for its own worker before any takes it."""
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


class AlbumCollector:
    """Hold album items in the store and deliver each album once, after its quiet time.

    Items are held in the store before their update is answered, so whichever worker
    received them, and whichever dies, the album is complete and delivered once: by the
    worker that received its last item, by the chat's next message (``flush``), or by any
    worker's ``sweep`` when its worker died.
    """

    def __init__(self, delay: float, locks: ChatLocks, deliver: Deliver, spawn: Spawn,
                 store: Callable[[], AlbumStore], clock: Callable[[], float] = time.time) -> None:
        self.delay = delay
        self._locks = locks
        self._deliver = deliver
        self._spawn = spawn
        self._store = store
        self._clock = clock

    async def add(self, message: Message, update: object, language: str = "fr") -> None:
        """Download one album item and hold it; deliver its album once it is quiet."""
        group_id = message.media_group_id
        if group_id is None:
            raise ValueError("not an album item")
        chat_id, store, arrived = str(message.chat_id), self._store(), self._clock()
        # Held at once (downloading): the album is not complete while an item downloads.
        await store.hold_album_item(chat_id, group_id, AlbumItem(message.message_id, None),
                                    arrived)
        try:
            item = AlbumItem(message.message_id, await read_upload(message, language))
        except FileRefused as refused:
            item = AlbumItem(message.message_id, None, refused.message)
        await store.hold_album_item(chat_id, group_id, item, arrived)
        self._spawn(self._deliver_when_quiet(group_id, message.chat_id), update)

    async def flush(self, chat_id: int) -> None:
        """Deliver the chat's held albums now; the caller holds the chat's lock."""
        for group_id, _ in await self._store().waiting_albums(float("inf"), str(chat_id)):
            await self._deliver_now(group_id, chat_id, quiet_before=None)

    async def sweep(self) -> None:
        """Deliver albums whose worker died before their quiet time ended."""
        late = self._clock() - self.delay - SWEEP_GRACE_SECONDS
        for group_id, chat in await self._store().waiting_albums(late):
            async with self._locks.hold(int(chat)):
                await self._deliver_now(group_id, int(chat), quiet_before=late)

    async def _deliver_when_quiet(self, group_id: str, chat_id: int) -> None:
        await asyncio.sleep(self.delay)
        async with self._locks.hold(chat_id):
            # An item held later (here or by another worker) delivers the album itself.
            await self._deliver_now(group_id, chat_id, quiet_before=self._clock() - self.delay)

    async def _deliver_now(self, group_id: str, chat_id: int,
                           quiet_before: float | None) -> None:
        store = self._store()
        items = await store.held_album(group_id, quiet_before)
        if not items:  # not quiet yet, or already delivered
            return
        uploads = [item.upload for item in items if item.upload is not None]
        refusals = [item.refusal for item in items if item.upload is None]
        # Items of a group that arrive after it was delivered form a second batch: its
        # first message id keeps its event id distinct, and stable on redelivery.
        await self._deliver(chat_id, f"tg:album:{group_id}:{items[0].message_id}", uploads,
                            refusals)
        await store.drop_album_items(group_id, [item.message_id for item in items])
