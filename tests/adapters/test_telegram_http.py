"""End to end over real HTTP: the unmodified ``python -m bot`` process against a loopback Bot API.

The bot long-polls ``BotApiServer`` on 127.0.0.1 (random port), downloads the photos from
it, uploads the PDFs to it; halfway through the claim it is killed with SIGKILL and
restarted, and the user carries on at the same question.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adapters.claim_script import POLOGNE
from tests.adapters.test_telegram_conversation import play
from tests.fakes.bot_api_server import BotApiServer
from tests.fakes.telegram_user import RemoteTelegramUser

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123:TEST"  # noqa: S105 (a fake token for the fake API)
KILL_AFTER = next(i for i, step in enumerate(POLOGNE) if step[1] == "POLOGNE")
"""Kill the bot once it has asked the tariff question (after the country)."""


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    """A fake Bot API listening on 127.0.0.1."""
    with BotApiServer(TOKEN) as running:
        yield running


def start_bot(server: BotApiServer, tmp_path: Path, log_name: str) -> subprocess.Popen[bytes]:
    """Start ``python -m bot`` pointed at the fake API, logging to ``tmp_path``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        TELEGRAM_API_BASE_FILE_URL=server.base_file_url,
        DATABASE_PATH=str(tmp_path / "claims.sqlite3"),
        WEBHOOK_URL="",
        LOG_LEVEL="INFO",
        ALBUM_DELAY_SECONDS="0.3",
    )
    log = (tmp_path / log_name).open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen[bytes]) -> int:
    """Ask the bot to stop (SIGTERM), kill it if it lingers; return its exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            return process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait(timeout=5)


async def test_pologne_claim_over_http_survives_a_kill(server, tmp_path):
    user = RemoteTelegramUser(server)
    process = start_bot(server, tmp_path, "bot-1.log")
    try:
        for index, (action, argument, expected) in enumerate(POLOGNE):
            await play(user, action, argument)
            assert expected in "\n".join(user.texts), (action, argument, user.texts)
            if index == KILL_AFTER:
                question, buttons = user.last_text, user.last_buttons
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
                process = start_bot(server, tmp_path, "bot-2.log")
                await user.send("/recap")  # where am I? the same question, nothing lost
                assert "NATHALIE" in "\n".join(user.texts)
                assert question.endswith(user.last_text)
                assert user.last_buttons == buttons
        pdfs = user.documents
        assert pdfs and all(data.startswith(b"%PDF") for _, data in pdfs)
        menu = [c for c in server.telegram.calls if c.method == "setMyCommands"]
        assert [c["command"] for c in menu[0].params["commands"]][:3] == ["start", "aide",
                                                                         "retour"]
        assert stop(process) == 0  # SIGTERM: the turn in progress finishes, then a clean exit
    finally:
        stop(process)
        for log in sorted(tmp_path.glob("bot-*.log")):
            sys.stderr.write(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}\n")
