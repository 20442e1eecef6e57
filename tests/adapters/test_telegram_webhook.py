"""Webhook mode: the Starlette app checks Telegram's secret, queues updates, stops cleanly."""
# ruff: noqa: S105, S106  (fake token and secret)

from __future__ import annotations

import asyncio

import httpx

from bot.adapters.telegram import build_application
from bot.adapters.telegram_runtime import build_webhook_app, webhook_path
from bot.settings import Settings
from tests.adapters.test_telegram_adapter import RecordingService
from tests.fakes.bot_api import FakeBotApi, FakeTelegram


def _update(update_id: int, text: str) -> dict[str, object]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_700_000_000, "text": text,
        "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "is_bot": False, "first_name": "N"}}}


async def test_webhook_checks_the_secret_and_answers_through_the_engine(repository):
    settings = Settings(_env_file=None, telegram_bot_token="123:TEST",
                        webhook_url="https://bot.example.org/", webhook_secret="s3cret")
    telegram, service = FakeTelegram(), RecordingService(albums=repository)
    application = build_application(settings, service, request=FakeBotApi(telegram))
    web = build_webhook_app(application, settings)
    transport = httpx.ASGITransport(app=web)
    async with web.router.lifespan_context(web), httpx.AsyncClient(
        transport=transport, base_url="http://127.0.0.1"
    ) as client:
        path = webhook_path(settings)
        assert path == "/telegram/s3cret"
        refused = await client.post(path, json=_update(1, "intrus"))
        assert refused.status_code == 403
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        accepted = await client.post(path, json=_update(2, "bonjour"), headers=headers)
        assert accepted.status_code == 200
        assert (await client.get("/healthz")).text == "ok"
        for _ in range(100):
            if telegram.sent(5, "sendMessage"):
                break
            await asyncio.sleep(0.02)
    assert [i.text for i in service.received] == ["bonjour"]
    (hook,) = [c for c in telegram.calls if c.method == "setWebhook"]
    assert hook.params["url"] == "https://bot.example.org/telegram/s3cret"
    assert hook.params["secret_token"] == "s3cret"
    assert not application.running  # the lifespan's end stopped it
