"""A database made by the previous release (schema 2) moves forward with every conversation."""

from __future__ import annotations

import json
import sqlite3

from bot.storage.migrations import MIGRATIONS
from bot.storage.operator_queries import Filters, open_operator_store


def _release_two(path) -> None:
    """Write a schema-2 database the way that release's save_turn and triggers did."""
    with sqlite3.connect(path) as db:
        for number, script in enumerate(MIGRATIONS[:2], start=1):
            db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
        for i, (name, status) in enumerate((("NATHALIE", "ready"), ("JEAN", "blocked"),
                                            ("AMINA", "in_progress"))):
            snapshot = {"state": "stay.country", "claim_no": 1, "status": status,
                        "language": "fr", "draft": {"beneficiary_name": name, "country": "PL"},
                        "blocked": {"rule_id": "ZON-06", "field": "country"}
                        if status == "blocked" else None, "shown_rules": ["VAL-06"]}
            db.execute("INSERT INTO conversations (chat_id, state, status, snapshot, created_at,"
                       " updated_at) VALUES (?, 'stay.country', ?, ?, ?, ?)",
                       (f"chat-{i}", status, json.dumps(snapshot), f"2025-01-0{i + 1}",
                        f"2025-01-0{i + 1}"))
            db.execute("INSERT INTO transcript (chat_id, direction, text, at)"
                       " VALUES (?, 'in', ?, '2025-01-01'), (?, 'out', 'Étape 3/5', '2025-01-01')",
                       (f"chat-{i}", f"clinique {name.lower()}", f"chat-{i}"))
        db.execute("DELETE FROM conversations WHERE chat_id = 'chat-2'")  # an erased chat


async def test_every_conversation_survives_the_move_to_schema_three(tmp_path):
    path = tmp_path / "release2.sqlite3"
    _release_two(path)
    store = await open_operator_store(path)
    try:
        rows = (await store.conversations(Filters(), 1, 50)).rows
        assert sorted((r.number, r.beneficiary, r.status) for r in rows) == [
            (1, "NATHALIE", "ready"), (2, "JEAN", "blocked")]
        assert (await store.conversations(Filters(rule="ZON-06"), 1, 50)).total == 1
        assert (await store.conversations(Filters(text="clinique"), 1, 50)).total == 2
        lines = await store.transcript("chat-0")
        assert [(line.direction, line.text) for line in lines] == [
            ("in", "clinique nathalie"), ("out", "Étape 3/5")]
        version = await store._repository.connection.execute_fetchall("PRAGMA user_version")
        assert next(iter(version))[0] == len(MIGRATIONS)
    finally:
        await store.close()


async def test_a_new_conversation_never_takes_an_erased_ones_reference(tmp_path):
    from bot.service import ConversationService
    from tests import claims
    from tests.fakes.users import ScriptedUser
    from tests.states.helpers import play  # a real turn after the migration

    path = tmp_path / "release2.sqlite3"
    _release_two(path)
    store = await open_operator_store(path)
    try:
        user = ScriptedUser(ConversationService(store._repository), chat_id="new-chat")
        await play(user, claims.POLOGNE, until="care.amount")
        row = await store.conversation_of("new-chat")
        assert row is not None and row.number == 4  # 3 was given to the erased chat
        assert row.beneficiary == "NATHALIE"
    finally:
        await store.close()


async def test_conversations_from_before_get_their_channel(tmp_path):
    """Migration 8: Telegram chats are named by their integer id, the terminal by a word."""
    path = tmp_path / "release7.sqlite3"
    with sqlite3.connect(path) as db:
        for number, script in enumerate(MIGRATIONS[:7], start=1):
            db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
        db.executemany("INSERT INTO conversations (chat_id, state, status, snapshot, created_at,"
                       " updated_at) VALUES (?, 'welcome', 'in_progress', '{}', '2025', '2025')",
                       [("123456789",), ("console",), ("12ab",)])
    store = await open_operator_store(path)
    try:
        channels = [(chat, (await store.contact(chat)).channel)
                    for chat in ("123456789", "console", "12ab")]
        assert channels == [("123456789", "telegram"), ("console", "terminal"),
                            ("12ab", "terminal")]
    finally:
        await store.close()
