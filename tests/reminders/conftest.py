"""Reminders tests: a settable instant drives the service, the planning and the sending.

``service`` (hence ``user``) runs on the ``repository`` of both backends, with ``moment`` as
its clock; ``outbox`` reads what the reminders job posted to the store's outbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.domain.io import Reply
from bot.domain.local_time import PARIS
from bot.domain.reminders import Reminder
from bot.reminders import send_due_reminders
from bot.service import ConversationService
from bot.storage.repository import ClaimRepository


class Moment:
    """A settable present instant (aware); ``today`` in France follows it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the present on by ``timedelta(**delta)``; return it."""
        self.now += timedelta(**delta)
        return self.now

    def at(self, day: int, month: int, year: int, hour: int, minute: int = 0) -> datetime:
        """Set the present to a time of day in Paris; return it."""
        self.now = datetime(year, month, day, hour, minute, tzinfo=PARIS)
        return self.now


class Outbox:
    """What the reminders job posted to the outbox, by chat, taken as the adapter would."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[Reply]]] = []

    async def collect(self, service: ConversationService) -> None:
        """Take every entry the outbox holds (delivered: done), keeping the posted ones."""
        while entries := await service.outbox.take():
            for entry in entries:
                if entry.kind == "reminder":
                    self.sent.append((entry.chat_id, list(entry.replies)))
                await service.outbox.done(entry)

    @property
    def texts(self) -> list[str]:
        return [reply.text for _, replies in self.sent for reply in replies]


@pytest.fixture
def moment() -> Moment:
    # The form's samples are dated 2020 (as the root conftest's clock): a Thursday morning.
    return Moment(datetime(2020, 10, 15, 10, 0, tzinfo=PARIS))


@pytest.fixture
def service(repository: ClaimRepository, moment: Moment) -> ConversationService:
    return ConversationService(repository, now=moment)


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


async def stored(repository: ClaimRepository, chat_id: str = "chat-1") -> list[Reminder]:
    """Return the chat's reminders as stored (planned and sent)."""
    return list((await repository.open_turn(chat_id, None)).reminders)


async def planned(repository: ClaimRepository, chat_id: str = "chat-1") -> list[Reminder]:
    """Return the chat's planned reminders, soonest first."""
    return sorted((r for r in await stored(repository, chat_id) if r.status == "planned"),
                  key=lambda r: r.due_at)


async def tick(service: ConversationService, outbox: Outbox, moment: Moment) -> int:
    """Run one pass of the reminders job at the present instant; return how many it sent
    (``outbox`` then holds what they said)."""
    await outbox.collect(service)  # the turns' replies so far
    sent = await send_due_reminders(service, moment())
    await outbox.collect(service)
    return sent
