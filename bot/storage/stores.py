"""Open the store a setting names: a PostgreSQL URL, or the path of an SQLite file."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from bot.storage.repository import ClaimRepository

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(target: str | Path) -> bool:
    """Tell whether ``target`` is a PostgreSQL URL (``DATABASE_URL``)."""
    return isinstance(target, str) and target.startswith(_POSTGRES_SCHEMES)


async def open_store(target: str | Path) -> ClaimRepository:
    """Open (and migrate) the store at ``target``; asyncpg is imported only when used."""
    if is_postgres(target):
        from bot.storage.postgres import open_postgres

        return await open_postgres(str(target))
    from bot.storage.sqlite import open_repository

    return await open_repository(target)



def unreachable(error: Exception) -> bool:
    """Tell whether ``error`` says the store can't be opened (not a bug of ours)."""
    if isinstance(error, OSError | sqlite3.Error):
        return True
    asyncpg = sys.modules.get("asyncpg")
    refusals = (asyncpg.PostgresError, asyncpg.InterfaceError) if asyncpg else ()
    return isinstance(error, refusals)
