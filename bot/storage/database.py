"""One way to run the console's queries on either store: SQLite (aiosqlite) or PostgreSQL.

The operator console and its sign-in state write SQL once, with ``?`` placeholders and the
SQL both databases share; where they differ (full-text search, JSON, row order), the query
asks its ``Dialect``. The conversation repositories keep their own hot-path SQL.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import aiosqlite

if TYPE_CHECKING:
    import asyncpg
    from asyncpg.pool import PoolConnectionProxy

Row = tuple[object, ...]
_PLACEHOLDER = re.compile(r"\?")


@dataclass(frozen=True)
class Dialect:
    """What differs between the two databases in the console's queries."""

    name: str
    like: str
    """Case-insensitive LIKE (SQLite's LIKE already is, for ASCII)."""
    arrival: str
    """The column that orders a chat's documents as they arrived."""
    language: str
    """The expression of a conversation's language, from its snapshot JSON."""

    def text_match(self, text: str) -> tuple[str, list[str]]:
        """Return the clause keeping turns ``t`` whose typed text matches ``text``, and its values.

        Every word must match, in any order, accents ignored: as the start of a word typed
        (FTS5 prefixes; PostgreSQL: the simple configuration), or in PostgreSQL also as the
        same French word (its French stem). The user's words are parameters of word
        characters only, never query syntax. No word at all matches nothing.
        """
        words = re.findall(r"\w+", text)
        if not words:
            return "? = 'never'", [""]
        if self.name == "sqlite":
            return ("t.id IN (SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?)",
                    [" ".join(f'"{word}"*' for word in words)])
        return ("t.said <> '' AND (to_tsvector('simple_unaccent', t.said)"
                " @@ to_tsquery('simple_unaccent', ?) OR to_tsvector('french_unaccent', t.said)"
                " @@ plainto_tsquery('french_unaccent', ?))",
                [" & ".join(f"'{word}':*" for word in words), " ".join(words)])


SQLITE = Dialect("sqlite", "LIKE", "rowid", "json_extract(snapshot, '$.language')")
POSTGRES = Dialect("postgres", "ILIKE", "seq", "snapshot::jsonb ->> 'language'")


class Database(Protocol):
    """Run a statement, read rows, or do several statements in one transaction."""

    dialect: Dialect

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Return every row of a query."""
        ...

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one statement (committed); return the rows it changed."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Database]:
        """Run the block's statements in one transaction that serialises writers."""
        ...


class SqliteDatabase:
    """``Database`` on an aiosqlite connection."""

    dialect = SQLITE

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection
        self._writing = asyncio.Lock()  # one transaction at a time on this connection

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Return every row of a query."""
        return [tuple(row) for row in await self._db.execute_fetchall(sql, params)]

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one statement, committed unless a ``transaction`` is open; return rows changed."""
        cursor = await self._db.execute(sql, params)
        if self._db.in_transaction and not self._writing.locked():
            await self._db.commit()  # the implicit transaction of Python's sqlite3
        return cursor.rowcount

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """BEGIN IMMEDIATE: another process's read-modify-write waits for ours."""
        async with self._writing:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self
                await self._db.execute("COMMIT")
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise

    async def close(self) -> None:
        """Close the connection."""
        await self._db.close()


def numbered(sql: str) -> str:
    """Turn ``?`` placeholders into PostgreSQL's ``$1, $2…`` (no ``?`` appears otherwise)."""
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def storable(params: Sequence[object]) -> list[object]:
    """PostgreSQL text holds no NUL character: one in a value becomes U+FFFD (never a match)."""
    return [value.replace("\x00", "\ufffd") if isinstance(value, str) else value
            for value in params]


def _changed(status: str) -> int:
    """Read the row count from a command tag such as ``DELETE 3``."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresDatabase:
    """``Database`` on an asyncpg pool, or on one connection inside a transaction."""

    dialect = POSTGRES
    _WRITERS_LOCK = 0x5E_0A_0001
    """Advisory lock key taken by ``transaction``: sign-in counters are updated one at a time."""

    def __init__(self, pool: asyncpg.Pool,
                 connection: PoolConnectionProxy[asyncpg.Record] | None = None) -> None:
        self._pool = pool
        self._runner: asyncpg.Pool | PoolConnectionProxy[asyncpg.Record] = connection or pool

    async def fetch(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Return every row of a query."""
        return [tuple(row) for row in await self._runner.fetch(numbered(sql), *storable(params))]

    async def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run one statement (its own transaction, or the open one); return the rows changed."""
        return _changed(await self._runner.execute(numbered(sql), *storable(params)))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """One connection, one transaction, writers serialised by a transaction lock."""
        async with self._pool.acquire() as connection, connection.transaction():
            await connection.execute("SELECT pg_advisory_xact_lock($1)", self._WRITERS_LOCK)
            yield PostgresDatabase(self._pool, connection)
