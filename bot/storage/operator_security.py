"""The console's sign-in state in the bot's store: sessions and sign-in limits.

Kept in the database (migration 5 in ``migrations.py``, 1 in ``postgres_migrations.py``) so
that signing out, expiry and the limits hold across restarts and across workers. The
session cookie carries a random token; only its SHA-256 is stored.

Usage:
    security = await open_security_store(path)      # after the schema is migrated
    wait = await security.begin_attempt(login, address, now, SigninPolicy())
    token = await security.create_session(login, stamp, now)
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.storage.database import Database, PostgresDatabase, SqliteDatabase
from bot.storage.stores import is_postgres

_TOUCH_EVERY = 60.0  # seconds: a session's last use is written at most this often


@dataclass(frozen=True)
class SigninPolicy:
    """How sign-in attempts are slowed (seconds). Every attempt counts until one succeeds."""

    free_per_pair: int = 3  # attempts of one login from one address before any delay
    free_per_address: int = 10  # attempts from one address, all logins together
    first_delay: float = 1.0  # then the delay doubles with each attempt…
    max_delay: float = 900.0  # …up to this
    global_budget: int = 30  # attempts per window, all together, from pairs never seen
    global_window: float = 60.0
    forget_after: float = 3600.0  # a key untouched this long starts afresh
    known_for: float = 30 * 86400.0  # a pair that signed in stays exempt of the budget


def _delay(attempts: int, free: int, policy: SigninPolicy) -> float:
    if attempts < free:
        return 0.0
    return min(policy.max_delay, policy.first_delay * 2.0 ** min(attempts - free, 30))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SecurityStore:
    """Sessions and sign-in limits, on a connection of their own (explicit transactions)."""

    def __init__(self, database: Database, closing: Callable[[], Awaitable[None]]) -> None:
        self._db = database
        self._close = closing

    def _transaction(self) -> AbstractAsyncContextManager[Database]:
        # Another worker's read-modify-write of the same counters waits for ours.
        return self._db.transaction()

    async def begin_attempt(self, login: str, address: str, now: float,
                            policy: SigninPolicy) -> float:
        """Return 0 and count the attempt if it may go ahead, else the seconds to wait.

        Counting before the password is checked means a burst of parallel tries cannot
        slip past the delay. The global budget never refuses a pair that signed in before.
        """
        keys = (f"pair:{login}|{address}", f"address:{address}", "global")
        async with self._transaction() as db:
            await db.execute("DELETE FROM operator_signin_limits WHERE updated_at < ?",
                             (now - policy.forget_after,))
            rows = await db.fetch(
                "SELECT key, attempts, next_allowed FROM operator_signin_limits"
                " WHERE key IN (?, ?, ?)", keys)
            found = {str(key): (int(str(attempts)), float(str(until)))
                     for key, attempts, until in rows}
            pair, per_address, budget = (found.get(key, (0, 0.0)) for key in keys)
            waits = [until - now for _, until in (pair, per_address) if until > now]
            if budget[1] > now and budget[0] >= policy.global_budget:
                known = await db.fetch(
                    "SELECT 1 FROM operator_known_pairs WHERE login = ? AND address = ?"
                    " AND last_success >= ?", (login, address, now - policy.known_for))
                if not list(known):
                    waits.append(budget[1] - now)
            if waits:
                return max(waits)
            window = budget if budget[1] > now else (0, now + policy.global_window)
            counts = [(keys[0], pair[0] + 1, policy.free_per_pair),
                      (keys[1], per_address[0] + 1, policy.free_per_address)]
            values = [(key, n, now + _delay(n, free, policy), now) for key, n, free in counts]
            values.append((keys[2], window[0] + 1, window[1], now))
            for value in values:
                await db.execute(
                    "INSERT INTO operator_signin_limits (key, attempts, next_allowed,"
                    " updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                    " attempts = excluded.attempts, next_allowed = excluded.next_allowed,"
                    " updated_at = excluded.updated_at", value)
        return 0.0

    async def succeeded(self, login: str, address: str, now: float) -> None:
        """Clear the pair's attempts and remember the pair (exempt from the global budget)."""
        async with self._transaction() as db:
            await db.execute("DELETE FROM operator_signin_limits WHERE key = ?",
                             (f"pair:{login}|{address}",))
            await db.execute(
                "UPDATE operator_signin_limits"
                " SET attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END"
                " WHERE key = ?", (f"address:{address}",))
            await db.execute(
                "INSERT INTO operator_known_pairs (login, address, last_success)"
                " VALUES (?, ?, ?) ON CONFLICT (login, address)"
                " DO UPDATE SET last_success = excluded.last_success", (login, address, now))

    async def create_session(self, login: str, stamp: str, now: float) -> str:
        """Open a session for ``login`` (whose account has fingerprint ``stamp``)."""
        token = secrets.token_urlsafe(32)
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO operator_sessions (token_hash, login, account_stamp, created_at,"
                " last_seen) VALUES (?, ?, ?, ?, ?)", (_digest(token), login, stamp, now, now))
        return token

    async def session(self, token: str, now: float, *, idle: float,
                      lifetime: float) -> tuple[str, str] | None:
        """Return (login, account stamp) of a live session; an expired one is deleted."""
        digest = _digest(token)
        rows = await self._db.fetch(
            "SELECT login, account_stamp, created_at, last_seen FROM operator_sessions"
            " WHERE token_hash = ?", (digest,))
        if not rows:
            return None
        login, stamp, created, seen = rows[0]
        seen_at, created_at = float(str(seen)), float(str(created))
        if now - seen_at > idle or now - created_at > lifetime:
            await self.revoke(token)
            return None
        if now - seen_at > _TOUCH_EVERY:
            async with self._transaction() as db:
                await db.execute("UPDATE operator_sessions SET last_seen = ?"
                                 " WHERE token_hash = ?", (now, digest))
        return str(login), str(stamp)

    async def revoke(self, token: str) -> None:
        """End one session (signing out)."""
        async with self._transaction() as db:
            await db.execute("DELETE FROM operator_sessions WHERE token_hash = ?",
                             (_digest(token),))

    async def revoke_login(self, login: str, *, keep_stamp: str | None = None) -> int:
        """End the sessions of ``login`` opened under another account fingerprint (or all)."""
        async with self._transaction() as db:
            return await db.execute(
                "DELETE FROM operator_sessions WHERE login = ?"
                " AND account_stamp IS DISTINCT FROM ?", (login, keep_stamp))

    async def purge_sessions(self, now: float, *, idle: float) -> None:
        """Delete sessions idle longer than ``idle`` seconds."""
        async with self._transaction() as db:
            await db.execute("DELETE FROM operator_sessions WHERE last_seen < ?",
                             (now - idle,))

    async def close(self) -> None:
        """Close the connection."""
        await self._close()


async def open_security_store(target: str | Path) -> SecurityStore:
    """Open the sign-in state of the store at ``target`` (migrated by ``open_store``)."""
    if is_postgres(target):
        import asyncpg

        pool = await asyncpg.create_pool(str(target), min_size=1, max_size=2)
        return SecurityStore(PostgresDatabase(pool), pool.close)
    connection = await aiosqlite.connect(Path(target), isolation_level=None)
    await connection.execute("PRAGMA busy_timeout = 5000")  # other workers' short writes
    await connection.execute("PRAGMA secure_delete = ON")
    return SecurityStore(SqliteDatabase(connection), connection.close)
