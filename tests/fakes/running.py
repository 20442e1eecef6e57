"""Run a built application as production does: ``post_init``, start, then stop, ``post_stop``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application


@asynccontextmanager
async def started(app: Application) -> AsyncIterator[Application]:
    """Initialise and start ``app`` (its outbox round included) for the block, then stop it."""
    async with app:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        try:
            yield app
        finally:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
