"""Long polling through a durable inbox: no fetched update is lost with the process.

PTB's ``Updater`` asks for the next batch (confirming the last one to Telegram) before the
handlers ran, so a crash loses what it had fetched. Here each batch is kept in the store
(``InboxStore``) before the next ``getUpdates`` confirms it; a turn marks its update handled
in its own transaction (``TURN_INCOMING``); updates that made no turn (an album item held,
a refusal, a group's update) are marked with the next batch, in the same write. At start-up
the updates kept and not handled are handled again, in order, once: the turns they had
already saved are recognised by their event id, and their replies come from the outbox,
whose entries a dead process held are due again at once (one process polls a bot).

Usage:
    polling = InboxPolling(application, store, allowed_updates=ALLOWED_UPDATES)
    await polling.recover()  # before the application starts delivering
    await polling.run(stop)  # until ``stop`` is set; then ``await polling.settle()``
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence

from telegram import Update
from telegram.error import TelegramError

from bot.adapters.telegram import BotApplication, event_id
from bot.storage.repository import InboxStore, Incoming

_LOGGER = logging.getLogger(__name__)

POLL_TIMEOUT_SECONDS = 10
"""How long one ``getUpdates`` waits for an update (Telegram's long poll)."""
_RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)
"""Waits after failed calls in a row (the API or the network is down)."""


def incoming(update: Update) -> Incoming:
    """Name an update for the inbox: its id, its turn's event id, its chat and itself."""
    chat = update.effective_chat
    return Incoming(update.update_id, event_id(update), None if chat is None else str(chat.id),
                    json.dumps(update.to_dict(), ensure_ascii=False))


class InboxPolling:
    """Fetch updates, keep them, hand them to ``application``, record them handled."""

    def __init__(self, application: BotApplication, store: InboxStore, *,
                 allowed_updates: Sequence[str], timeout: int = POLL_TIMEOUT_SECONDS) -> None:
        self._app = application
        self._store = store
        self._allowed = list(allowed_updates)
        self._timeout = timeout
        self._handled: set[int] = set()

    async def recover(self) -> None:
        """Make due the replies a crash cut short (before the outbox's first round)."""
        await self._store.release_outgoing(time.time())

    async def run(self, stop: asyncio.Event) -> None:
        """Replay what a crash left, then poll until ``stop`` is set (the application runs)."""
        last = await self._store.last_incoming()
        offset = None if last is None else last + 1
        left = await self._store.unhandled_incoming()
        if left:
            _LOGGER.info("handling %d updates kept before a stop", len(left))
        for payload in left:
            self._dispatch(Update.de_json(json.loads(payload), self._app.bot))
        failures = 0
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                fetching = asyncio.ensure_future(self._app.bot.get_updates(
                    offset=offset, timeout=self._timeout, allowed_updates=self._allowed))
                await asyncio.wait((fetching, stopping), return_when=asyncio.FIRST_COMPLETED)
                if not fetching.done():  # stopping: what it would fetch stays unconfirmed
                    fetching.cancel()
                    break
                try:
                    updates = fetching.result()
                except TelegramError as error:  # a 429 too: waiting out its delay is enough
                    delay = _RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)]
                    failures += 1
                    _LOGGER.warning("getUpdates failed (%s), again in %s s",
                                    type(error).__name__, delay)
                    await asyncio.sleep(delay)
                    continue
                failures = 0
                await self._keep(updates)  # before the next call confirms them
                for update in updates:
                    self._dispatch(update)
                if updates:
                    offset = updates[-1].update_id + 1
        finally:
            stopping.cancel()

    async def settle(self) -> None:
        """Record the updates handled since the last batch (once the application stopped)."""
        await self._keep(())

    async def _keep(self, updates: Sequence[Update]) -> None:
        handled = sorted(self._handled)
        if not updates and not handled:
            return
        await self._store.keep_incoming([incoming(update) for update in updates], handled,
                                        time.time())
        self._handled.difference_update(handled)

    def _dispatch(self, update: Update) -> None:
        # Through the application, so stop() waits for it; each chat keeps its order there.
        self._app.create_task(self._handle(update), update=update)

    async def _handle(self, update: Update) -> None:
        await self._app.process_update(update)  # its errors go to the error handler
        self._handled.add(update.update_id)
