"""The schema, as forward-only migrations numbered by ``PRAGMA user_version``.

Each entry upgrades the schema by one version; never edit a released entry, append one.
"""

from __future__ import annotations

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
    # 3: a turn writes everything itself, in one transaction and one row of ``turns``. The
    # console's columns move into ``conversations`` (``conversation_index`` becomes a view of
    # them) and no trigger parses the snapshot; a turn row holds what the user typed (the
    # only text indexed for search), the bot's replies as catalog keys and payloads
    # compressed with a dictionary kept in ``reply_codecs``, and the event id that makes a
    # redelivered update be handled once.
    """
    DROP TRIGGER conversation_index_insert;
    DROP TRIGGER conversation_index_update;
    DROP TRIGGER conversation_index_delete;
    DROP TRIGGER transcript_fts_insert;
    DROP TRIGGER transcript_fts_delete;
    DROP TRIGGER transcript_fts_purge;
    CREATE TABLE conversations_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the claim reference's number
        chat_id TEXT NOT NULL UNIQUE,
        claim_no INTEGER NOT NULL DEFAULT 1,
        state TEXT NOT NULL,
        status TEXT NOT NULL,
        step INTEGER,
        beneficiary TEXT,
        country TEXT,
        blocked_rule TEXT,
        snapshot TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    INSERT INTO conversations_v3 (id, chat_id, claim_no, state, status, beneficiary, country,
        blocked_rule, snapshot, created_at, updated_at)
        SELECT i.id, c.chat_id, i.claim_no, c.state, c.status, i.beneficiary, i.country,
            i.blocked_rule, c.snapshot, c.created_at, c.updated_at
        FROM conversations AS c JOIN conversation_index AS i ON i.chat_id = c.chat_id
        ORDER BY i.id;
    -- References already given out are never given again, even those of erased chats.
    DELETE FROM sqlite_sequence WHERE name = 'conversations_v3';
    INSERT INTO sqlite_sequence (name, seq) SELECT 'conversations_v3', max(
        coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'conversation_index'), 0),
        coalesce((SELECT max(id) FROM conversations_v3), 0));
    DROP TABLE conversations;
    DROP TABLE conversation_index;
    ALTER TABLE conversations_v3 RENAME TO conversations;
    CREATE INDEX conversations_updated ON conversations (updated_at, id);
    CREATE INDEX conversations_status ON conversations (status, updated_at, id);
    CREATE INDEX conversations_state ON conversations (state, updated_at, id);
    CREATE INDEX conversations_country ON conversations (country, updated_at, id);
    CREATE VIEW conversation_index AS
        SELECT id, chat_id, claim_no, state, status, beneficiary, country, blocked_rule,
            created_at, updated_at FROM conversations;
    CREATE TABLE reply_codecs (
        id INTEGER PRIMARY KEY,
        digest TEXT NOT NULL UNIQUE,
        dictionary BLOB NOT NULL
    );
    CREATE TABLE turns (
        id INTEGER PRIMARY KEY,
        chat_id TEXT NOT NULL,
        at TEXT NOT NULL,
        event_id TEXT,
        said TEXT NOT NULL DEFAULT '',
        codec INTEGER REFERENCES reply_codecs (id),  -- NULL: replies are plain JSON
        replies BLOB
    );
    CREATE INDEX turns_chat ON turns (chat_id, id);
    CREATE UNIQUE INDEX turns_event ON turns (event_id) WHERE event_id IS NOT NULL;
    INSERT INTO turns (chat_id, at, said, replies)
        SELECT chat_id, at, CASE direction WHEN 'in' THEN text ELSE '' END,
            CASE direction WHEN 'out' THEN json_array(json_object('t', text)) END
        FROM transcript ORDER BY id;
    INSERT INTO turns (chat_id, at, event_id)
        SELECT chat_id, at, event_id FROM processed_events ORDER BY at;
    DROP TABLE transcript_fts;
    DROP TABLE transcript;
    DROP TABLE processed_events;
    -- No column sizes: the console matches, it never ranks.
    CREATE VIRTUAL TABLE turns_fts USING fts5(
        said, content = 'turns', content_rowid = 'id', columnsize = 0,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO turns_fts (rowid, said) SELECT id, said FROM turns WHERE said != '';
    -- Erasures and retention purges log an event last: merge the index then, so no erased
    -- word lingers in it.
    CREATE TRIGGER turns_fts_purge AFTER INSERT ON events
    WHEN NEW.kind IN ('erasure', 'retention_purge') BEGIN
        INSERT INTO turns_fts (turns_fts) VALUES ('optimize');
    END;
    """,
    # 4: a claim that ended (ready, blocked, cancelled) or was replaced is kept read-only, so a
    # new claim never overwrites it; /mes_demandes lists them and sends a ready one again.
    """
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        chat_id TEXT NOT NULL,
        claim_no INTEGER NOT NULL,
        status TEXT NOT NULL,
        beneficiary TEXT,
        snapshot TEXT NOT NULL,
        closed_at TEXT NOT NULL,
        UNIQUE (chat_id, claim_no)
    );
    """,
    # 5: the operator console's sign-in (bot/storage/operator_security.py): server-side
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
    # 6: background jobs (retention, reminders) run once whichever worker is due first: a
    # worker claims a job by moving its due time forward, and only one such update succeeds.
    """
    CREATE TABLE jobs (
        name TEXT PRIMARY KEY,
        due_at TEXT NOT NULL
    );
    """,
    # 7: album items wait here for their album's quiet time, whichever worker received them,
    # so no item is lost with a worker and the album is one turn (``take_album``).
    """
    CREATE TABLE album_items (
        group_id TEXT NOT NULL,
        message_id INTEGER NOT NULL,
        chat_id TEXT NOT NULL,
        received_at REAL NOT NULL,
        filename TEXT NOT NULL DEFAULT '',
        mime TEXT,
        notices TEXT NOT NULL DEFAULT '[]',
        refusal TEXT,
        data BLOB,  -- NULL with no refusal: still downloading
        handled BOOLEAN NOT NULL DEFAULT 0,  -- kept a day: a redelivered item stays handled
        PRIMARY KEY (group_id, message_id)
    );
    CREATE INDEX album_items_chat ON album_items (chat_id);
    CREATE INDEX album_items_received ON album_items (received_at);
    """,
    # 8: the outbox (``bot.outbox``): what a turn, an agent or a reminder has to say, kept
    # until delivered, so a crash or a failed call loses no reply and no pack.
    """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        chat_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        event_id TEXT,  -- the turn's update: its redelivery takes the entry over
        replies TEXT NOT NULL,
        sent_parts INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        due_at REAL NOT NULL,  -- held by a deliverer until then, or waiting to be tried again
        created_at REAL NOT NULL,
        pack_claim INTEGER  -- the claim whose pack this delivers
    );
    CREATE INDEX outbox_chat ON outbox (chat_id, id);
    """,
    # 9: the channel and Telegram username a conversation was seen with (the adapter says
    # them with each message: bot.domain.sender), for the console to show and search; the
    # events the console's dashboard counts, by kind and time.
    """
    ALTER TABLE conversations ADD COLUMN channel TEXT;
    ALTER TABLE conversations ADD COLUMN username TEXT;
    -- Conversations from before: the Telegram adapter names a chat by its id, an integer;
    -- the terminal chat's name is a word (``run_console``'s ``chat_id``, "console").
    UPDATE conversations SET channel = CASE WHEN chat_id <> '' AND chat_id NOT GLOB '*[^0-9]*'
        THEN 'telegram' ELSE 'terminal' END;
    -- The dashboard: its moves looked up by detail, each claim's start found from its end.
    CREATE INDEX events_trace ON events (kind, detail, at, chat_id);
    CREATE INDEX events_chat ON events (chat_id, kind, at, detail);
    """,
    # 10 (issue 17): advisers' private notes on a conversation, never
    # sent to the traveller; erased with the chat (``CHAT_TABLES``).
    """
    CREATE TABLE handoff_notes (
        id INTEGER PRIMARY KEY,
        chat_id TEXT NOT NULL,
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX handoff_notes_chat ON handoff_notes (chat_id, id);
    """,
    # 11: reminders (issue 16): planned with each turn, sent once whichever worker finds them
    # due (a planned row becomes sent in one update), kept once sent for the console.
    """
    CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        chat_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        claim_no INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        due_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'planned',  -- planned, then sent (to the outbox)
        sent_at TEXT,
        answer TEXT,  -- the follow-up's: received, pending, refused
        answered_at TEXT,
        UNIQUE (chat_id, kind, claim_no, seq)  -- planned again, never sent twice
    );
    CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'planned';
    """,
    # 12 (issue 18): the inbox of long polling (``bot.adapters.telegram_inbox``): each batch
    # of updates kept before the next getUpdates confirms it, so a crash loses none. A turn
    # marks its update handled in its own transaction; the newest row stays (handled) as
    # the offset to confirm at the next start.
    """
    CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,  -- the turn's (``turns.event_id``)
        chat_id TEXT,  -- erased with the chat (``CHAT_TABLES``)
        payload TEXT,  -- the update as Telegram sent it; NULL once handled
        received_at REAL NOT NULL,
        handled BOOLEAN NOT NULL DEFAULT 0
    );
    CREATE INDEX inbox_chat ON inbox (chat_id);
    """,
)
