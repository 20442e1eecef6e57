"""SQLite storage (aiosqlite): one file, WAL, schema versioned by ``PRAGMA user_version``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import aiosqlite

from bot.storage.repository import ConversationErased, StoredDocument, Turn, TurnContext

# Each entry upgrades the schema by one version; never edit a released entry, append one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE conversations (
        chat_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        status TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE transcript (
        id INTEGER PRIMARY KEY,
        chat_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        text TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX transcript_chat ON transcript (chat_id, id);
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        chat_id TEXT NOT NULL,
        claim_no INTEGER NOT NULL,
        filename TEXT NOT NULL,
        mime TEXT NOT NULL,
        original BLOB NOT NULL,
        pdf BLOB NOT NULL,
        page_count INTEGER NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE INDEX documents_chat ON documents (chat_id, claim_no);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        chat_id TEXT,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
    );
    CREATE TABLE processed_events (
        event_id TEXT PRIMARY KEY,
        chat_id TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE ready_claims (
        id INTEGER PRIMARY KEY,
        chat_id TEXT NOT NULL,
        ready_on TEXT NOT NULL,
        beneficiary TEXT
    );
    """,
    # 2: the operator console (bot/operator). Indexed columns copied from the snapshot by
    # triggers, so the service's save_turn stays unchanged; a full-text index of the
    # transcript; an append-only audit trail.
    """
    CREATE TABLE conversation_index (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the claim reference's number
        chat_id TEXT NOT NULL UNIQUE,
        claim_no INTEGER NOT NULL DEFAULT 1,
        state TEXT NOT NULL,
        status TEXT NOT NULL,
        beneficiary TEXT,
        country TEXT,
        blocked_rule TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX conversation_index_updated ON conversation_index (updated_at, id);
    CREATE INDEX conversation_index_status ON conversation_index (status, updated_at, id);
    CREATE INDEX conversation_index_state ON conversation_index (state, updated_at, id);
    CREATE INDEX conversation_index_country ON conversation_index (country, updated_at, id);
    CREATE TABLE conversation_rules (
        rule_id TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        PRIMARY KEY (rule_id, chat_id)
    ) WITHOUT ROWID;
    CREATE INDEX conversation_rules_chat ON conversation_rules (chat_id);
    CREATE TRIGGER conversation_index_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO conversation_index (chat_id, claim_no, state, status, beneficiary, country,
            blocked_rule, created_at, updated_at)
        VALUES (NEW.chat_id, coalesce(json_extract(NEW.snapshot, '$.claim_no'), 1), NEW.state,
            NEW.status, json_extract(NEW.snapshot, '$.draft.beneficiary_name'),
            json_extract(NEW.snapshot, '$.draft.country'),
            json_extract(NEW.snapshot, '$.blocked.rule_id'), NEW.created_at, NEW.updated_at);
        INSERT OR IGNORE INTO conversation_rules (rule_id, chat_id)
            SELECT value, NEW.chat_id FROM json_each(NEW.snapshot, '$.shown_rules')
            UNION SELECT json_extract(NEW.snapshot, '$.blocked.rule_id'), NEW.chat_id
            WHERE json_extract(NEW.snapshot, '$.blocked.rule_id') IS NOT NULL;
    END;
    CREATE TRIGGER conversation_index_update AFTER UPDATE ON conversations BEGIN
        UPDATE conversation_index SET
            claim_no = coalesce(json_extract(NEW.snapshot, '$.claim_no'), 1),
            state = NEW.state, status = NEW.status,
            beneficiary = json_extract(NEW.snapshot, '$.draft.beneficiary_name'),
            country = json_extract(NEW.snapshot, '$.draft.country'),
            blocked_rule = json_extract(NEW.snapshot, '$.blocked.rule_id'),
            updated_at = NEW.updated_at
        WHERE chat_id = NEW.chat_id;
        DELETE FROM conversation_rules WHERE chat_id = NEW.chat_id;
        INSERT OR IGNORE INTO conversation_rules (rule_id, chat_id)
            SELECT value, NEW.chat_id FROM json_each(NEW.snapshot, '$.shown_rules')
            UNION SELECT json_extract(NEW.snapshot, '$.blocked.rule_id'), NEW.chat_id
            WHERE json_extract(NEW.snapshot, '$.blocked.rule_id') IS NOT NULL;
    END;
    CREATE TRIGGER conversation_index_delete AFTER DELETE ON conversations BEGIN
        DELETE FROM conversation_index WHERE chat_id = OLD.chat_id;
        DELETE FROM conversation_rules WHERE chat_id = OLD.chat_id;
    END;
    INSERT INTO conversation_index (chat_id, claim_no, state, status, beneficiary, country,
        blocked_rule, created_at, updated_at)
        SELECT chat_id, coalesce(json_extract(snapshot, '$.claim_no'), 1), state, status,
            json_extract(snapshot, '$.draft.beneficiary_name'),
            json_extract(snapshot, '$.draft.country'),
            json_extract(snapshot, '$.blocked.rule_id'), created_at, updated_at
        FROM conversations ORDER BY created_at, chat_id;
    INSERT OR IGNORE INTO conversation_rules (rule_id, chat_id)
        SELECT rules.value, c.chat_id FROM conversations AS c,
            json_each(c.snapshot, '$.shown_rules') AS rules;
    INSERT OR IGNORE INTO conversation_rules (rule_id, chat_id)
        SELECT json_extract(snapshot, '$.blocked.rule_id'), chat_id FROM conversations
        WHERE json_extract(snapshot, '$.blocked.rule_id') IS NOT NULL;
    CREATE VIRTUAL TABLE transcript_fts USING fts5(
        text, content = 'transcript', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER transcript_fts_insert AFTER INSERT ON transcript BEGIN
        INSERT INTO transcript_fts (rowid, text) VALUES (NEW.id, NEW.text);
    END;
    CREATE TRIGGER transcript_fts_delete AFTER DELETE ON transcript BEGIN
        INSERT INTO transcript_fts (transcript_fts, rowid, text)
        VALUES ('delete', OLD.id, OLD.text);
    END;
    -- Erasures and retention purges log an event last: merge the index then, so no erased
    -- word lingers in it.
    CREATE TRIGGER transcript_fts_purge AFTER INSERT ON events
    WHEN NEW.kind IN ('erasure', 'retention_purge') BEGIN
        INSERT INTO transcript_fts (transcript_fts) VALUES ('optimize');
    END;
    INSERT INTO transcript_fts (transcript_fts) VALUES ('rebuild');
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        reference TEXT NOT NULL DEFAULT '',
        document_id TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
        SELECT RAISE(ABORT, 'audit rows are append-only');
    END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
        SELECT RAISE(ABORT, 'audit rows are append-only');
    END;
    """,
    # The operator console's sign-in (bot/storage/operator_security.py): server-side
    # sessions (the cookie's token is stored hashed), sign-in limits and the (login,
    # address) pairs that signed in before, so limits hold across restarts and workers.
    """
    CREATE TABLE operator_sessions (
        token_hash TEXT PRIMARY KEY,
        login TEXT NOT NULL,
        account_stamp TEXT NOT NULL,
        created_at REAL NOT NULL,
        last_seen REAL NOT NULL
    );
    CREATE INDEX operator_sessions_login ON operator_sessions (login);
    CREATE INDEX operator_sessions_seen ON operator_sessions (last_seen);
    CREATE TABLE operator_signin_limits (
        key TEXT PRIMARY KEY,
        attempts INTEGER NOT NULL,
        next_allowed REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX operator_signin_limits_updated ON operator_signin_limits (updated_at);
    CREATE TABLE operator_known_pairs (
        login TEXT NOT NULL,
        address TEXT NOT NULL,
        last_success REAL NOT NULL,
        PRIMARY KEY (login, address)
    ) WITHOUT ROWID;
    """,
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SqliteRepository:
    """``ClaimRepository`` on one SQLite file."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection
        # One connection serves every chat: without this lock, another chat's commit could
        # land between the statements of a turn and save half of it.
        self._writing = asyncio.Lock()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block's writes as one transaction, alone on the connection."""
        async with self._writing:
            try:
                yield self._db
                await self._db.commit()
            except BaseException:
                await self._db.rollback()
                raise

    @property
    def connection(self) -> aiosqlite.Connection:
        """Return the connection (for read-only views such as the operator console)."""
        return self._db

    async def migrate(self) -> None:
        """Bring the schema to the latest version."""
        async with self._db.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        version = row[0] if row else 0
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self._db.executescript(
                f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;"
            )

    async def load(self, chat_id: str) -> str | None:
        """Return the saved snapshot JSON of a chat, or None for a new chat."""
        rows = await self._db.execute_fetchall(
            "SELECT snapshot FROM conversations WHERE chat_id = ?", (chat_id,))
        return next((str(row[0]) for row in rows), None)

    async def seen(self, event_id: str) -> bool:
        """Tell whether an incoming event was already handled (redelivery)."""
        rows = await self._db.execute_fetchall(
            "SELECT 1 FROM processed_events WHERE event_id = ?", (event_id,))
        return bool(list(rows))

    async def open_turn(self, chat_id: str, event_id: str | None) -> TurnContext:
        """Read what a turn needs in one query: redelivery, snapshot, earlier claims."""
        # One round trip to the database thread instead of three: turns are the hot path.
        rows = await self._db.execute_fetchall(
            "SELECT (SELECT 1 FROM processed_events WHERE event_id = ?),"
            " (SELECT snapshot FROM conversations WHERE chat_id = ?),"
            " (SELECT json_group_array(json_array(ready_on, beneficiary))"
            "  FROM (SELECT ready_on, beneficiary FROM ready_claims WHERE chat_id = ?"
            "  ORDER BY id))",
            (event_id, chat_id, chat_id),
        )
        seen, snapshot, claims = next(iter(rows))
        ready = [(date.fromisoformat(day), name) for day, name in json.loads(claims or "[]")]
        return TurnContext(bool(seen), snapshot, ready)

    async def save_turn(self, turn: Turn) -> None:
        """Save state, transcript, event id and events of a turn atomically."""
        now = _now()
        async with self._transaction() as db:
            if turn.existed:
                # Never write back a conversation erased meanwhile (console, retention).
                cursor = await db.execute(
                    "UPDATE conversations SET state = ?, status = ?, snapshot = ?,"
                    " updated_at = ? WHERE chat_id = ?",
                    (turn.state, turn.status, turn.snapshot_json, now, turn.chat_id),
                )
                if cursor.rowcount == 0:
                    raise ConversationErased(turn.chat_id)
            else:
                await db.execute(
                    "INSERT INTO conversations (chat_id, state, status, snapshot, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (turn.chat_id, turn.state, turn.status, turn.snapshot_json, now, now),
                )
            if turn.transcript:
                # One multi-row INSERT: each statement is a round trip to the database thread.
                rows = ", ".join(["(?, ?, ?, ?)"] * len(turn.transcript))
                await db.execute(
                    f"INSERT INTO transcript (chat_id, direction, text, at) VALUES {rows}",  # noqa: S608
                    [value for line in turn.transcript for value in (
                        turn.chat_id, line.direction, line.text,
                        line.at.isoformat(timespec="seconds"))],
                )
            if turn.event_id:
                await db.execute(
                    "INSERT OR IGNORE INTO processed_events (event_id, chat_id, at)"
                    " VALUES (?, ?, ?)", (turn.event_id, turn.chat_id, now),
                )
            if turn.claim_ready_on:
                await db.execute(
                    "INSERT INTO ready_claims (chat_id, ready_on, beneficiary) VALUES (?, ?, ?)",
                    (turn.chat_id, turn.claim_ready_on.isoformat(), turn.beneficiary),
                )
            if turn.events:
                rows = ", ".join(["(?, ?, ?, ?)"] * len(turn.events))
                await db.execute(
                    f"INSERT INTO events (chat_id, kind, detail, at) VALUES {rows}",  # noqa: S608
                    [value for kind, detail in turn.events
                     for value in (turn.chat_id, kind, detail, now)],
                )

    async def store_document(self, document: StoredDocument) -> None:
        """Keep a received document and its converted PDF."""
        async with self._transaction() as db:
            await db.execute(
                "INSERT OR REPLACE INTO documents (id, chat_id, claim_no, filename, mime,"
                " original, pdf, page_count, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (document.id, document.chat_id, document.claim_no, document.filename,
                 document.mime, document.original, document.pdf, document.page_count, _now()),
            )

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

    @staticmethod
    async def _delete_chat(db: aiosqlite.Connection, chat_id: str) -> None:
        for table in ("conversations", "transcript", "documents", "processed_events",
                      "ready_claims", "events"):
            await db.execute(f"DELETE FROM {table} WHERE chat_id = ?", (chat_id,))  # noqa: S608

    async def erase_chat(self, chat_id: str) -> None:
        """Erase everything about a chat, recording the erasure without its content."""
        async with self._transaction() as db:
            await self._delete_chat(db, chat_id)
            await db.execute(
                "INSERT INTO events (chat_id, kind, detail, at) VALUES (NULL, 'erasure', '', ?)",
                (_now(),),
            )

    async def purge_inactive(self, before: datetime) -> int:
        """Erase conversations untouched since ``before`` (retention); return how many."""
        cutoff = before.astimezone(UTC).isoformat(timespec="seconds")
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                "SELECT chat_id FROM conversations WHERE updated_at < ?", (cutoff,))
            chats = [row[0] for row in rows]
            for chat_id in chats:
                await self._delete_chat(db, chat_id)
            await db.execute(
                "INSERT INTO events (chat_id, kind, detail, at)"
                " VALUES (NULL, 'retention_purge', ?, ?)",
                (str(len(chats)), _now()),
            )
        return len(chats)

    async def close(self) -> None:
        """Close the store."""
        await self._db.close()


def _create_private(target: Path) -> None:
    """Create the database file readable and writable by its owner only (health data)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(mode=0o600, exist_ok=True)
    target.chmod(0o600)


async def open_repository(path: str | Path) -> SqliteRepository:
    """Open (or create) the SQLite file at ``path``, readable by its owner only."""
    target = Path(path)
    await asyncio.to_thread(_create_private, target)
    connection = await aiosqlite.connect(target)
    await connection.execute("PRAGMA journal_mode = WAL")
    await connection.execute("PRAGMA synchronous = NORMAL")
    await connection.execute("PRAGMA foreign_keys = ON")
    # Erased health data must not linger in free pages (/supprimer, retention, operators).
    await connection.execute("PRAGMA secure_delete = ON")
    repository = SqliteRepository(connection)
    await repository.migrate()
    return repository
