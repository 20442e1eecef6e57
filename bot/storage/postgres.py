"""PostgreSQL storage (asyncpg): the production store, shared by several workers.

The same ``ClaimRepository`` as ``sqlite.py``: a turn is one transaction. What one process
kept in memory is kept here across processes: a chat's turn holds an advisory lock on the
chat (``chat_turn``), a redelivered update is recognised by the unique ``turns.event_id``,
and the schema is migrated under a lock at start-up.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import asyncpg

from bot.domain.archive import ClaimSummary
from bot.domain.reminders import Reminder
from bot.storage import codec, reminder_rows
from bot.storage.database import Database, PostgresDatabase, numbered, storable
from bot.storage.postgres_migrations import MIGRATIONS
from bot.storage.repository import (
    CHAT_TABLES,
    CLAIM_OUTGOING,
    DROP_OUTGOING,
    HANDLED_ALBUM_DAYS,
    HOLD_ALBUM_ITEM,
    KEEP_INCOMING,
    LAST_INCOMING,
    MARK_INCOMING,
    POST_OUTGOING,
    PRUNE_INCOMING,
    RELEASE_OUTGOING,
    TURN_INCOMING,
    TURN_OUTGOING,
    UNHANDLED_INCOMING,
    UPDATE_OUTGOING,
    AlbumItem,
    ConversationErased,
    Incoming,
    OutboxRow,
    StoredDocument,
    Turn,
    TurnContext,
    album_row,
    claim_params,
    held,
    instant,
    now_instant,
)
from states.replay import reply_dictionary

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    _Connection = PoolConnectionProxy[asyncpg.Record]

_MIGRATION_LOCK = 0x5E_0A_0000
"""Advisory lock key held while the schema is migrated (one worker at a time)."""
_OPEN_TURN = """
SELECT EXISTS (SELECT 1 FROM turns WHERE event_id = $1),
    (SELECT snapshot FROM conversations WHERE chat_id = $2),
    (SELECT json_agg(json_build_array(ready_on, beneficiary) ORDER BY id)
        FROM ready_claims WHERE chat_id = $2)::text,
    (SELECT id FROM conversations WHERE chat_id = $2),
    (SELECT json_agg(json_build_array(claim_no, status, beneficiary, closed_at)
        ORDER BY claim_no) FROM claims WHERE chat_id = $2)::text,
    (SELECT json_agg(json_build_array(id, kind, claim_no, seq, due_at, status, sent_at, answer)
        ORDER BY id) FROM reminders WHERE chat_id = $2)::text
"""


def chat_lock_key(chat_id: str) -> int:
    """A stable 63-bit key for a chat's advisory lock (the same in every worker)."""
    return zlib.crc32(chat_id.encode()) | (len(chat_id) << 32)


class PostgresRepository:
    """``ClaimRepository`` on a PostgreSQL database, through a pool of connections."""

    def __init__(self, pool: asyncpg.Pool, locks: asyncpg.Pool) -> None:
        self._pool = pool
        self._locks = locks
        """Connections that hold chats' locks: apart, so a turn holding one can still query."""
        self.database: Database = PostgresDatabase(pool)
        self._codec: tuple[int, bytes] | None = None
        self._dictionaries: dict[int, bytes] = {}

    async def migrate(self) -> None:
        """Bring the schema to the latest version, one worker at a time."""
        async with self._pool.acquire() as db:
            await db.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
            try:
                await db.execute("CREATE TABLE IF NOT EXISTS schema_migrations"
                                 " (version INTEGER PRIMARY KEY, at TEXT NOT NULL)")
                version = await db.fetchval(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations")
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    async with db.transaction():
                        await db.execute(script)
                        await db.execute("INSERT INTO schema_migrations VALUES ($1, $2)",
                                         number, now_instant())
            finally:
                await db.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)

    async def schema_current(self) -> bool:
        """Tell whether every migration ran (the readiness probe)."""
        version = await self._pool.fetchval(
            "SELECT coalesce(max(version), 0) FROM schema_migrations")
        return bool(version == len(MIGRATIONS))

    async def use_dictionary(self, dictionary: bytes) -> None:
        """Pack replies with ``dictionary`` from now on (saved once, for every later read)."""
        dictionary = dictionary[-codec.MAX_DICTIONARY:]
        name = codec.digest(dictionary)
        await self._pool.execute("INSERT INTO reply_codecs (digest, dictionary) VALUES ($1, $2)"
                                 " ON CONFLICT (digest) DO NOTHING", name, dictionary)
        codec_id = await self._pool.fetchval("SELECT id FROM reply_codecs WHERE digest = $1",
                                             name)
        self._codec = (int(codec_id), dictionary)

    async def dictionaries(self) -> dict[int, bytes]:
        """Return every reply dictionary by id (to read the turns packed with them)."""
        rows = await self._pool.fetch("SELECT id, dictionary FROM reply_codecs WHERE id > $1",
                                      max(self._dictionaries, default=0))
        self._dictionaries.update({int(row[0]): bytes(row[1]) for row in rows})
        return self._dictionaries

    @asynccontextmanager
    async def chat_turn(self, chat_id: str) -> AsyncIterator[None]:
        """Hold the chat's lock across workers while its turn runs (one turn at a time)."""
        async with self._locks.acquire() as db:
            key = chat_lock_key(chat_id)
            await db.execute("SELECT pg_advisory_lock($1)", key)
            try:
                yield
            finally:
                await db.execute("SELECT pg_advisory_unlock($1)", key)

    async def claim_job(self, name: str, now: datetime, every: timedelta) -> bool:
        """Claim the job ``name`` if it is due, making it due again in ``every``: True once.

        Of several workers claiming together, one moves the due time and the others find it
        no longer due (the row's lock orders them).
        """
        due_now, later = instant(now), instant(now + every)
        async with self._pool.acquire() as db, db.transaction():
            await db.execute("INSERT INTO jobs (name, due_at) VALUES ($1, '')"
                             " ON CONFLICT DO NOTHING", name)
            status = await db.execute(
                "UPDATE jobs SET due_at = $1 WHERE name = $2 AND due_at <= $3",
                later, name, due_now)
        return bool(status == "UPDATE 1")

    async def post_outgoing(self, chat_id: str, kind: str, replies: str, due_at: float,
                            now: float) -> None:
        """Add an entry for ``chat_id`` outside a turn."""
        await self._pool.execute(numbered(POST_OUTGOING),
                                 *storable((chat_id, kind, replies, due_at, now)))

    async def claim_outgoing(self, chat_id: str | None, now: float, until: float,
                             event_id: str | None, limit: int) -> list[OutboxRow]:
        """Hold until ``until`` the oldest entry of each chat (or of one) due at ``now``."""
        rows = await self._pool.fetch(numbered(CLAIM_OUTGOING),
                                      *claim_params(chat_id, now, until, event_id, limit))
        return [OutboxRow(*row) for row in rows]

    async def update_outgoing(self, entry: int, chat_id: str, event_id: str | None,
                              sent_parts: int, due_at: float, failures: int) -> None:
        """Record the parts sent and when the entry is due again (a turn's: by its event)."""
        await self._pool.execute(numbered(UPDATE_OUTGOING), sent_parts, due_at, failures,
                                 entry, chat_id, event_id)

    async def drop_outgoing(self, entry: int, chat_id: str, event_id: str | None) -> None:
        """Remove an entry (a turn's: by its event)."""
        await self._pool.execute(numbered(DROP_OUTGOING), entry, chat_id, event_id)

    async def drop_chat_outgoing(self, chat_id: str, event_kind: str) -> None:
        """Remove every entry of the chat (its planned reminders too) and record an event."""
        async with self._pool.acquire() as db, db.transaction():
            await db.execute("DELETE FROM outbox WHERE chat_id = $1", chat_id)
            await db.execute(numbered(reminder_rows.DROP_PLANNED), chat_id)
            await db.execute("INSERT INTO events (chat_id, kind, detail, at)"
                             " VALUES ($1, $2, '', $3)", chat_id, event_kind, now_instant())

    async def keep_incoming(self, updates: Sequence[Incoming], handled: Sequence[int],
                            at: float) -> None:
        """Keep a batch of updates and mark ``handled`` ones (by update id), at once."""
        async with self._pool.acquire() as db, db.transaction():
            await db.executemany(numbered(KEEP_INCOMING), [
                storable((u.update_id, u.event_id, u.chat_id, u.payload, at)) for u in updates])
            await db.executemany(numbered(MARK_INCOMING), [(update_id,) for update_id in handled])
            await db.execute(PRUNE_INCOMING)

    async def unhandled_incoming(self) -> list[str]:
        """Return the payloads of the updates kept and not handled, oldest first."""
        return [str(row[0]) for row in await self._pool.fetch(UNHANDLED_INCOMING)]

    async def last_incoming(self) -> int | None:
        """Return the id of the newest update ever kept (and not forgotten), or None."""
        value = await self._pool.fetchval(LAST_INCOMING)
        return None if value is None else int(value)

    async def release_outgoing(self, now: float) -> None:
        """Make due now the outbox entries a deliverer held (whoever held them died)."""
        await self._pool.execute(numbered(RELEASE_OUTGOING), now, now)

    async def hold_album_item(self, chat_id: str, group_id: str, item: AlbumItem,
                              at: float) -> None:
        """Keep one item (a redelivered one is kept once)."""
        await self._pool.execute(numbered(HOLD_ALBUM_ITEM),
                                 *storable((group_id, chat_id, at, *album_row(item))))

    async def held_album(self, group_id: str,
                         quiet_before: float | None) -> list[AlbumItem] | None:
        """Return the album's items if its newest came before ``quiet_before`` (None: now)."""
        rows = await self._pool.fetch(
            "SELECT message_id, filename, mime, notices, refusal, data, received_at"
            " FROM album_items WHERE group_id = $1 AND NOT handled ORDER BY message_id",
            group_id)
        return held(group_id, [tuple(row) for row in rows], quiet_before)

    async def drop_album_items(self, group_id: str, message_ids: Sequence[int]) -> None:
        """Mark items handled: their data is dropped, a redelivery of them is ignored."""
        async with self._pool.acquire() as db, db.transaction():
            await db.execute("UPDATE album_items SET handled = TRUE, data = NULL"
                             " WHERE group_id = $1 AND message_id = ANY($2)",
                             group_id, list(message_ids))
            await db.execute("DELETE FROM album_items WHERE handled AND received_at < $1",
                             time.time() - HANDLED_ALBUM_DAYS * 86400)

    async def waiting_albums(self, before: float,
                             chat_id: str | None = None) -> list[tuple[str, str]]:
        """Return (album, chat) of albums (of ``chat_id``, or all) held since before ``before``."""
        rows = await self._pool.fetch(
            "SELECT DISTINCT group_id, chat_id FROM album_items WHERE received_at < $1"
            " AND NOT handled AND ($2::text IS NULL OR chat_id = $2)", before, chat_id)
        return [(str(row[0]), str(row[1])) for row in rows]

    async def load(self, chat_id: str) -> str | None:
        """Return the saved snapshot JSON of a chat, or None for a new chat."""
        value = await self._pool.fetchval(
            "SELECT snapshot FROM conversations WHERE chat_id = $1", chat_id)
        return None if value is None else str(value)

    async def seen(self, event_id: str) -> bool:
        """Tell whether an incoming event was already handled (redelivery)."""
        return bool(await self._pool.fetchval(
            "SELECT EXISTS (SELECT 1 FROM turns WHERE event_id = $1)", event_id))

    async def open_turn(self, chat_id: str, event_id: str | None) -> TurnContext:
        """Read redelivery, the saved snapshot and earlier claims in one query."""
        row = await self._pool.fetchrow(_OPEN_TURN, event_id, chat_id)
        assert row is not None  # noqa: S101 (a SELECT of scalar subqueries returns one row)
        seen, snapshot, ready_json, number, claims_json, reminders_json = row
        ready = [(date.fromisoformat(day), name) for day, name in json.loads(ready_json or "[]")]
        claims = tuple(ClaimSummary(no, status, name, date.fromisoformat(closed[:10]))
                       for no, status, name, closed in json.loads(claims_json or "[]"))
        return TurnContext(bool(seen), snapshot, ready, number, claims,
                           reminder_rows.reminders_of_json(reminders_json, chat_id))

    async def due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Return up to ``limit`` planned reminders due at ``now``, the oldest first."""
        rows = await self._pool.fetch(numbered(reminder_rows.DUE), instant(now), limit)
        return [reminder_rows.reminder_of(tuple(row)) for row in rows]

    async def send_reminder(self, reminder: Reminder, now: datetime, replies: str) -> bool:
        """Mark a due reminder sent and post its message, at once: True for one worker only."""
        moment = instant(now)
        async with self._pool.acquire() as db, db.transaction():
            status = await db.execute(numbered(reminder_rows.CLAIM), moment, reminder.id, moment)
            if status != "UPDATE 1":
                return False
            await db.execute(numbered(POST_OUTGOING), *storable(
                (reminder.chat_id, reminder_rows.OUTBOX_KIND, replies, now.timestamp(),
                 now.timestamp())))
            await db.execute(numbered(reminder_rows.EVENT), reminder.chat_id,
                             *reminder_rows.sent_event(reminder), moment)
        return True

    async def postpone_reminder(self, reminder: Reminder, due_at: datetime) -> None:
        """Move a planned reminder to ``due_at`` (the user's night: the next morning)."""
        await self._pool.execute(numbered(reminder_rows.POSTPONE), instant(due_at), reminder.id)

    async def cancel_reminder(self, reminder: Reminder) -> None:
        """Drop a planned reminder its conversation no longer wants."""
        await self._pool.execute(numbered(reminder_rows.CANCEL), reminder.id)

    async def update_snapshot(self, chat_id: str, snapshot_json: str) -> None:
        """Replace a chat's saved snapshot between turns; nothing if the chat is erased."""
        await self._pool.execute("UPDATE conversations SET snapshot = $1 WHERE chat_id = $2",
                                 *storable((snapshot_json, chat_id)))

    async def archived_claim(self, chat_id: str, claim_no: int) -> str | None:
        """Return the snapshot JSON of an archived claim of the chat, if there is one."""
        value = await self._pool.fetchval(
            "SELECT snapshot FROM claims WHERE chat_id = $1 AND claim_no = $2",
            chat_id, claim_no)
        return None if value is None else str(value)

    async def save_turn(self, turn: Turn) -> None:
        """Save state, console columns, the turn's messages, documents and events at once."""
        codec_id, packed = None, turn.replies.encode()
        if self._codec is not None:
            codec_id, packed = self._codec[0], codec.pack(turn.replies, self._codec[1])
        async with self._pool.acquire() as db, db.transaction():
            await _write_turn(db, turn, now_instant(), (codec_id, packed))

    async def documents(self, chat_id: str, claim_no: int) -> list[StoredDocument]:
        """Return the documents of one claim, in arrival order."""
        rows = await self._pool.fetch(
            "SELECT id, chat_id, claim_no, filename, mime, original, pdf, page_count"
            " FROM documents WHERE chat_id = $1 AND claim_no = $2 ORDER BY seq",
            chat_id, claim_no)
        return [StoredDocument(*row) for row in rows]

    async def ready_claims(self, chat_id: str) -> list[tuple[date, str | None]]:
        """Return (date, beneficiary) of the claims this chat made ready (LIM-01)."""
        rows = await self._pool.fetch(
            "SELECT ready_on, beneficiary FROM ready_claims WHERE chat_id = $1 ORDER BY id",
            chat_id)
        return [(date.fromisoformat(row[0]), row[1]) for row in rows]

    async def erase_chat(self, chat_id: str) -> None:
        """Erase everything about a chat in one transaction, recording only that it happened."""
        async with self._pool.acquire() as db, db.transaction():
            await _delete_chats(db, [chat_id])
            await db.execute("INSERT INTO events (chat_id, kind, detail, at)"
                             " VALUES (NULL, 'erasure', '', $1)", now_instant())

    async def purge_inactive(self, before: datetime) -> int:
        """Erase conversations untouched since ``before`` (retention); return how many."""
        cutoff = before.astimezone(UTC).isoformat(timespec="seconds")
        async with self._pool.acquire() as db, db.transaction():
            chats = [row[0] for row in await db.fetch(
                "SELECT chat_id FROM conversations WHERE updated_at < $1 FOR UPDATE", cutoff)]
            await _delete_chats(db, chats)
            await db.execute("INSERT INTO events (chat_id, kind, detail, at)"
                             " VALUES (NULL, 'retention_purge', $1, $2)", str(len(chats)),
                             now_instant())
        return len(chats)

    async def close(self) -> None:
        """Close the pools."""
        await self._locks.close()
        await self._pool.close()


async def _write_turn(
    db: _Connection, turn: Turn, now: str, replies: tuple[int | None, bytes]
) -> None:
    """Write one turn's rows (inside ``save_turn``'s transaction)."""
    columns = turn.columns
    values = storable((turn.state, turn.status, turn.snapshot_json, columns.claim_no,
                       columns.step, columns.beneficiary, columns.country, columns.blocked_rule,
                       now, turn.chat_id))
    if turn.existed:
        # Never write back a conversation erased meanwhile (console, retention).
        status = await db.execute(
            "UPDATE conversations SET state = $1, status = $2, snapshot = $3, claim_no = $4,"
            " step = $5, beneficiary = $6, country = $7, blocked_rule = $8, updated_at = $9"
            " WHERE chat_id = $10", *values)
        if status.endswith(" 0"):
            raise ConversationErased(turn.chat_id)
    else:
        await db.execute(
            "INSERT INTO conversations (state, status, snapshot, claim_no, step, beneficiary,"
            " country, blocked_rule, updated_at, chat_id, created_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)", *values)
    if turn.sender is not None:
        await db.execute("UPDATE conversations SET channel = $1, username = $2"
                         " WHERE chat_id = $3", turn.sender.channel.value, turn.sender.username,
                         turn.chat_id)
    if columns.rules is not None:
        await db.execute("DELETE FROM conversation_rules WHERE chat_id = $1", turn.chat_id)
        await db.executemany(
            "INSERT INTO conversation_rules (rule_id, chat_id) VALUES ($1, $2)"
            " ON CONFLICT DO NOTHING", [(rule, turn.chat_id) for rule in columns.rules])
    await db.executemany(
        "INSERT INTO claims (chat_id, claim_no, status, beneficiary, snapshot, closed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        [storable((turn.chat_id, claim.claim_no, claim.status, claim.beneficiary,
                   claim.snapshot_json, now)) for claim in turn.archived])
    await db.execute("DELETE FROM documents WHERE chat_id = $1 AND id = ANY($2)",
                     turn.chat_id, list(turn.erased_documents))
    await db.executemany(
        "INSERT INTO documents (id, chat_id, claim_no, filename, mime, original, pdf,"
        " page_count, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id,"
        " claim_no = excluded.claim_no, filename = excluded.filename, mime = excluded.mime,"
        " original = excluded.original, pdf = excluded.pdf, page_count = excluded.page_count,"
        " received_at = excluded.received_at",
        [storable((d.id, d.chat_id, d.claim_no, d.filename, d.mime, d.original, d.pdf,
                   d.page_count, now)) for d in turn.documents])
    await db.execute(
        "INSERT INTO turns (chat_id, at, event_id, said, codec, replies)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        *storable((turn.chat_id, turn.at.isoformat(timespec="seconds"), turn.event_id, turn.said)),
        *replies)
    if turn.claim_ready_on:
        await db.execute(
            "INSERT INTO ready_claims (chat_id, ready_on, beneficiary) VALUES ($1, $2, $3)",
            *storable((turn.chat_id, turn.claim_ready_on.isoformat(), turn.beneficiary)))
    await db.executemany("INSERT INTO events (chat_id, kind, detail, at) VALUES ($1, $2, $3, $4)",
                         [(turn.chat_id, kind, detail, now) for kind, detail in turn.events])
    if turn.event_id is not None:
        await db.execute(numbered(TURN_INCOMING), turn.event_id)
    if turn.outbox is not None:
        await db.execute(numbered(TURN_OUTGOING), *storable(
            (turn.chat_id, turn.event_id, turn.outbox, turn.outbox_until, turn.at.timestamp(),
             turn.pack_claim)))
    if turn.reminders is not None:
        await db.execute(numbered(reminder_rows.DROP_PLANNED), turn.chat_id)
        await db.executemany(numbered(reminder_rows.PLAN),
                             reminder_rows.plan_rows(turn.chat_id, turn.reminders))
    if turn.follow_up is not None:
        claim_no, answer = turn.follow_up
        await db.execute(numbered(reminder_rows.ANSWER), answer.value, now, turn.chat_id,
                         claim_no)


async def _delete_chats(db: _Connection, chat_ids: list[str]) -> None:
    """Delete every row of ``chat_ids`` (the search index follows its rows)."""
    for table in CHAT_TABLES:
        await db.execute(f"DELETE FROM {table} WHERE chat_id = ANY($1)", chat_ids)  # noqa: S608


async def open_postgres(url: str, *, max_connections: int = 10) -> PostgresRepository:
    """Connect to ``url`` (``postgresql://…``), migrate, and pack replies as SQLite does."""
    pool = await asyncpg.create_pool(url, min_size=1, max_size=max_connections,
                                     command_timeout=60)
    try:
        locks = await asyncpg.create_pool(url, min_size=0, max_size=4 * max_connections)
    except BaseException:
        await pool.close()
        raise
    repository = PostgresRepository(pool, locks)
    try:
        await repository.migrate()
        await repository.use_dictionary(reply_dictionary())
    except BaseException:
        await repository.close()
        raise
    return repository
