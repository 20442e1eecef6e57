"""The summary PDF says how the euros were made: the baht typed and its ECB rate, and each
receipt read (issue 12 point 3). 45 000 THB / 34,918 (ECB, 03/07/2020) = 1 288,73 €;
7 500 THB / 36,781 (ECB, 25/09/2020) = 203,91 €."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests import claims
from tests.states.helpers import play
from tests.states.test_amount_from_receipts import _receipt

BAHT = [("text", "45000 THB le 03/07/2020") if step == ("text", "200,50 €") else step
        for step in claims.POLOGNE]


async def test_the_summary_pdf_lists_the_conversion_and_the_receipts_read(user):
    await play(user, BAHT[:BAHT.index(("text", "45000 THB le 03/07/2020")) + 1])
    await user.press("conv:ok")
    await play_rest(user)
    summary = next(a.data for r in user.replies for a in r.attachments)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(summary)).pages)
    flat = " ".join(text.replace("\u202f", " ").split())
    assert ("45 000 THB payés le 03/07/2020, au taux de référence BCE du 03/07/2020 "
            "(1 € = 34,918 THB) = 1 288,73 €") in flat
    assert ("25/09/2020 · BANGKOK HOSPITAL · 7 500 THB · taux BCE du 25/09/2020 : "
            "1 € = 36,781 THB · 203,91 €") in flat


async def play_rest(user) -> None:
    """From the question after the amount to the end, with one receipt at step 4."""
    rest = BAHT[BAHT.index(("text", "45000 THB le 03/07/2020")) + 1:]
    for action, value in rest:
        await (user.press(value) if action == "press" else user.send(value))
    await user.upload(_receipt("7,500.00", "25/09/2020"), "a.png")
    doc_id = next(p for p in user.payloads if p.endswith(":facture")).split(":")[1]
    await user.press(f"cat:{doc_id}:facture")
    for _, value in claims.FINISH_WITHOUT_FILES:
        await user.press(value)
        if "rcpt:amount" in user.payloads:  # RCT-01: the receipts differ; go on anyway
            await user.press("nav:docs_done")
