"""SQLite storage (aiosqlite): one file, WAL, schema versioned by ``PRAGMA user_version``.

Every write is one function run on the connection's own thread (``_write``): its statements
and its commit happen together, so nothing else on the connection can land between them and
a turn costs one hop to that thread, not one per statement. WAL checkpoints run on a second
connection in the background, never inside a user's turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import aiosqlite

from bot.domain.archive import ClaimSummary
from bot.domain.reminders import Reminder
from bot.storage import codec, reminder_rows
from bot.storage.database import Database, SqliteDatabase
from bot.storage.migrations import MIGRATIONS
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

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")
CHECKPOINT_SECONDS = 2.0
"""How often written pages are moved from the WAL into the database file."""

class SqliteRepository:
    """``ClaimRepository`` on one SQLite file."""

    def __init__(self, connection: aiosqlite.Connection,
                 checkpointer: aiosqlite.Connection | None = None) -> None:
        self._db = connection
        self.database: Database = SqliteDatabase(connection)
        self._checkpointer = checkpointer
        self._codec: tuple[int, bytes] | None = None
        self._dictionaries: dict[int, bytes] = {}
        self._dirty = asyncio.Event()
        self._checkpoints: asyncio.Task[None] | None = None

    @property
    def connection(self) -> aiosqlite.Connection:
        """Return the connection (for read-only views such as the operator console)."""
        return self._db

    async def _write(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work``'s statements and commit on the connection's thread, in one hop."""
        db = self._db

        def transaction() -> _T:
            connection = db._conn  # the sqlite3 connection, only ever used on this thread
            try:
                result = work(connection)
                connection.commit()
            except BaseException:
                connection.rollback()
                raise
            return result

        # aiosqlite has no public way to run a function on its thread; its own methods use
        # ``_execute``, pinned by the version range in pyproject.toml.
        result: _T = await db._execute(transaction)  # type: ignore[no-untyped-call]  # untyped upstream
        self._dirty.set()
        return result

    @contextlib.asynccontextmanager
    async def chat_turn(self, chat_id: str) -> AsyncIterator[None]:
        """Nothing to hold: one process owns an SQLite file, and the service orders its turns."""
        yield

    async def schema_current(self) -> bool:
        """Tell whether every migration ran (the readiness probe)."""
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return bool(row and row[0] == len(MIGRATIONS))

    async def migrate(self) -> None:
        """Bring the schema to the latest version."""
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = row[0] if row else 0
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self._db.executescript(
                f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;"
            )

    async def use_dictionary(self, dictionary: bytes) -> None:
        """Pack replies with ``dictionary`` from now on (saved once, for every later read)."""
        dictionary = dictionary[-codec.MAX_DICTIONARY:]
        name = codec.digest(dictionary)

        def register(db: sqlite3.Connection) -> int:
            db.execute("INSERT OR IGNORE INTO reply_codecs (digest, dictionary) VALUES (?, ?)",
                       (name, dictionary))
            row = db.execute("SELECT id FROM reply_codecs WHERE digest = ?", (name,)).fetchone()
            return int(row[0])

        self._codec = (await self._write(register), dictionary)

    async def dictionaries(self) -> dict[int, bytes]:
        """Return every reply dictionary by id (to read the turns packed with them)."""
        missing = await self._db.execute_fetchall(
            "SELECT id, dictionary FROM reply_codecs WHERE id > ?",
            (max(self._dictionaries, default=0),))
        self._dictionaries.update({int(row[0]): bytes(row[1]) for row in missing})
        return self._dictionaries

    def start_checkpoints(self) -> None:
        """Checkpoint the WAL in the background after writes (on the second connection)."""
        if self._checkpointer is not None and self._checkpoints is None:
            self._checkpoints = asyncio.get_running_loop().create_task(self._checkpoint_loop())

    async def _checkpoint_loop(self) -> None:
        assert self._checkpointer is not None  # noqa: S101 (start_checkpoints checks it)
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            try:
                await self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as error:  # a busy or full disk: the next round tries again
                _LOGGER.warning("WAL checkpoint failed: %s", type(error).__name__)
            await asyncio.sleep(CHECKPOINT_SECONDS)

    async def claim_job(self, name: str, now: datetime, every: timedelta) -> bool:
        """Claim the job ``name`` if it is due, making it due again in ``every``: True once.

        Of several workers claiming together, one moves the due time and the others find it
        no longer due (the row's lock orders them).
        """
        due_now, later = instant(now), instant(now + every)

        def claim(db: sqlite3.Connection) -> bool:
            db.execute("INSERT OR IGNORE INTO jobs (name, due_at) VALUES (?, '')", (name,))
            return db.execute("UPDATE jobs SET due_at = ? WHERE name = ? AND due_at <= ?",
                              (later, name, due_now)).rowcount == 1

        return await self._write(claim)

    async def post_outgoing(self, chat_id: str, kind: str, replies: str, due_at: float,
                            now: float) -> None:
        """Add an entry for ``chat_id`` outside a turn."""
        await self._write(lambda db: db.execute(POST_OUTGOING,
                                                (chat_id, kind, replies, due_at, now)))

    async def claim_outgoing(self, chat_id: str | None, now: float, until: float,
                             event_id: str | None, limit: int) -> list[OutboxRow]:
        """Hold until ``until`` the oldest entry of each chat (or of one) due at ``now``."""
        params = claim_params(chat_id, now, until, event_id, limit)
        def claim(db: sqlite3.Connection) -> list[OutboxRow]:
            cursor = db.execute(CLAIM_OUTGOING, params)
            try:  # a RETURNING statement is done only once reset, before the commit
                return [OutboxRow(*row) for row in cursor.fetchall()]
            finally:
                cursor.close()

        return await self._write(claim)

    async def update_outgoing(self, entry: int, chat_id: str, event_id: str | None,
                              sent_parts: int, due_at: float, failures: int) -> None:
        """Record the parts sent and when the entry is due again (a turn's: by its event)."""
        await self._write(lambda db: db.execute(
            UPDATE_OUTGOING, (sent_parts, due_at, failures, entry, chat_id, event_id)))

    async def drop_outgoing(self, entry: int, chat_id: str, event_id: str | None) -> None:
        """Remove an entry (a turn's: by its event)."""
        await self._write(lambda db: db.execute(DROP_OUTGOING, (entry, chat_id, event_id)))

    async def drop_chat_outgoing(self, chat_id: str, event_kind: str) -> None:
        """Remove every entry of the chat (its planned reminders too) and record an event."""
        def drop(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM outbox WHERE chat_id = ?", (chat_id,))
            db.execute(reminder_rows.DROP_PLANNED, (chat_id,))
            db.execute("INSERT INTO events (chat_id, kind, detail, at) VALUES (?, ?, '', ?)",
                       (chat_id, event_kind, now_instant()))

        await self._write(drop)

    async def keep_incoming(self, updates: Sequence[Incoming], handled: Sequence[int],
                            at: float) -> None:
        """Keep a batch of updates and mark ``handled`` ones (by update id), at once."""
        def keep(db: sqlite3.Connection) -> None:
            db.executemany(KEEP_INCOMING, [(u.update_id, u.event_id, u.chat_id, u.payload, at)
                                           for u in updates])
            db.executemany(MARK_INCOMING, [(update_id,) for update_id in handled])
            db.execute(PRUNE_INCOMING)

        await self._write(keep)

    async def unhandled_incoming(self) -> list[str]:
        """Return the payloads of the updates kept and not handled, oldest first."""
        return [str(row[0]) for row in await self._db.execute_fetchall(UNHANDLED_INCOMING)]

    async def last_incoming(self) -> int | None:
        """Return the id of the newest update ever kept (and not forgotten), or None."""
        rows = list(await self._db.execute_fetchall(LAST_INCOMING))
        return None if not rows or rows[0][0] is None else int(rows[0][0])

    async def release_outgoing(self, now: float) -> None:
        """Make due now the outbox entries a deliverer held (whoever held them died)."""
        await self._write(lambda db: db.execute(RELEASE_OUTGOING, (now, now)))

    async def hold_album_item(self, chat_id: str, group_id: str, item: AlbumItem,
                              at: float) -> None:
        """Keep one item (a redelivered one is kept once)."""
        row = (group_id, chat_id, at, *album_row(item))
        await self._write(lambda db: db.execute(HOLD_ALBUM_ITEM, row))

    async def held_album(self, group_id: str,
                         quiet_before: float | None) -> list[AlbumItem] | None:
        """Return the album's items if its newest came before ``quiet_before`` (None: now)."""
        rows = await self._db.execute_fetchall(
            "SELECT message_id, filename, mime, notices, refusal, data, received_at"
            " FROM album_items WHERE group_id = ? AND NOT handled ORDER BY message_id",
            (group_id,))
        return held(group_id, [tuple(row) for row in rows], quiet_before)

    async def drop_album_items(self, group_id: str, message_ids: Sequence[int]) -> None:
        """Mark items handled: their data is dropped, a redelivery of them is ignored."""
        forget_before = time.time() - HANDLED_ALBUM_DAYS * 86400

        def drop(db: sqlite3.Connection) -> None:
            db.executemany("UPDATE album_items SET handled = TRUE, data = NULL"
                           " WHERE group_id = ? AND message_id = ?",
                           [(group_id, message_id) for message_id in message_ids])
            db.execute("DELETE FROM album_items WHERE handled AND received_at < ?",
                       (forget_before,))

        await self._write(drop)

    async def waiting_albums(self, before: float,
                             chat_id: str | None = None) -> list[tuple[str, str]]:
        """Return (album, chat) of albums (of ``chat_id``, or all) held since before ``before``."""
        rows = await self._db.execute_fetchall(
            "SELECT DISTINCT group_id, chat_id FROM album_items WHERE received_at < ?"
            " AND NOT handled AND (? IS NULL OR chat_id = ?)", (before, chat_id, chat_id))
        return [(str(row[0]), str(row[1])) for row in rows]

    async def load(self, chat_id: str) -> str | None:
        """Return the saved snapshot JSON of a chat, or None for a new chat."""
        rows = await self._db.execute_fetchall(
            "SELECT snapshot FROM conversations WHERE chat_id = ?", (chat_id,))
        return next((str(row[0]) for row in rows), None)

    async def seen(self, event_id: str) -> bool:
        """Tell whether an incoming event was already handled (redelivery)."""
        rows = await self._db.execute_fetchall(
            "SELECT 1 FROM turns WHERE event_id = ?", (event_id,))
        return bool(list(rows))

    async def open_turn(self, chat_id: str, event_id: str | None) -> TurnContext:
        """Read what a turn needs in one query: redelivery, snapshot, earlier claims."""
        # One round trip to the database thread instead of three: turns are the hot path.
        rows = await self._db.execute_fetchall(
            "SELECT (SELECT 1 FROM turns WHERE event_id = ?),"
            " (SELECT snapshot FROM conversations WHERE chat_id = ?),"
            " (SELECT json_group_array(json_array(ready_on, beneficiary))"
            "  FROM (SELECT ready_on, beneficiary FROM ready_claims WHERE chat_id = ?"
            "  ORDER BY id)),"
            " (SELECT id FROM conversations WHERE chat_id = ?),"
            " (SELECT json_group_array(json_array(claim_no, status, beneficiary, closed_at))"
            "  FROM (SELECT claim_no, status, beneficiary, closed_at FROM claims"
            "  WHERE chat_id = ? ORDER BY claim_no)),"
            " (SELECT json_group_array(json_array(id, kind, claim_no, seq, due_at, status,"
            "  sent_at, answer)) FROM (SELECT * FROM reminders WHERE chat_id = ? ORDER BY id))",
            (event_id, chat_id, chat_id, chat_id, chat_id, chat_id),
        )
        seen, snapshot, ready_json, number, claims_json, reminders_json = next(iter(rows))
        ready = [(date.fromisoformat(day), name) for day, name in json.loads(ready_json or "[]")]
        claims = tuple(ClaimSummary(no, status, name, date.fromisoformat(closed[:10]))
                       for no, status, name, closed in json.loads(claims_json or "[]"))
        return TurnContext(bool(seen), snapshot, ready, number, claims,
                           reminder_rows.reminders_of_json(reminders_json, chat_id))

    async def due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Return up to ``limit`` planned reminders due at ``now``, the oldest first."""
        rows = await self._db.execute_fetchall(reminder_rows.DUE, (instant(now), limit))
        return [reminder_rows.reminder_of(tuple(row)) for row in rows]

    async def send_reminder(self, reminder: Reminder, now: datetime, replies: str) -> bool:
        """Mark a due reminder sent and post its message, at once: True for one worker only."""
        def send(db: sqlite3.Connection) -> bool:
            moment = instant(now)
            if db.execute(reminder_rows.CLAIM, (moment, reminder.id, moment)).rowcount != 1:
                return False
            db.execute(POST_OUTGOING, (reminder.chat_id, reminder_rows.OUTBOX_KIND, replies,
                                       now.timestamp(), now.timestamp()))
            db.execute(reminder_rows.EVENT, (reminder.chat_id, *reminder_rows.sent_event(reminder),
                                             moment))
            return True

        return await self._write(send)

    async def postpone_reminder(self, reminder: Reminder, due_at: datetime) -> None:
        """Move a planned reminder to ``due_at`` (the user's night: the next morning)."""
        await self._write(lambda db: db.execute(reminder_rows.POSTPONE,
                                                (instant(due_at), reminder.id)))

    async def cancel_reminder(self, reminder: Reminder) -> None:
        """Drop a planned reminder its conversation no longer wants."""
        await self._write(lambda db: db.execute(reminder_rows.CANCEL, (reminder.id,)))

    async def update_snapshot(self, chat_id: str, snapshot_json: str) -> None:
        """Replace a chat's saved snapshot between turns; nothing if the chat is erased."""
        await self._write(lambda db: db.execute(
            "UPDATE conversations SET snapshot = ? WHERE chat_id = ?", (snapshot_json, chat_id)))

    async def archived_claim(self, chat_id: str, claim_no: int) -> str | None:
        """Return the snapshot JSON of an archived claim of the chat, if there is one."""
        rows = await self._db.execute_fetchall(
            "SELECT snapshot FROM claims WHERE chat_id = ? AND claim_no = ?", (chat_id, claim_no))
        return next((str(row[0]) for row in rows), None)

    async def save_turn(self, turn: Turn) -> None:
        """Save state, console columns, the turn's messages, documents and events at once."""
        codec_id, packed = None, turn.replies.encode()
        if self._codec is not None:
            codec_id, packed = self._codec[0], codec.pack(turn.replies, self._codec[1])
        await self._write(lambda db: _write_turn(db, turn, now_instant(), (codec_id, packed)))

    async def documents(self, chat_id: str, claim_no: int) -> list[StoredDocument]:
        """Return the documents of one claim, in arrival order."""
        async with self._db.execute(
            "SELECT id, chat_id, claim_no, filename, mime, original, pdf, page_count"
            " FROM documents WHERE chat_id = ? AND claim_no = ? ORDER BY rowid",
            (chat_id, claim_no),
        ) as cursor:
            rows = await cursor.fetchall()
        return [StoredDocument(*row) for row in rows]

    async def ready_claims(self, chat_id: str) -> list[tuple[date, str | None]]:
        """Return (date, beneficiary) of the claims this chat made ready (LIM-01)."""
        rows = await self._db.execute_fetchall(
            "SELECT ready_on, beneficiary FROM ready_claims WHERE chat_id = ? ORDER BY id",
            (chat_id,),
        )
        return [(date.fromisoformat(row[0]), row[1]) for row in rows]

    async def erase_chat(self, chat_id: str) -> None:
        """Erase everything about a chat, recording the erasure without its content."""
        def erase(db: sqlite3.Connection) -> None:
            _delete_chats(db, [chat_id])
            db.execute("INSERT INTO events (chat_id, kind, detail, at)"
                       " VALUES (NULL, 'erasure', '', ?)", (now_instant(),))

        await self._write(erase)
        await self._forget_pages()

    async def purge_inactive(self, before: datetime) -> int:
        """Erase conversations untouched since ``before`` (retention); return how many."""
        cutoff = before.astimezone(UTC).isoformat(timespec="seconds")

        def purge(db: sqlite3.Connection) -> int:
            chats = [row[0] for row in db.execute(
                "SELECT chat_id FROM conversations WHERE updated_at < ?", (cutoff,))]
            _delete_chats(db, chats)
            db.execute("INSERT INTO events (chat_id, kind, detail, at)"
                       " VALUES (NULL, 'retention_purge', ?, ?)",
                       (str(len(chats)), now_instant()))
            return len(chats)

        erased = await self._write(purge)
        await self._forget_pages()
        return erased

    async def _forget_pages(self) -> None:
        """Move every page into the file and empty the WAL: erased values leave both now.

        With ``secure_delete``, the pages written back hold zeros where the rows were; the
        WAL's older copies of them go with the truncation (issue 18, point 8).
        """
        try:
            # Read to its end: a pragma's cursor left open would block the next commit.
            async with self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                await cursor.fetchall()
        except sqlite3.Error as error:  # a busy reader: the background checkpoints follow
            _LOGGER.warning("checkpoint after erasure failed: %s", type(error).__name__)

    async def close(self) -> None:
        """Stop the checkpoints and close the store."""
        if self._checkpoints is not None:
            self._checkpoints.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpoints
        if self._checkpointer is not None:
            await self._checkpointer.close()
        await self._db.close()


def _write_turn(
    db: sqlite3.Connection, turn: Turn, now: str, replies: tuple[int | None, bytes]
) -> None:
    """Write one turn's rows (run inside ``_write``'s transaction)."""
    columns = turn.columns
    values = (turn.state, turn.status, turn.snapshot_json, columns.claim_no, columns.step,
              columns.beneficiary, columns.country, columns.blocked_rule, now)
    if turn.existed:
        # Never write back a conversation erased meanwhile (console, retention).
        cursor = db.execute(
            "UPDATE conversations SET state = ?, status = ?, snapshot = ?, claim_no = ?,"
            " step = ?, beneficiary = ?, country = ?, blocked_rule = ?, updated_at = ?"
            " WHERE chat_id = ?", (*values, turn.chat_id))
        if cursor.rowcount == 0:
            raise ConversationErased(turn.chat_id)
    else:
        db.execute(
            "INSERT INTO conversations (state, status, snapshot, claim_no, step, beneficiary,"
            " country, blocked_rule, updated_at, chat_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*values, turn.chat_id, now))
    if turn.sender is not None:
        db.execute("UPDATE conversations SET channel = ?, username = ? WHERE chat_id = ?",
                   (turn.sender.channel.value, turn.sender.username, turn.chat_id))
    if columns.rules is not None:
        db.execute("DELETE FROM conversation_rules WHERE chat_id = ?", (turn.chat_id,))
        db.executemany("INSERT OR IGNORE INTO conversation_rules (rule_id, chat_id) VALUES (?, ?)",
                       [(rule, turn.chat_id) for rule in columns.rules])
    db.executemany(
        "INSERT OR IGNORE INTO claims (chat_id, claim_no, status, beneficiary, snapshot,"
        " closed_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(turn.chat_id, claim.claim_no, claim.status, claim.beneficiary, claim.snapshot_json, now)
         for claim in turn.archived])
    db.executemany("DELETE FROM documents WHERE chat_id = ? AND id = ?",
                   [(turn.chat_id, doc_id) for doc_id in turn.erased_documents])
    for document in turn.documents:
        db.execute(
            "INSERT OR REPLACE INTO documents (id, chat_id, claim_no, filename, mime, original,"
            " pdf, page_count, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (document.id, document.chat_id, document.claim_no, document.filename,
             document.mime, document.original, document.pdf, document.page_count, now))
    cursor = db.execute(
        "INSERT INTO turns (chat_id, at, event_id, said, codec, replies)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (turn.chat_id, turn.at.isoformat(timespec="seconds"), turn.event_id, turn.said,
         *replies))
    if turn.said:  # search reads only what users typed
        db.execute("INSERT INTO turns_fts (rowid, said) VALUES (?, ?)",
                   (cursor.lastrowid, turn.said))
    if turn.claim_ready_on:
        db.execute("INSERT INTO ready_claims (chat_id, ready_on, beneficiary) VALUES (?, ?, ?)",
                   (turn.chat_id, turn.claim_ready_on.isoformat(), turn.beneficiary))
    db.executemany("INSERT INTO events (chat_id, kind, detail, at) VALUES (?, ?, ?, ?)",
                   [(turn.chat_id, kind, detail, now) for kind, detail in turn.events])
    if turn.event_id is not None:
        db.execute(TURN_INCOMING, (turn.event_id,))
    if turn.outbox is not None:
        db.execute(TURN_OUTGOING, (turn.chat_id, turn.event_id, turn.outbox, turn.outbox_until,
                                   turn.at.timestamp(), turn.pack_claim))
    if turn.reminders is not None:
        db.execute(reminder_rows.DROP_PLANNED, (turn.chat_id,))
        db.executemany(reminder_rows.PLAN,
                       reminder_rows.plan_rows(turn.chat_id, turn.reminders))
    if turn.follow_up is not None:
        claim_no, answer = turn.follow_up
        db.execute(reminder_rows.ANSWER, (answer.value, now, turn.chat_id, claim_no))


def _delete_chats(db: sqlite3.Connection, chat_ids: list[str]) -> None:
    """Delete every row of ``chat_ids``, the search index's entries included."""
    for chat_id in chat_ids:
        db.execute("INSERT INTO turns_fts (turns_fts, rowid, said)"
                   " SELECT 'delete', id, said FROM turns WHERE chat_id = ? AND said != ''",
                   (chat_id,))
        for table in CHAT_TABLES:
            db.execute(f"DELETE FROM {table} WHERE chat_id = ?", (chat_id,))  # noqa: S608


def _create_private(target: Path) -> None:
    """Create the database file readable and writable by its owner only (health data)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(mode=0o600, exist_ok=True)
    target.chmod(0o600)


async def _prepare(repository: SqliteRepository) -> None:
    connection = repository.connection
    await connection.execute("PRAGMA journal_mode = WAL")
    await connection.execute("PRAGMA synchronous = NORMAL")
    await connection.execute("PRAGMA foreign_keys = ON")
    # Erased health data must not linger in free pages (/supprimer, retention, operators).
    await connection.execute("PRAGMA secure_delete = ON")
    # Checkpoints run in the background on their own connection (``start_checkpoints``).
    await connection.execute("PRAGMA wal_autocheckpoint = 0")
    # 32 MB of pages, a fixed cap: with 100 000 stored conversations a turn's index pages stay
    # cached (p99 4.7 ms instead of 17 ms in ``make bench-turns``), for +27 MiB at most.
    await connection.execute("PRAGMA cache_size = -32000")
    await repository.migrate()
    await repository.use_dictionary(reply_dictionary())


async def open_repository(path: str | Path) -> SqliteRepository:
    """Open (or create) the SQLite file at ``path``, readable by its owner only.

    Replies are packed with the dictionary of the current catalogs and payloads.
    """
    target = Path(path)
    await asyncio.to_thread(_create_private, target)
    repository = SqliteRepository(await aiosqlite.connect(target),
                                  await aiosqlite.connect(target))
    try:
        await _prepare(repository)
    except BaseException:
        # A file that is not SQLite, or a failed migration: never leave threads behind.
        await repository.close()
        raise
    repository.start_checkpoints()
    return repository
