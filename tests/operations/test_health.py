"""/healthz and /readyz answer without sign-in in every mode: beside the console, on the
webhook app, and in the real ``python -m bot`` process polling a loopback Bot API."""

from __future__ import annotations

import asyncio
import json
import time

import httpx

from bot.adapters.telegram import build_application
from bot.adapters.telegram_runtime import build_webhook_app
from bot.observability.http import operations_app
from bot.operator import OperatorSettings, build_operator_app
from bot.operator.accounts import Account, Role, hash_password
from bot.settings import Settings
from tests.adapters.test_telegram_adapter import RecordingService
from tests.adapters.test_telegram_http import free_port, start_bot, stop
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.fakes.bot_api_server import BotApiServer
from tests.operations.scrape import parse


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")


async def test_ready_while_the_store_answers_and_not_after(repository):
    app = operations_app(lambda: repository.load("readyz"))
    async with _client(app) as client:
        assert (await client.get("/healthz")).text == "ok"
        assert (await client.get("/readyz")).status_code == 200
        await repository.close()
        assert (await client.get("/healthz")).status_code == 200  # alive all the same
        assert (await client.get("/readyz")).status_code == 503


async def test_not_ready_without_a_store_nor_when_the_store_hangs():
    async def hangs() -> None:
        await asyncio.sleep(60)

    async with _client(operations_app(None)) as client:
        assert (await client.get("/readyz")).status_code == 503
    app = operations_app(hangs)
    async with _client(app) as client:
        started = time.monotonic()
        assert (await client.get("/readyz")).status_code == 503
        assert time.monotonic() - started < 30  # bounded by the probe's timeout


async def test_the_console_does_not_send_the_checks_to_sign_in(repository, tmp_path):
    settings = OperatorSettings(_env_file=None)
    accounts = {"alice": Account(login="alice", role=Role.ADMIN,
                                 password_hash=hash_password("correct horse battery"))}
    console = build_operator_app(settings, tmp_path / "bot.sqlite3", accounts=accounts)
    app = operations_app(lambda: repository.load("readyz"), console)
    async with app.router.lifespan_context(app), _client(app) as client:
        assert (await client.get("/healthz")).text == "ok"
        assert (await client.get("/readyz")).status_code == 200
        assert (await client.get("/metrics")).status_code == 200
        home = await client.get("/operator/")
        assert home.status_code == 303 and "/operator/connexion" in home.headers["location"]


async def test_the_webhook_app_serves_the_checks_and_the_metrics(repository):
    settings = Settings(_env_file=None, telegram_bot_token="123:TEST",  # noqa: S106
                        webhook_secret="s3cret")  # noqa: S106
    application = build_application(settings, RecordingService(albums=repository),
                                    request=FakeBotApi(FakeTelegram()))
    web = build_webhook_app(application, settings, probe=lambda: repository.load("readyz"))
    async with web.router.lifespan_context(web), _client(web) as client:
        assert (await client.get("/healthz")).text == "ok"
        assert (await client.get("/readyz")).status_code == 200
        metrics = await client.get("/metrics")
        assert ("soins_bot_api_calls_total", frozenset({("method", "getMe")})) in parse(
            metrics.text)


async def test_polling_serves_the_checks_and_logs_json_lines(tmp_path):
    port = free_port()
    with BotApiServer("123:TEST") as server:
        process = start_bot(server, tmp_path, "bot.log", PORT=str(port), LOG_FORMAT="json")
        try:
            base = f"http://127.0.0.1:{port}"
            async with httpx.AsyncClient(base_url=base, timeout=5) as client:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        ready = await client.get("/readyz")
                        if ready.status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    assert process.poll() is None and time.monotonic() < deadline
                    await asyncio.sleep(0.1)
                assert (await client.get("/healthz")).text == "ok"
                get_me = ("soins_bot_api_calls_total", frozenset({("method", "getMe")}))
                # Ready means the store answers; the first Bot API call may come just after.
                while get_me not in parse((await client.get("/metrics")).text):
                    assert process.poll() is None and time.monotonic() < deadline
                    await asyncio.sleep(0.1)
        finally:
            assert stop(process) == 0
    lines = (tmp_path / "bot.log").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["logger"].startswith("uvicorn") for r in records)  # the server's lines too
    assert any("polling" in r["message"] for r in records)
