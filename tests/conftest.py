"""Shared fixtures: a real store on each backend, the service with a fixed clock, users.

``repository`` (and so ``service`` and ``user``) runs each test twice: on an SQLite file in
tmp_path and on a fresh database of a throwaway PostgreSQL server the run starts itself
(``tests/postgres_server.py``). Without PostgreSQL installed the second run is skipped,
unless ``REQUIRE_POSTGRES=1`` (set by ``make test``) makes that a failure.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.service import ConversationService
from bot.storage.repository import ClaimRepository
from bot.storage.stores import open_store
from tests.fakes.users import ScriptedUser
from tests.postgres_server import binaries, running_server

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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start one PostgreSQL server for the run; yield its URL (the ``postgres`` database)."""
    if binaries() is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is not installed (make test installs Debian's package)")
        pytest.skip("PostgreSQL is not installed")
    with running_server() as url:
        yield url


_DATABASES = itertools.count(1)


async def new_postgres_database(server: str, template: str = "template0") -> str:
    """Create an empty database (or a copy of ``template``) on the server; return its URL."""
    import asyncpg

    name = f"test_{os.getpid()}_{next(_DATABASES)}"
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await connection.close()
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgres"])
async def store_target(request, tmp_path) -> str | Path:
    """Where a test's store lives: an SQLite file, or the URL of a new PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "bot.sqlite3"
    return await new_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
async def repository(store_target) -> AsyncIterator[ClaimRepository]:
    repo = await open_store(store_target)
    yield repo
    await repo.close()


@pytest.fixture
def service(repository, clock) -> ConversationService:
    return ConversationService(repository, clock=clock)


@pytest.fixture
def user(service) -> ScriptedUser:
    return ScriptedUser(service)
