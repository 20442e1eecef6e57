"""The transcript as the traveller saw it: labels, the choice made, files; the real channel."""

from __future__ import annotations

import io
import re

from bot.adapters.console import run_console
from bot.service import ConversationService
from bot.storage.stores import open_store
from tests.conftest import AS_OF_2020, Clock
from tests.operator.conftest import rows_of


def transcript_of(html: str) -> str:
    return html[html.index('id="transcript"'):html.index('id="trace"')]


async def test_buttons_show_their_labels_and_the_choice_made(admin):
    chat = transcript_of((await admin.get("/operator/conversations/1")).text)
    assert "nav:begin" not in chat and "a:personal" not in chat and "[bouton]" not in chat
    # The welcome offered its buttons; the traveller pressed the first.
    assert ('<ul class="keys"><li class="chosen" aria-current="true">✅ J&#39;accepte et je'
            " commence</li><li>ℹ️ Aide</li>") in chat
    assert '<span class="pressed">✅ J&#39;accepte et je commence</span>' in chat
    pressed = re.findall(r'data-chosen="([^"]+)"', chat)
    assert any(label.startswith("Étudiant") for label in pressed), pressed
    assert any("accident" in label.lower() for label in pressed), pressed


async def test_files_sent_show_their_names_and_thumbnails(admin):
    page = (await admin.get("/operator/conversations/1")).text
    chat = transcript_of(page)
    assert "📎 facture.jpg" in chat and "📎 ordonnance.pdf" in chat
    thumbs = re.findall(r'href="/operator/documents/([0-9a-f]+)/original/voir"><img', chat)
    shown = re.findall(r'id="doc-([0-9a-f]+)"', page)
    assert thumbs == shown  # each file tied to the document it became, in order
    assert "octets" not in chat
    # The traveller was given the reference to quote on the phone (recap, then the end).
    assert "Référence de votre demande : SE-000001-1" in chat
    assert "Votre dossier est prêt (SE-000001-1)" in chat


async def test_export_carries_the_labels_too(admin):
    data = (await admin.get("/operator/conversations/1/export.json")).json()
    first = data["transcript"][1]
    assert first["direction"] == "out" and "✅ J'accepte et je commence" in first["buttons"]
    assert any(line["chosen"].startswith("Étudiant") for line in data["transcript"])


async def test_the_channel_is_the_real_one(admin, console_store):
    telegram = (await admin.get("/operator/conversations/1")).text
    assert "Canal : Telegram · pseudo Telegram @Nathalie_K · identifiant Telegram 1001" in telegram
    repository = await open_store(console_store)
    try:
        service = ConversationService(repository, clock=Clock(AS_OF_2020))
        await run_console(service, chat_id="console", stdin=io.StringIO("1\ncpam\n"),
                          stdout=io.StringIO())
    finally:
        await repository.close()
    assert await rows_of(console_store, "SELECT channel, username FROM conversations"
                                        " WHERE chat_id = 'console'") == [("terminal", None)]
    terminal = (await admin.get("/operator/conversations/5")).text
    assert "Canal : Terminal</p>" in terminal
    assert "Telegram" not in terminal[terminal.index('id="trace"'):]
