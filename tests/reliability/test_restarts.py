"""Stop the bot at every state of a claim: after a restart, nothing is lost or answered twice."""

from __future__ import annotations

import pytest

from bot.domain.io import Command, Press, Text
from bot.domain.reply_json import replies_from_json
from bot.service import ConversationService
from bot.storage.sqlite import open_repository
from states.snapshot import FlowSnapshot
from tests import claims

SCRIPT = [*claims.POLOGNE, *claims.FINISH_WITHOUT_FILES]


def _input(action: str, value: str) -> Text | Press:
    return Press(value) if action == "press" else Text(value)


async def _run(path, clock, steps, *, start: int = 0) -> FlowSnapshot:
    repository = await open_repository(path)
    service = ConversationService(repository, clock=clock)
    try:
        if start == 0:
            await service.handle("traveller", Command("start"), event_id="ev:start")
        for number, (action, value) in enumerate(steps, start=start):
            await service.handle("traveller", _input(action, value), event_id=f"ev:{number}")
        return FlowSnapshot.model_validate_json(await repository.load("traveller") or "{}")
    finally:
        await repository.close()


async def test_restart_after_every_turn_reaches_the_same_claim(tmp_path, clock):
    reference = await _run(tmp_path / "reference.sqlite3", clock, SCRIPT)
    assert reference.status == "ready"
    for cut in range(1, len(SCRIPT)):
        path = tmp_path / f"cut{cut}.sqlite3"
        await _run(path, clock, SCRIPT[:cut])
        # The process is stopped here; a new one opens the same file and the user goes on.
        finished = await _run(path, clock, SCRIPT[cut:], start=cut)
        assert finished.state == reference.state, cut
        assert finished.draft == reference.draft, cut


async def test_kill_during_a_turn_keeps_the_last_saved_state(tmp_path, clock, monkeypatch):
    path = tmp_path / "kill.sqlite3"
    await _run(path, clock, claims.POLOGNE[:8])
    repository = await open_repository(path)
    service = ConversationService(repository, clock=clock)
    before = await repository.load("traveller")

    async def killed(turn):  # the process dies while writing the turn
        await repository.connection.execute(
            "UPDATE conversations SET state = 'garbage' WHERE chat_id = ?", (turn.chat_id,))
        raise SystemExit("killed")

    monkeypatch.setattr(repository, "save_turn", killed)
    with pytest.raises(SystemExit):
        await service.handle("traveller", Text("200,50"), event_id="ev:redelivered")
    await repository.connection.rollback()
    await repository.close()

    repository = await open_repository(path)
    service = ConversationService(repository, clock=clock)
    assert await repository.load("traveller") == before
    # Telegram delivers the same update again after the restart: handled exactly once.
    first = await service.handle("traveller", Text("200,50"), event_id="ev:redelivered")
    second = await service.handle("traveller", Text("200,50"), event_id="ev:redelivered")
    assert first and second == []  # its replies wait in the outbox, once
    ((waiting,),) = await repository.database.fetch(
        "SELECT replies FROM outbox WHERE event_id = 'ev:redelivered'")
    assert [reply.text for reply in replies_from_json(str(waiting))] == [
        reply.text for reply in first]
    snapshot = FlowSnapshot.model_validate_json(await repository.load("traveller") or "{}")
    assert str(snapshot.draft.amount) == "200.50"
    async with repository.connection.execute(
        "SELECT COUNT(*) FROM turns WHERE chat_id = 'traveller' AND said = '200,50'"
    ) as cursor:
        assert (await cursor.fetchone())[0] == 1
    await repository.close()
