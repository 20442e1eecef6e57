"""Retention: conversations idle longer than the retention period are erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.retention import purge_expired
from tests import claims
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play


async def test_idle_conversations_are_purged_and_recent_ones_kept(service, repository):
    old, recent = ScriptedUser(service, "old"), ScriptedUser(service, "recent")
    await play(old, claims.POLOGNE, until="care.amount")
    await play(recent, claims.POLOGNE, until="care.amount")
    await repository.database.execute(
        "UPDATE conversations SET updated_at = '2020-01-01T00:00:00+00:00' WHERE chat_id='old'")
    purged = await purge_expired(repository, timedelta(days=90),
                                 now=datetime.now(UTC))
    assert purged == 1
    assert await repository.load("old") is None
    assert await repository.load("recent") is not None
    assert await repository.database.fetch(
        "SELECT COUNT(*) FROM turns WHERE chat_id = 'old'") == [(0,)]
    assert await repository.database.fetch(
        "SELECT detail FROM events WHERE kind = 'retention_purge'") == [("1",)]
