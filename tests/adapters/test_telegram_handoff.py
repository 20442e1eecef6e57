"""A person in a Telegram chat, through real updates: ask, the bot quiet, an adviser, back.

The adviser's acts run on the same engine and store (as the console's do); what they say
reaches the phone through the outbox, delivered by the running application.
"""

from __future__ import annotations

import asyncio

from states.events import AgentReply, HandBack
from tests.adapters.claim_script import POLOGNE
from tests.adapters.test_telegram_conversation import SHARP, replay
from tests.fakes.images import make_jpeg
from tests.fakes.telegram_user import TelegramUser

AT_CARE_LINK = POLOGNE[:10]
"""Up to the amount: the bot asks what the care is linked to."""


async def arrives(user: TelegramUser, part: str, timeout: float = 10.0) -> str:
    """Wait until a message containing ``part`` reached the phone; return it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for call in user.telegram.sent(user.chat_id, "sendMessage"):
            if part in call.params["text"]:
                return str(call.params["text"])
        await asyncio.sleep(0.05)
    raise AssertionError(f"no message with {part!r}: {user.texts}")


async def test_an_adviser_answers_in_the_chat_and_hands_back(running, service, user_factory):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, AT_CARE_LINK)
        assert "liés à" in user.last_text
        await user.send("/conseiller")
        assert "va vous répondre ici" in user.last_text
        assert user.last_buttons == [("nav:handback", "🤖 Continuer avec l'assistant")]
        await user.send("Je ne sais pas quoi répondre, c'était une chute")
        assert user.texts == []  # for the person: the bot says nothing
        await user.send_photo(make_jpeg(1810, 2560, seed=3), sizes=SHARP)
        assert any("Document reçu" in text for text in user.texts)  # files: still filed
        chat = str(user.chat_id)
        assert await service.act(chat, AgentReply("alice", "Choisissez « accident »."))
        said = await arrives(user, "Choisissez")
        assert said == "👤 Conseiller·ère Assurance Maladie : Choisissez « accident »."
        assert await service.act(chat, HandBack("alice"))
        back = await arrives(user, "reprend votre demande")
        assert "liés à" in back  # the same question again
        await user.press("Un accident causé par un tiers")
        assert "Date de l'accident" in user.last_text


async def test_the_command_menu_offers_an_adviser(running, service, telegram):
    async with running(service):
        pass
    menus = [call.params for call in telegram.calls if call.method == "setMyCommands"]
    words = {command["command"] for menu in menus for command in menu["commands"]}
    assert {"conseiller", "adviser"} <= words
