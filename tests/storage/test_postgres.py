"""What only the PostgreSQL store does: workers sharing it, its migrations, its search."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.service import ConversationService
from bot.storage.operator_queries import Filters, OperatorStore
from bot.storage.postgres import open_postgres
from bot.storage.postgres_migrations import MIGRATIONS
from bot.storage.repository import ConsoleColumns, Turn
from tests import claims
from tests.conftest import AS_OF_2020, Clock, new_postgres_database
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play


async def test_workers_starting_together_migrate_once(postgres_server):
    url = await new_postgres_database(postgres_server)
    workers = await asyncio.gather(*(open_postgres(url) for _ in range(4)))
    try:
        versions = await workers[0].database.fetch("SELECT version FROM schema_migrations")
        assert versions == [(number,) for number in range(1, len(MIGRATIONS) + 1)]
        assert all([await worker.schema_current() for worker in workers])
    finally:
        await asyncio.gather(*(worker.close() for worker in workers))


async def test_a_chats_turns_wait_for_each_other_across_workers(postgres_server):
    url = await new_postgres_database(postgres_server)
    first, second = await open_postgres(url), await open_postgres(url)
    order: list[str] = []
    try:
        async with first.chat_turn("42"):
            waiting = asyncio.create_task(_hold(second, "42", order))
            other_chat = asyncio.create_task(_hold(second, "43", order))
            await other_chat  # another chat is never held up
            await asyncio.sleep(0.2)
            assert not waiting.done()
            order.append("first done")
        await waiting
        assert order == ["43", "first done", "42"]
    finally:
        await first.close()
        await second.close()


async def _hold(repository, chat_id: str, order: list[str]) -> None:
    async with repository.chat_turn(chat_id):
        order.append(chat_id)


async def test_one_update_seen_by_two_workers_is_handled_once(postgres_server):
    url = await new_postgres_database(postgres_server)
    workers = [await open_postgres(url) for _ in range(2)]
    try:
        services = [ConversationService(worker, clock=Clock(AS_OF_2020)) for worker in workers]
        user = ScriptedUser(services[0], "7")
        await play(user, claims.POLOGNE, until="care.amount")

        async def deliver(service: ConversationService) -> list[str]:  # as two workers would
            return [reply.text for reply in
                    await ScriptedUser(service, "7").send("200,50", event_id="tg:9")]

        first, second = await asyncio.gather(*(deliver(service) for service in services))
        assert bool(first) != bool(second)  # one played the turn; the other found it handled
        rows = await workers[0].database.fetch(
            "SELECT count(*) FROM turns WHERE event_id = 'tg:9'")
        assert rows == [(1,)]
    finally:
        for worker in workers:
            await worker.close()


async def test_search_finds_french_words_and_prefixes_without_accents(postgres_server):
    url = await new_postgres_database(postgres_server)
    repository = await open_postgres(url)
    try:
        for chat, said in (("1", "Deux factures de la clinique Médicis"), ("2", "Hôpital")):
            await repository.save_turn(Turn(
                chat_id=chat, state="care.amount", status="in_progress", snapshot_json="{}",
                columns=ConsoleColumns(1, 2, None, None, None), at=datetime.now(UTC), said=said))
        store = OperatorStore(repository)

        async def found(text: str) -> list[str]:
            page = await store.conversations(Filters(text=text), 1, 10)
            return sorted(row.chat_id for row in page.rows)

        assert await found("facture") == ["1"]  # the French word, singular
        assert await found("medic") == ["1"]  # a prefix, accents ignored
        assert await found("hopital") == ["2"]
        assert await found("clinique hôpital") == []  # every word must match
        assert await found("' & !") == []  # punctuation only: never query syntax
    finally:
        await repository.close()


async def test_a_nul_character_typed_is_kept_as_a_replacement(postgres_server):
    url = await new_postgres_database(postgres_server)
    repository = await open_postgres(url)
    try:
        user = ScriptedUser(ConversationService(repository, clock=Clock(AS_OF_2020)), "5")
        await play(user, claims.POLOGNE, until="care.amount")
        assert await user.send("200\x00,50")  # answered, not a failed turn
        rows = await repository.database.fetch(
            "SELECT said FROM turns WHERE chat_id = '5' ORDER BY id DESC LIMIT 1")
        assert rows == [("200\ufffd,50",)]
    finally:
        await repository.close()
