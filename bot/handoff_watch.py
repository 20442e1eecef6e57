"""The hand-off watch: a traveller no adviser answered in time is told, and given the phone.

Runs beside the bot (``bot.jobs``), once per round whatever the workers.
The engine decides (``states.handoff``: the set time counts the advisers' open hours only);
the notice goes through the outbox like any message outside a turn.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.jobs import run_job
from bot.service import ConversationService
from bot.storage.handoff_queries import HandoffStore
from bot.storage.repository import ClaimRepository
from states.events import Overdue
from states.handoff import answer_late
from states.snapshot import FlowSnapshot

_LOGGER = logging.getLogger(__name__)
EVERY = timedelta(seconds=30)


async def warn_late(service: ConversationService, repository: ClaimRepository,
                    now: datetime | None = None) -> int:
    """Tell every traveller waiting past the set time, once; return how many were told."""
    moment = now or datetime.now(UTC)
    told = 0
    for found in await HandoffStore(repository.database).with_person():
        handoff = FlowSnapshot.model_validate_json(found.snapshot_json).handoff
        late = handoff is not None and answer_late(handoff, service.desk, moment)
        if late and await service.act(found.chat_id, Overdue()):
            told += 1
    if told:
        _LOGGER.info("hand-off watch: %d traveller(s) given the phone line", told)
    return told


async def run_handoff_watch(service: ConversationService, repository: ClaimRepository,
                            every: timedelta = EVERY) -> None:
    """Look for late hand-offs at every interval, until cancelled."""
    async def watch(now: datetime) -> int:
        return await warn_late(service, repository, now)

    await run_job(repository, "handoff_watch", every, watch)
