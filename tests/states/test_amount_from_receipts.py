"""« 📷 Lire le montant sur mes factures »: real Tesseract on small generated receipts.

The expected euros are the total divided by the ECB reference rate of the earliest receipt's
date (03/07/2020: 1 € = 34,918 THB), rounded to the cent half up.
"""

from __future__ import annotations

import io
import random
from decimal import Decimal

from bench.receipt_texts import _paper
from tests import claims
from tests.states.helpers import play, snapshot_of

READ = "rcpt:read"


def _receipt(total: str, day: str, seed: int = 3) -> bytes:
    rows = [("BANGKOK HOSPITAL", None), (f"Date {day}", None), ("Doctor fee", total),
            ("TOTAL", f"{total} THB")]
    out = io.BytesIO()
    _paper(rows, "invoice", random.Random(seed)).convert("RGB").save(out, "PNG")
    return out.getvalue()


async def test_two_receipts_make_one_proposed_total_at_the_ecb_rate(user):
    await play(user, claims.POLOGNE, until="care.amount")
    assert READ in user.payloads
    await user.press(READ)
    assert "Envoyez vos factures" in user.text
    await user.upload(_receipt("30,000.00", "03/07/2020"), "a.png")
    assert "30\u202f000 THB le 03/07" in user.text
    await user.upload(_receipt("15,000.00", "04/07/2020", seed=5), "b.png")
    said = user.text.replace("\u202f", " ")
    assert "J'ai lu 2 facture(s) : 30 000 THB le 03/07 et 15 000 THB le 04/07, soit 45 000 THB" \
        in said
    assert "taux BCE du 03/07/2020 (1 € = 34,918 THB) : 1 288,73 €" in said
    await user.press("conv:ok")
    saved = await snapshot_of(user)
    assert saved.state == "care.care_link"
    assert saved.draft.amount == Decimal("1288.73")
    # Both files are documents for step 4, filed as invoices, with what was read.
    assert [d.category for d in saved.draft.documents] == ["facture", "facture"]
    assert saved.draft.documents[1].readings[0].amount == Decimal("15000.00")


async def test_a_receipt_read_unsurely_asks_for_the_amount(user):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.press(READ)
    blank = io.BytesIO()
    _paper([("Merci de votre visite", None)], "invoice", random.Random(1)).convert(
        "RGB").save(blank, "PNG")
    await user.upload(blank.getvalue(), "c.png")
    assert "Je n'ai pas pu lire sûrement" in user.text
    saved = await snapshot_of(user)
    assert saved.state == "care.amount" and saved.conversion is None
    assert len(saved.draft.documents) == 1  # kept as a document all the same
    await user.send("45000 THB le 03/07/2020")  # typing still works
    assert "1\u202f288,73" in user.text
