"""A store seeded by really playing claims through the service, accounts, the console app."""

from __future__ import annotations

import asyncio
import io
import re
import shutil
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from PIL import Image, ImageDraw

from bot.domain.sender import Sender
from bot.operator import OperatorSettings, build_operator_app
from bot.operator.accounts import Account, Role, hash_password
from bot.service import ConversationService
from bot.storage.stores import open_store
from tests import claims
from tests.conftest import AS_OF_2020, Clock, new_postgres_database
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play

PASSWORDS = {"alice": "correct horse battery", "victor": "viewer password 42",
             "agnes": "agent password 77"}
T = TypeVar("T")
READY, IN_PROGRESS, BLOCKED, DOCUMENTS = "1001", "1002", "1003", "1004"


def receipt_jpeg() -> bytes:
    """Return a photo of a receipt (large enough for the converter)."""
    image = Image.new("RGB", (900, 1200), (235, 235, 225))
    draw = ImageDraw.Draw(image)
    for row in range(80, 1100, 60):
        draw.rectangle([(60, row), (840, row + 18)], fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def scan_pdf() -> bytes:
    """Return a PDF whose page is a scanned image, as a phone scanner app makes them."""
    image = Image.new("RGB", (1240, 1754), (250, 250, 250))
    ImageDraw.Draw(image).rectangle([(100, 100), (1100, 300)], fill=(20, 20, 120))
    out = io.BytesIO()
    image.save(out, "PDF", resolution=150)
    return out.getvalue()


def run_apart(work: Coroutine[object, object, T]) -> T:
    """Run a coroutine to its end on a thread of its own (a loop may run on this one)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()


async def _seed(target: Path | str) -> None:
    repository = await open_store(target)
    service = ConversationService(repository, clock=Clock(AS_OF_2020))
    ready = ScriptedUser(service, READY, sender=Sender.telegram("Nathalie_K"))
    await play(ready, claims.POLOGNE)
    for data, name in ((receipt_jpeg(), "facture.jpg"), (scan_pdf(), "ordonnance.pdf")):
        await ready.upload(data, name)
        await ready.press(ready.payloads[0])
    for _action, payload in claims.FINISH_WITHOUT_FILES:
        await ready.press(payload)
    await play(ScriptedUser(service, IN_PROGRESS, sender=Sender.telegram("paul_london")),
               claims.ROYAUME_UNI, until="stay.stay_start")
    blocked = ScriptedUser(service, BLOCKED, sender=Sender.telegram(None))
    await play(blocked, claims.POLOGNE, until="care.care_link")
    await blocked.press("a:care.care_link:militaire")
    await play(ScriptedUser(service, DOCUMENTS, sender=Sender.telegram(None)),
               claims.SCHEDULED_GERMANY)
    await repository.close()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.sqlite3"
    run_apart(_seed(path))
    return path


@pytest.fixture(scope="session")
def seeded_postgres(postgres_server) -> str:
    """The same seeded store in a PostgreSQL database, copied by each test (a template)."""
    url = run_apart(new_postgres_database(postgres_server))
    run_apart(_seed(url))
    return url.rsplit("/", 1)[1]


@pytest.fixture
def sqlite_console_store(seeded_template, tmp_path) -> Path:
    """A copy of the seeded SQLite file (for what only SQLite has: plans, the file itself)."""
    target = tmp_path / "bot.sqlite3"
    shutil.copy(seeded_template, target)
    return target


@pytest.fixture(params=["sqlite", "postgres"])
def console_store(request) -> Path | str:
    """A copy of the seeded store on each backend: an SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_console_store")
    return run_apart(new_postgres_database(request.getfixturevalue("postgres_server"),
                                           template=request.getfixturevalue("seeded_postgres")))


@pytest.fixture(scope="session")
def accounts() -> dict[str, Account]:
    return {
        "alice": Account(login="alice", role=Role.ADMIN,
                         password_hash=hash_password(PASSWORDS["alice"])),
        "victor": Account(login="victor", role=Role.VIEWER,
                          password_hash=hash_password(PASSWORDS["victor"])),
        "agnes": Account(login="agnes", role=Role.AGENT,
                         password_hash=hash_password(PASSWORDS["agnes"])),
    }


class FakeClock:
    """Monotonic seconds that tests move forward."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limiter_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def operator_settings() -> OperatorSettings:
    return OperatorSettings(_env_file=None, session_secret="test-secret-not-for-production",  # noqa: S106
                            page_size=20)


@pytest.fixture
def app(operator_settings, console_store, accounts, limiter_clock):
    return build_operator_app(operator_settings, console_store, accounts=accounts,
                              today=lambda: AS_OF_2020, clock=limiter_clock)


@pytest.fixture
async def client(app):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await app.state.console.close()


def csrf_of(html: str) -> str:
    """Return the anti-forgery token a page's form carries."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no csrf field in the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, login: str, password: str | None = None):
    """Sign in through the form, as a browser would; return the POST response."""
    page = await client.get("/operator/connexion")
    return await client.post("/operator/connexion", data={
        "login": login, "password": PASSWORDS.get(login, "") if password is None else password,
        "csrf": csrf_of(page.text), "suivant": ""})


@pytest.fixture
async def admin(client) -> httpx.AsyncClient:
    assert (await sign_in(client, "alice")).status_code == 303
    return client


@pytest.fixture
async def viewer(client) -> httpx.AsyncClient:
    assert (await sign_in(client, "victor")).status_code == 303
    return client


@pytest.fixture
async def agent(client) -> httpx.AsyncClient:
    assert (await sign_in(client, "agnes")).status_code == 303
    return client


async def rows_of(store: Path | str, sql: str,
                  params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Return the rows of a query on the store, on either backend."""
    repository = await open_store(store)
    try:
        return await repository.database.fetch(sql, params)
    finally:
        await repository.close()


def rows_now(store: Path | str, sql: str) -> list[tuple[object, ...]]:
    """``rows_of`` from synchronous code that may run inside an event loop (Playwright)."""
    return run_apart(rows_of(store, sql))


async def audit_rows(console_store: Path | str) -> list[tuple[object, ...]]:
    """Return (actor, action, reference, document_id, detail) of every audit row."""
    return await rows_of(console_store, "SELECT actor, action, reference, document_id, detail"
                                        " FROM audit ORDER BY id")
