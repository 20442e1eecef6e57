"""The audit page filtered by agent, action, conversation and date; its CSV export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.operator.audit_page import safe_cell
from bot.storage.operator_queries import open_operator_store
from tests.operator.conftest import sign_in


def actions_of(html: str) -> list[str]:
    return re.findall(r'data-action="([^"]+)"', html)


async def _trail(store_path) -> None:
    """Write a known trail: two agents, several claims, an old row and hostile values."""
    store = await open_operator_store(store_path)
    try:
        for actor, action, reference, detail in (
                ("bruno", "view", "SE-000001-1", ""), ("bruno", "export_json", "SE-000001-2", ""),
                ("carla", "view", "SE-000002-1", ""), ("carla", "view", "SE-000010-1", ""),
                ("=cmd|' /C calc'!A0", "view", "SE-000003-1", "+1-2"),
                ("carla", "list", "", "@SUM(A1)")):
            await store.record(actor, action, reference, detail=detail)
        await store._db.execute(
            "INSERT INTO audit (at, actor, action, reference, document_id, detail)"
            " VALUES ('2021-03-01T09:00:00+00:00', 'bruno', 'erase', 'SE-000004-1', '', '')")
    finally:
        await store.close()


@pytest.fixture
async def trail(admin, console_store):
    await _trail(console_store)
    return admin


@pytest.mark.parametrize(("query", "expected"), [
    ({"agent": "bruno"}, ["erase", "export_json", "view"]),  # by id: the order written
    ({"agent": "carla", "action": "view"}, ["view", "view"]),
    ({"conversation": "SE-000001-1"}, ["view"]),
    ({"conversation": "SE-1"}, ["export_json", "view"]),  # every claim of conversation 1
    ({"conversation": "1"}, ["export_json", "view"]),  # not SE-000010-1
    ({"conversation": "se-000002-1", "agent": "carla"}, ["view"]),
    ({"action": "erase"}, ["erase"]),
    ({"du": "2021-03-01", "au": "2021-03-01"}, ["erase"]),
    ({"au": "2021-12-31"}, ["erase"]),
    ({"agent": "personne"}, []),
])
async def test_filters(trail, query, expected):
    page = await trail.get("/operator/audit", params=query)
    assert page.status_code == 200
    assert actions_of(page.text) == expected


async def test_a_day_is_a_whole_day_in_paris(trail):
    today = datetime.now(UTC).date()
    page = await trail.get("/operator/audit", params={"du": str(today - timedelta(days=1)),
                                                      "au": str(today + timedelta(days=1)),
                                                      "agent": "carla"})
    assert actions_of(page.text) == ["list", "view", "view"]


@pytest.mark.parametrize(("query", "message"), [
    ({"action": "delete_everything"}, "Filtre inconnu"),
    ({"du": "2021-13-01"}, "Date invalide"),
    ({"du": "2021-03-02", "au": "2021-03-01"}, "Période invalide"),
    ({"conversation": "SE-abc"}, "Conversation invalide"),
    ({"conversation": "0"}, "Conversation invalide"),
    ({"conversation": "9" * 40}, "Conversation invalide"),
    ({"agent": "a\x01b"}, "Identifiant de conseiller invalide"),
    ({"agent": "x" * 65}, "Identifiant de conseiller invalide"),
])
async def test_bad_filters_are_a_french_400(trail, query, message):
    for path in ("/operator/audit", "/operator/audit.csv"):
        answer = await trail.get(path, params=query)
        assert answer.status_code == 400, (path, query)
        assert message in answer.text


async def test_a_bad_page_is_a_french_400(trail):
    answer = await trail.get("/operator/audit", params={"page": "0", "agent": "bruno"})
    assert answer.status_code == 400 and "Numéro de page invalide" in answer.text


async def test_the_csv_has_the_filtered_rows_and_runs_no_formula(trail, console_store):
    exported = await trail.get("/operator/audit.csv", params={"action": "view"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    text = exported.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Date (Paris)", "Qui", "Action", "Code de l'action", "Référence",
                       "Document", "Détail"]
    body = rows[1:]
    assert {row[3] for row in body} == {"view"}
    hostile = next(row for row in body if row[4] == "SE-000003-1")
    assert hostile[1] == "'=cmd|' /C calc'!A0" and hostile[6] == "'+1-2"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)
    assert [row[4] for row in body][:4] == ["SE-000003-1", "SE-000010-1", "SE-000002-1",
                                            "SE-000001-1"]  # newest first
    everything = list(csv.reader(io.StringIO(
        (await trail.get("/operator/audit.csv")).content.decode().removeprefix("\ufeff")),
        delimiter=";"))
    assert any(row[6] == "'@SUM(A1)" for row in everything)
    assert everything[1][3] == "audit_export"  # the export itself is audited, first


async def test_the_csv_streams_a_long_trail_in_batches(trail, console_store):
    store = await open_operator_store(console_store)
    try:
        async with store._db.transaction() as db:
            for number in range(2500):
                await db.execute("INSERT INTO audit (at, actor, action) VALUES (?, 'bot', 'list')",
                                 (f"2022-01-01T00:00:{number % 60:02d}+00:00",))
    finally:
        await store.close()
    text = (await trail.get("/operator/audit.csv", params={"agent": "bot"})).content.decode()
    assert text.count("\r\n") == 2501  # the header and every row, across three batches


async def test_viewers_get_neither_the_page_nor_the_csv(client):
    await sign_in(client, "victor")
    for path in ("/operator/audit", "/operator/audit.csv"):
        answer = await client.get(path)
        assert answer.status_code == 403 and "réservée aux administrateurs" in answer.text


def test_safe_cell():
    for risky in ("=1+1", "+33612345678", "-2", "@A1", "\tx", "\rx"):
        assert safe_cell(risky) == "'" + risky
    assert safe_cell("SE-000001-1") == "SE-000001-1"
    assert safe_cell("") == ""
