"""The inbox keeps fetched updates until handled (issue 18, point 1), on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.io import Command
from bot.storage.repository import Incoming

T0 = 1_800_000_000.0


def update(update_id: int, chat: str = "7") -> Incoming:
    return Incoming(update_id, f"tg:{update_id}", chat, f'{{"update_id": {update_id}}}')


async def test_kept_updates_come_back_in_order_until_handled(repository):
    assert await repository.last_incoming() is None
    await repository.keep_incoming([update(12), update(10), update(11)], [], T0)
    await repository.keep_incoming([update(11)], [], T0)  # fetched again: kept once
    assert await repository.unhandled_incoming() == [
        '{"update_id": 10}', '{"update_id": 11}', '{"update_id": 12}']
    await repository.keep_incoming([update(13)], [10, 12], T0)
    assert await repository.unhandled_incoming() == ['{"update_id": 11}', '{"update_id": 13}']
    assert await repository.last_incoming() == 13


async def test_the_newest_update_is_remembered_once_handled_and_the_rest_forgotten(
        repository):
    await repository.keep_incoming([update(1), update(2)], [], T0)
    await repository.keep_incoming([], [1, 2], T0)
    assert await repository.unhandled_incoming() == []
    assert await repository.last_incoming() == 2  # the offset to confirm at start-up
    rows = await repository.database.fetch("SELECT update_id, payload FROM inbox")
    assert rows == [(2, None)]  # what the user sent is not kept once handled


async def test_a_turn_marks_its_update_handled_in_its_own_transaction(service, repository):
    await repository.keep_incoming([update(5, "9"), update(6, "9")], [], T0)
    await service.handle("9", Command("start"), event_id="tg:5")
    assert await repository.unhandled_incoming() == ['{"update_id": 6}']


async def test_erasure_and_retention_erase_the_chats_updates(service, repository):
    await repository.keep_incoming([update(1, "7"), update(2, "8")], [], T0)
    await repository.erase_chat("7")
    assert await repository.unhandled_incoming() == ['{"update_id": 2}']
    await service.handle("8", Command("start"), event_id="tg:3")
    await repository.keep_incoming([update(4, "8")], [], T0)
    assert await repository.purge_inactive(datetime.now(UTC) + timedelta(days=1)) == 1
    assert await repository.database.fetch("SELECT update_id FROM inbox") == []


async def test_a_restart_makes_due_the_replies_a_dead_process_held(service, repository):
    await service.handle("9", Command("start"), event_id="tg:1")  # its delivery then died
    assert await service.outbox.take() == []  # held by the turn's own delivery
    await repository.release_outgoing(datetime.now(UTC).timestamp())
    (entry,) = await service.outbox.take()
    assert entry.event_id == "tg:1"
