"""Shared fixtures: a real SQLite file in tmp_path, the service with a fixed clock, users."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from bot.service import ConversationService
from bot.storage.sqlite import SqliteRepository, open_repository
from tests.fakes.users import ScriptedUser

# The form's samples are dated 2020: replay them as of mid-October 2020.
AS_OF_2020 = date(2020, 10, 15)


class Clock:
    """A settable "today"."""

    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def clock() -> Clock:
    return Clock(AS_OF_2020)


@pytest.fixture
async def repository(tmp_path) -> AsyncIterator[SqliteRepository]:
    repo = await open_repository(tmp_path / "bot.sqlite3")
    yield repo
    await repo.close()


@pytest.fixture
def service(repository, clock) -> ConversationService:
    return ConversationService(repository, clock=clock)


@pytest.fixture
def user(service) -> ScriptedUser:
    return ScriptedUser(service)
