"""End to end over real HTTP: the unmodified ``python -m bot`` process against a loopback Bot API.

The bot long-polls ``BotApiServer`` on 127.0.0.1 (random port), downloads the photos from
it, uploads the PDFs to it; halfway through the claim it is killed with SIGKILL and
restarted, and the user carries on at the same question.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

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


def start_bot(
    server: BotApiServer, tmp_path: Path, log_name: str, **extra: str
) -> subprocess.Popen[bytes]:
    """Start ``python -m bot`` pointed at the fake API, logging to ``tmp_path``."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TELEGRAM_", "OPERATOR_"))}
    env["PORT"] = str(free_port())  # polling serves /healthz, /readyz, /metrics there
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        TELEGRAM_API_BASE_FILE_URL=server.base_file_url,
        DATABASE_PATH=str(tmp_path / "claims.sqlite3"),
        WEBHOOK_URL="",
        LOG_LEVEL="INFO",
        ALBUM_DELAY_SECONDS="0.3",
    )
    env.update(extra)
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


def console_env(tmp_path: Path) -> dict[str, str]:
    """Return the settings that make the bot serve the operator console on a free port."""
    accounts = tmp_path / "operators.toml"
    accounts.write_text(
        '[[operator]]\nlogin = "agent"\nrole = "viewer"\n'
        f'password_hash = "{PasswordHasher().hash("mot-de-passe")}"\n')
    return {"OPERATOR_ACCOUNTS_FILE": str(accounts), "HOST": "127.0.0.1",
            "PORT": str(free_port())}


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def check_console_shows_the_claim(port: int) -> None:
    """Sign in to the console served by the bot process and find the traveller's claim."""
    base = f"http://127.0.0.1:{port}/operator"
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        refused = await client.get("/")
        assert refused.status_code in (302, 303, 307)
        assert "/operator/connexion" in refused.headers["location"]
        form = await client.get("/connexion")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf is not None
        await client.post("/connexion", data={"csrf": csrf[1], "login": "agent",
                                               "password": "mot-de-passe", "suivant": "/"})
        found = await client.get("/", params={"q": "nathalie"})
        assert found.status_code == 200 and "NATHALIE" in found.text.upper()


async def test_pologne_claim_over_http_survives_a_kill(server, tmp_path):
    user = RemoteTelegramUser(server)
    console = console_env(tmp_path)  # served beside polling once the bot is restarted
    process = start_bot(server, tmp_path, "bot-1.log")
    try:
        for index, (action, argument, expected) in enumerate(POLOGNE):
            await play(user, action, argument)
            assert expected in "\n".join(user.texts), (action, argument, user.texts)
            if index == KILL_AFTER:
                question, buttons = user.last_text, user.last_buttons
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
                process = start_bot(server, tmp_path, "bot-2.log", **console)
                await user.send("/recap")  # where am I? the same question, nothing lost
                assert "NATHALIE" in "\n".join(user.texts)
                assert question.endswith(user.last_text)
                assert user.last_buttons == buttons
        pdfs = user.documents
        assert pdfs and all(data.startswith(b"%PDF") for _, data in pdfs)
        # Issue 14 (4): step 4's checklist is one message, edited in place as files are sorted.
        calls = server.telegram.calls
        shown = [c for c in calls if c.method == "sendMessage"
                 and "Pièces à joindre" in c.params["text"]]
        edited = [c for c in calls if c.method == "editMessageText"
                  and "Pièces à joindre" in c.params["text"]]
        assert len(shown) == 1 and len(edited) == 2
        assert "Documents reçus : 2 · fichiers à déposer : 2." in edited[-1].params["text"]
        menu = [c for c in server.telegram.calls if c.method == "setMyCommands"]
        assert [c["command"] for c in menu[0].params["commands"]][:3] == ["start", "aide",
                                                                         "retour"]
        await check_console_shows_the_claim(int(console["PORT"]))
        # Issue 14: /start on the finished claim begins a second one beside it, kept both.
        await user.send("/start")
        assert "Étape 1/5" in user.last_text  # privacy already accepted: the first question
        await user.send("/mes_demandes")
        listing = "\n".join(user.texts)
        assert "SE-000001-1" in listing and "NATHALIE" in listing and "prête" in listing
        # A traveller whose Telegram is in English is answered in English.
        english = RemoteTelegramUser(server, chat_id=888)
        english.user["language_code"] = "en"
        await english.send("/start")
        assert "Hello" in "\n".join(english.texts)
        assert stop(process) == 0  # SIGTERM: the turn in progress finishes, then a clean exit
    finally:
        stop(process)
        for log in sorted(tmp_path.glob("bot-*.log")):
            sys.stderr.write(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}\n")
