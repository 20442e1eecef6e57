"""/metrics counts turns, their latency, Bot API calls and failures, documents, claims, jobs;
its labels never carry a chat id, a name or a text."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import timedelta
from typing import get_args

import pytest
from telegram.error import BadRequest

from bot.adapters.telegram import build_application
from bot.domain.io import UserInput
from bot.retention import run_retention
from bot.settings import Settings
from tests import claims
from tests.adapters.test_telegram_adapter import RecordingService
from tests.fakes.bot_api import FakeBotApi, FakeTelegram
from tests.operations.scrape import delta, scrape
from tests.operator.conftest import receipt_jpeg
from tests.states.helpers import play

LABEL_VALUES = {
    "input": {kind.__name__.lower() for kind in get_args(UserInput)},  # one per kind of input
    "status": {"in_progress", "ready", "blocked", "abandoned"},
    "outcome": {"ok", "failed"},
    "job": {"retention"},
    "source": {"jpeg", "png", "heif", "webp", "gif", "tiff", "bmp", "pdf", "mixed"},
}


async def test_a_claim_counts_its_turns_its_document_and_its_statuses(user):
    before, _ = await scrape()
    await play(user, claims.POLOGNE)
    await user.upload(receipt_jpeg(), "facture.jpg")
    await user.press(user.payloads[0])
    for _action, payload in claims.FINISH_WITHOUT_FILES:
        await user.press(payload)
    after, text = await scrape()

    turns = {kind: delta(before, after, "soins_turns_total", input=kind)
             for kind in LABEL_VALUES["input"]}
    assert turns["command"] == 1 and turns["upload"] == 1
    assert turns["press"] >= len(claims.FINISH_WITHOUT_FILES) + 1 and turns["text"] > 0
    assert delta(before, after, "soins_turn_seconds_count") == sum(turns.values())
    assert delta(before, after, "soins_turn_seconds_sum") > 0
    assert delta(before, after, "soins_documents_converted_total", source="jpeg") == 1
    assert 0 < delta(before, after, "soins_document_pdf_bytes_sum") <= 500_000
    assert delta(before, after, "soins_claims_total", status="in_progress") == 1
    assert delta(before, after, "soins_claims_total", status="ready") == 1

    typed = [value for action, value in claims.POLOGNE if action == "text"]
    assert user.chat_id not in text
    assert not [value for value in typed if len(value) > 3 and value in text]
    for (name, labels), _value in after.items():
        for label, value in labels:
            if name.startswith("soins_") and label in LABEL_VALUES:
                assert value in LABEL_VALUES[label], (name, label, value)


async def test_bot_api_calls_and_failures_are_counted_by_method():
    settings = Settings(_env_file=None, telegram_bot_token="123:TEST")  # noqa: S106
    application = build_application(settings, RecordingService(),
                                     request=FakeBotApi(FakeTelegram()))
    before, _ = await scrape()
    async with application:
        await application.bot.send_message(5, "bonjour")
        with pytest.raises(BadRequest):  # the fake Bot API knows no stickers
            await application.bot.send_sticker(5, "sticker-id")
    after, _ = await scrape()
    assert delta(before, after, "soins_bot_api_calls_total", method="sendMessage") == 1
    assert delta(before, after, "soins_bot_api_calls_total", method="sendSticker") == 1
    assert delta(before, after, "soins_bot_api_failures_total", method="sendSticker",
                 error="BadRequest") == 1
    assert delta(before, after, "soins_bot_api_failures_total", method="sendMessage",
                 error="BadRequest") == 0


async def _one_retention_run(repository) -> None:
    job = asyncio.create_task(run_retention(repository, timedelta(days=90)))
    await asyncio.sleep(0.3)  # the first purge runs at once, the next in six hours
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job


async def test_job_runs_are_counted_with_their_outcome(repository):
    before, _ = await scrape()
    await _one_retention_run(repository)
    await repository.close()
    await _one_retention_run(repository)  # a closed store: the purge fails, the job goes on
    after, _ = await scrape()
    assert delta(before, after, "soins_jobs_total", job="retention", outcome="ok") == 1
    assert delta(before, after, "soins_jobs_total", job="retention", outcome="failed") == 1


def test_several_workers_add_up_in_multiprocess_mode(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = ("import asyncio; from bot.observability import metrics\n"
             "async def turn():\n    async with metrics.timed_turn('Text'): pass\n"
             "asyncio.run(turn())")
    for _worker in range(3):
        subprocess.run([sys.executable, "-c", count], env=env, check=True)  # noqa: S603
    show = ("from bot.observability.metrics import exposition; import sys\n"
            "sys.stdout.write(exposition()[0].decode())")
    text = subprocess.run([sys.executable, "-c", show], env=env, check=True,  # noqa: S603
                          capture_output=True, text=True).stdout
    assert 'soins_turns_total{input="text"} 3.0' in text
    assert "soins_turn_seconds_count 3.0" in text
