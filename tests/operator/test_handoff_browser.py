"""The front office end to end: a traveller on the fake Bot API, an adviser in Chromium.

The unmodified ``python -m bot`` process long-polls the loopback Bot API and serves the
console beside it; the traveller's updates are pushed to the Bot API, the adviser drives
Debian's headless Chromium (Playwright, ``executable_path``) against that console.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from tests.adapters.test_telegram_http import free_port, start_bot, stop
from tests.fakes.bot_api_server import BotApiServer
from tests.fakes.telegram_user import RemoteTelegramUser
from tests.operator.conftest import run_apart
from tests.operator.test_browser import CHROMIUM, browser, page  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium"),
]
TOKEN = "123:TEST"  # noqa: S105 (a fake token for the fake API)
PASSWORD = "mot-de-passe du front office"  # noqa: S105 (a test account's)


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[tuple[BotApiServer, str, Path]]:
    """The bot on the fake Bot API, serving the console; yield (server, console URL, store)."""
    digest = PasswordHasher().hash(PASSWORD)
    accounts = tmp_path / "operators.toml"
    accounts.write_text("".join(
        f'[[operator]]\nlogin = "{login}"\nrole = "{role}"\npassword_hash = "{digest}"\n'
        for login, role in (("agnes", "agent"), ("alice", "admin"))))
    port = free_port()
    with BotApiServer(TOKEN) as server:
        process = start_bot(server, tmp_path, "bot.log", OPERATOR_ACCOUNTS_FILE=str(accounts),
                            HOST="127.0.0.1", PORT=str(port),
                            ADVISER_HOURS="Mon-Sun 00:00-24:00")
        try:
            yield server, f"http://127.0.0.1:{port}", tmp_path / "claims.sqlite3"
        finally:
            stop(process)
            log = (tmp_path / "bot.log").read_text(errors="replace")
            print(log[-3000:])  # noqa: T201 (shown when the test fails)


def arrived(user: RemoteTelegramUser, part: str, timeout: float = 15.0) -> str:
    """Wait until a message with ``part`` reached the phone (sent from the outbox)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for call in user.telegram.sent(user.chat_id, "sendMessage"):
            if part in call.params["text"]:
                return str(call.params["text"])
        time.sleep(0.1)
    raise AssertionError(f"no message with {part!r} on the phone")


def sign_in(page, base: str, login: str) -> None:  # noqa: F811 (the fixture is named page)
    page.goto(f"{base}/operator/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_an_adviser_takes_answers_and_hands_back_a_traveller(bot, page):  # noqa: F811
    server, base, store = bot
    user = RemoteTelegramUser(server)
    run_apart(user.send("/start"))
    run_apart(user.press("J'accepte et je commence"))
    run_apart(user.press("Régime général"))
    assert "nationalité" in user.last_text
    run_apart(user.send("/conseiller"))
    assert "va vous répondre ici" in user.last_text
    # For the person now: the bot stays quiet, so nothing is awaited.
    server.push({"message": user._message(text="Bonjour, je suis binational")})

    sign_in(page, base, "agnes")
    page.click("header >> text=File d'attente")
    row = page.locator("#queue tbody tr", has_text="SE-000001-1")
    row.wait_for()
    assert "à traiter" in row.inner_text()
    row.locator("button", has_text="Prendre").click()
    assert page.locator("h1").inner_text() == "Demande SE-000001-1"
    assert "pris par agnes" in page.locator("#handoff-status").inner_text()
    page.locator("#transcript .bubble.in", has_text="je suis binational").wait_for()

    page.fill("#reply-text", "Choisissez la nationalité française.")
    page.click("#reply button[type=submit]")
    said = arrived(user, "Choisissez")
    assert said == "👤 Conseiller·ère Assurance Maladie : Choisissez la nationalité française."
    assert page.locator("#transcript .bubble.agent", has_text="Choisissez").count() == 1
    assert "Conseiller·ère agnes" in page.locator("#transcript .bubble.agent").inner_text()

    # The traveller answers: it shows in the open page without reloading.
    server.push({"message": user._message(text="Merci beaucoup !")})
    page.locator("#transcript .bubble.in", has_text="Merci beaucoup").wait_for(timeout=15_000)

    page.fill("#note-text", "Binational : vérifier le régime")
    page.click("#note button[type=submit]")
    assert "Binational : vérifier le régime" in page.locator("#notes").inner_text()
    page.select_option("select[name=statut]", "awaiting_user")
    page.click("text=Changer le statut")
    assert "en attente de l'usager" in page.locator("#handoff-status").inner_text()

    page.click("#hand-back")
    back = arrived(user, "reprend votre demande")
    assert "nationalité" in back  # the same question, asked again
    assert "assistant mène la conversation" in page.locator("#handoff-status").inner_text()
    run_apart(user.press("Française"))
    assert "situation" in user.last_text  # the bot answers again, where it was
    phone = [call.params.get("text", "") for call in server.telegram.calls]
    assert not any("Binational" in text for text in phone)  # notes stay private

    page.click("text=Se déconnecter")
    sign_in(page, base, "alice")
    page.click("text=Journal d'audit")
    audit = page.locator("#audit").inner_text()
    for action in ("Conversation prise", "Réponse envoyée", "Note ajoutée", "Statut changé",
                   "Main rendue à l'assistant", "File d'attente consultée"):
        assert action in audit, action
    assert store.exists()
