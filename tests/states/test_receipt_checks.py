"""The receipt checks at step 4 (RCT-01…03) with real Tesseract on generated receipts.

POLOGNE declares 200,50 € for a stay from 22/09/2020 to 28/09/2020. The euros of a receipt
are its total divided by the ECB reference rate of its date (25/09/2020: 1 € = 36,781 THB),
rounded to the cent half up.
"""

from __future__ import annotations

from decimal import Decimal

from tests import claims
from tests.states.helpers import play, snapshot_of
from tests.states.test_amount_from_receipts import _receipt


async def _at_documents(user) -> None:
    await play(user, claims.POLOGNE)
    assert (await snapshot_of(user)).state == "documents"


async def test_a_total_far_from_the_declared_amount_is_said_once_with_a_fix(user):
    await _at_documents(user)
    await user.upload(_receipt("45,000.00", "25/09/2020"), "a.png")
    await user.press("cat:" + (await snapshot_of(user)).draft.documents[-1].id + ":facture")
    await user.press("nav:docs_done")
    # 45 000 THB / 36,781 = 1 223,46 €, more than 5 % away from 200,50 €.
    assert "Vos factures font 1223,46 €, mais vous avez déclaré 200,50 €" in user.text
    assert "rcpt:amount" in user.payloads
    await user.press("rcpt:amount")
    assert (await snapshot_of(user)).state == "care.amount"
    await user.send("1223,46")
    saved = await snapshot_of(user)
    assert saved.draft.amount == Decimal("1223.46") and saved.state == "documents"


async def test_a_total_close_to_the_declared_amount_says_nothing(user):
    await _at_documents(user)
    await user.upload(_receipt("7,500.00", "25/09/2020"), "a.png")  # 203,91 €: within 5 %
    doc_id = (await snapshot_of(user)).draft.documents[-1].id
    await user.press(f"cat:{doc_id}:facture")
    await user.press("nav:docs_done")
    assert "Vos factures font" not in user.text


async def test_a_receipt_outside_the_stay_is_said_when_it_arrives(user):
    await _at_documents(user)
    await user.upload(_receipt("7,500.00", "03/07/2020"), "a.png")
    assert "La facture du 03/07/2020 est datée en dehors de votre séjour " \
        "(22/09/2020 – 28/09/2020)" in user.text


async def test_the_same_receipt_twice_offers_to_remove_the_duplicate(user):
    await _at_documents(user)
    receipt = _receipt("7,500.00", "25/09/2020")
    await user.upload(receipt, "a.png")
    assert "deux fois" not in user.text
    await user.upload(receipt, "a-again.png")
    assert "Vous avez envoyé deux fois la même facture (document n°2)" in user.text
    second = (await snapshot_of(user)).draft.documents[1].id
    assert f"doc:remove:{second}" in user.payloads
    await user.press(f"doc:remove:{second}")  # removing erases: asked first (issue 14)
    assert "Retirer le document n°2" in user.text
    assert second in [d.id for d in (await snapshot_of(user)).draft.documents]
    await user.press(f"doc:erase:{second}")
    assert "Document retiré et effacé : n°2" in user.text
    kept = [d.id for d in (await snapshot_of(user)).draft.documents]
    assert kept and second not in kept
    stored = await user.service._repository.documents(user.chat_id, 1)
    assert [doc.id for doc in stored] == kept  # its files are gone from the store too
    await user.press(f"doc:erase:{second}")  # pressed again: nothing more to remove
    assert "ne correspond plus" in user.text
