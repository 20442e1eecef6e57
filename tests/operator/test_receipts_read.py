"""The console shows, with each document, what the receipt reader read on it (issue 12)."""

from __future__ import annotations

import re

from bot.service import ConversationService
from bot.storage.stores import open_store
from tests import claims
from tests.conftest import AS_OF_2020, Clock
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play
from tests.states.test_amount_from_receipts import _receipt


async def test_the_document_shows_the_receipt_read_with_its_rate(admin, console_store):
    repository = await open_store(console_store)
    try:
        user = ScriptedUser(ConversationService(repository, clock=Clock(AS_OF_2020)), "2001")
        await play(user, claims.POLOGNE)
        await user.upload(_receipt("7,500.00", "25/09/2020"), "bangkok.png")
    finally:
        await repository.close()
    listing = (await admin.get("/operator/")).text
    numbers = sorted(int(n) for n in re.findall(r"/operator/conversations/(\d+)", listing))
    page = (await admin.get(f"/operator/conversations/{numbers[-1]}")).text
    assert "Lu sur la facture par l" in page
    # 7 500 THB / 36,781 (ECB reference rate of 25/09/2020) = 203,91 €.
    flat = page.replace("\u202f", " ")
    assert ("25/09/2020 · BANGKOK HOSPITAL · 7 500 THB · taux BCE du 25/09/2020 : "
            "1 € = 36,781 THB · 203,91 €") in flat
