"""The conversation list: order, search, filters, paging, and 10 000 conversations by index."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.operator_queries import Filters, list_query, open_operator_store
from bot.storage.sqlite import MIGRATIONS
from bot.storage.stores import open_store
from tests.operator.conftest import audit_rows


def references(html: str) -> list[str]:
    """Return the claim references listed, in order."""
    return re.findall(r">(SE-\d{6}-\d+)</a>", html)


async def test_list_shows_every_claim_newest_first(admin):
    page = await admin.get("/operator/")
    assert page.status_code == 200
    assert references(page.text) == ["SE-000004-1", "SE-000003-1", "SE-000002-1",
                                      "SE-000001-1"]
    for text in ("NATHALIE", "POLOGNE", "Prête à déposer", "Bloquée", "LIM-03",
                 "Étape 3/5 · Modalités du séjour"):
        assert text in page.text


@pytest.mark.parametrize(("query", "expected"), [
    ({"statut": "ready"}, ["SE-000001-1"]),
    ({"statut": "blocked"}, ["SE-000003-1"]),
    ({"pays": "GB"}, ["SE-000002-1"]),
    ({"etape": "documents"}, ["SE-000004-1"]),
    ({"etape": "stay"}, ["SE-000002-1"]),
    ({"regle": "LIM-03"}, ["SE-000003-1"]),
    ({"q": "nathalie"}, ["SE-000003-1", "SE-000001-1"]),
    ({"q": "SE-000002-1"}, ["SE-000002-1"]),
    ({"q": "se-2"}, ["SE-000002-1"]),
    ({"q": "Polska"}, ["SE-000001-1"]),  # typed in the transcript only
    ({"q": "genou programmee"}, ["SE-000004-1"]),  # accents folded, words in any order
    ({"q": "personne"}, []),
    ({"q": "@nathalie_k"}, ["SE-000001-1"]),  # Telegram username, case ignored
    ({"q": "@Nath"}, ["SE-000001-1"]),  # from its start
    ({"q": "paul_lon"}, ["SE-000002-1"]),  # the @ may be left out
    ({"q": "@athalie"}, []),  # usernames match from their start only
    ({"q": "1003"}, ["SE-000003-1"]),  # Telegram id (the private chat's)
    ({"q": "100"}, []),  # an id matches whole
    ({"q": "@%"}, []),  # wildcards match themselves
    ({"statut": "in_progress", "pays": "DE"}, ["SE-000004-1"]),
    ({"du": "2000-01-01", "au": "2000-12-31"}, []),
])
async def test_search_and_filters(admin, query, expected):
    page = await admin.get("/operator/", params=query)
    assert page.status_code == 200
    assert references(page.text) == expected


async def test_date_range_counts_whole_days_in_paris(admin):
    today = datetime.now(UTC).date()
    page = await admin.get("/operator/", params={"du": str(today - timedelta(days=1)),
                                                 "au": str(today + timedelta(days=1))})
    assert len(references(page.text)) == 4


async def test_search_input_is_never_query_syntax(admin):
    for text in ('"', "NEAR(", "a OR", "%", "_", "*", "\\"):
        assert (await admin.get("/operator/", params={"q": text})).status_code == 200


async def test_list_views_are_audited_without_the_searched_words(admin, console_store):
    await admin.get("/operator/", params={"q": "nathalie", "statut": "ready"})
    await admin.aclose()
    rows = [row for row in await audit_rows(console_store) if row[1] == "list"]
    assert rows[-1][0] == "alice"
    assert "statut=ready" in rows[-1][4]
    assert "nathalie" not in json.dumps(rows).lower()


def _bulk(path, count: int) -> None:
    """Insert ``count`` conversations the way save_turn does, in one transaction."""
    statuses = ("in_progress", "ready", "blocked", "abandoned")
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = []
    rules: list[tuple[str, str]] = []
    for i in range(count):
        snapshot = {"state": "stay.country", "claim_no": 1, "status": statuses[i % 4],
                    "draft": {"beneficiary_name": f"PERSONNE{i}", "country": "PL"},
                    "blocked": {"rule_id": "ZON-06", "field": "country"} if i % 4 == 2 else None,
                    "shown_rules": ["VAL-06"] if i % 7 == 0 else []}
        at = (start + timedelta(minutes=i)).isoformat(timespec="seconds")
        blocked = "ZON-06" if i % 4 == 2 else None
        rows.append((f"bulk-{i}", "stay.country", statuses[i % 4], json.dumps(snapshot), at, at,
                     f"PERSONNE{i}", "PL", blocked))
        rules += [(rule, f"bulk-{i}") for rule in [*snapshot["shown_rules"], blocked] if rule]
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO conversations (chat_id, state, status, snapshot, created_at,"
                       " updated_at, beneficiary, country, blocked_rule)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO conversation_rules (rule_id, chat_id) VALUES (?, ?)", rules)


@pytest.mark.parametrize("console_store", ["sqlite"], indirect=True)  # its plans are SQLite's
async def test_ten_thousand_conversations_list_by_index(admin, console_store):
    _bulk(console_store, 10_000)
    page = await admin.get("/operator/")
    assert page.status_code == 200
    assert "10004 conversation(s)" in page.text
    assert len(references(page.text)) == 20
    assert (await admin.get("/operator/", params={"statut": "blocked", "page": "3"})
            ).status_code == 200
    with sqlite3.connect(console_store) as db:
        for filters in (Filters(), Filters(status="blocked"), Filters(country="PL")):
            sql, params = list_query(filters, 1, 50)
            plan = " | ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            assert "USING" in plan and "INDEX" in plan, plan
            assert "TEMP B-TREE" not in plan, plan  # the index gives the order too
            assert not re.search(r"SCAN conversation_index(?! USING)", plan), plan
    store = await open_operator_store(console_store)
    try:
        assert (await store.conversations(Filters(status="blocked"), 1, 50)).total == 2501
        assert (await store.conversations(Filters(rule="ZON-06"), 1, 50)).total == 2500
    finally:
        await store.close()


async def test_migration_indexes_conversations_stored_before_it(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
        db.execute("INSERT INTO conversations VALUES ('old', 'blocked', 'blocked', ?, ?, ?)",
                   (json.dumps({"claim_no": 2, "draft": {"country": "MA"},
                                "blocked": {"rule_id": "LIM-03", "field": "care_link"}}),
                    "2024-01-01T10:00:00+00:00", "2024-01-02T10:00:00+00:00"))
        db.execute("INSERT INTO transcript (chat_id, direction, text, at) VALUES"  # schema 1
                   " ('old', 'in', 'Casablanca', '2024-01-01T10:00:00+00:00')")
    store = await open_operator_store(path)
    try:
        page = await store.conversations(Filters(text="casablanca", rule="LIM-03"), 1, 10)
        assert [row.reference for row in page.rows] == ["SE-000001-2"]
    finally:
        await store.close()


async def test_erasing_a_chat_drops_it_from_the_index_and_the_search(console_store):
    repository = await open_store(console_store)
    await repository.erase_chat("1002")
    await repository.close()
    store = await open_operator_store(console_store)
    try:
        assert (await store.conversations(Filters(text="Paul"), 1, 10)).total == 0
        assert await store.conversation(2) is None
        assert (await store.conversations(Filters(), 1, 10)).total == 3
    finally:
        await store.close()
