"""Finding 3: an edited message is never ignored silently (issue 18, point 2).

Driven through the real Application on the fake Bot API: the edit is an ``edited_message``
update, as Telegram sends it.
"""

from __future__ import annotations

from tests.adapters.claim_script import POLOGNE
from tests.adapters.test_telegram_conversation import replay


async def test_an_edited_answer_is_offered_as_its_correction(running, service, user_factory):
    """Issue 18 (2): editing the birth date 1985 → 1995 is never ignored silently."""
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:6])
        await user.send("07/10/1985")
        birth_message = user.last_sent_id
        await user.send("Urgence médicale")
        await user.edit(birth_message, "07/10/1995")
        assert "07/10/1985 → 07/10/1995" in user.last_text
        await user.press("Oui, corriger")
        assert "prévus avant le départ" in user.last_text  # back where the user was
        raw = await service._repository.load(str(user.chat_id))
        assert '"beneficiary_birth_date":"1995-10-07"' in raw


async def test_an_edit_the_bot_cannot_place_says_how_to_change_an_answer(
        running, service, user_factory):
    async with running(service) as app:
        user = user_factory(app)
        await replay(user, POLOGNE[:3])
        await user.edit(user.last_sent_id or 1, "bonjour")
        assert "en fait" in user.last_text
