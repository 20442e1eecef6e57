"""Amounts typed in a foreign currency at ``care.amount`` (issue 12 point 3, DIS-04).

Every expected euro amount is the typed amount divided by the ECB reference rate of the
date, written out here from the ECB's published figures, rounded to the cent half up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.claim import ForeignAmount
from tests import claims
from tests.states.helpers import play, snapshot_of

OK, FIX = "conv:ok", "conv:fix"


def _said(user) -> str:
    """Return the last turn's text without the narrow spaces grouping thousands."""
    return user.text.replace("\u202f", "")


async def _at_amount(user) -> None:
    await play(user, claims.POLOGNE, until="care.amount")


CONVERSIONS = [
    # (typed, date typed after the question or None, ECB rate of the day, its date, euros)
    ("45000 THB", "03/07/2020", "34,918", "03/07/2020", Decimal("1288.73")),
    ("£80", "03/07/2020", "0,9012", "03/07/2020", Decimal("88.77")),
    ("80 livres", "03/07/2020", "0,9012", "03/07/2020", Decimal("88.77")),
    ("1.234,5 zł", "01/09/2020", "4,3925", "01/09/2020", Decimal("281.05")),
    ("45000 THB le 03/07/2020", None, "34,918", "03/07/2020", Decimal("1288.73")),
]


@pytest.mark.parametrize(("typed", "paid", "rate", "rate_date", "eur"), CONVERSIONS,
                         ids=[c[0] for c in CONVERSIONS])
async def test_a_foreign_amount_is_converted_at_the_ecb_rate_of_the_day(
        user, typed, paid, rate, rate_date, eur):
    await _at_amount(user)
    await user.send(typed)
    if paid is not None:
        assert "À quelle date avez-vous payé" in user.text
        await user.send(paid)
    shown = f"{eur:.2f}".replace(".", ",")
    assert f"taux BCE du {rate_date}" in user.text and f"1 € = {rate} " in user.text
    assert shown in _said(user)
    assert "relevé bancaire vaut mieux" in user.text  # DIS-04, said once
    assert user.payloads[:2] == [OK, FIX]
    assert (await snapshot_of(user)).draft.amount is None  # nothing kept before « C'est juste »
    await user.press(OK)
    saved = await snapshot_of(user)
    assert saved.state == "care.care_link"
    assert saved.draft.amount == eur
    assert f"{eur:.2f}".replace(".", ",") in user.text  # the form's own format: 1288,73
    foreign = saved.draft.conversion()
    assert foreign is not None and foreign.eur == eur
    assert f"{foreign.rate:f}".replace(".", ",").rstrip("0") == rate.rstrip("0")


async def test_a_weekend_date_takes_the_last_rate_before_and_says_so(user):
    await _at_amount(user)
    await user.send("£80")
    await user.send("04/07/2020")  # a Saturday: the ECB's last rate is Friday's
    assert "ne publie pas de taux le 04/07/2020" in user.text
    assert "celui du 03/07/2020 (1 € = 0,9012 GBP)" in user.text
    assert "88,77" in user.text
    await user.press(OK)
    foreign = (await snapshot_of(user)).draft.conversion()
    assert foreign == ForeignAmount(amount=Decimal(80), currency="GBP", paid_on=date(2020, 7, 4),
                                    rate=Decimal("0.9012"), rate_date=date(2020, 7, 3),
                                    eur=Decimal("88.77"))


async def test_an_uncertain_dollar_offers_its_currencies(user):
    await _at_amount(user)
    await user.send("120 $")
    assert "conv:cur:USD" in user.payloads and "conv:cur:CAD" in user.payloads
    await user.press("conv:cur:CAD")
    await user.send("01/09/2020")
    assert "1 € = 1,56 CAD" in user.text and "76,92" in user.text
    await user.press(OK)
    assert (await snapshot_of(user)).draft.amount == Decimal("76.92")


async def test_a_currency_the_ecb_does_not_publish_asks_for_the_bank_statement(user):
    await _at_amount(user)
    await user.send("500 MAD")
    assert "ne peux pas convertir les MAD" in user.text
    saved = await snapshot_of(user)
    assert saved.state == "care.amount" and saved.conversion is None
    await user.send("45,10")  # the euros of the statement, as before
    saved = await snapshot_of(user)
    assert saved.draft.amount == Decimal("45.10") and saved.draft.conversion() is None


async def test_the_bank_statement_euros_may_replace_the_proposal(user):
    await _at_amount(user)
    await user.send("45000 THB le 03/07/2020")
    await user.send("1 290,12")
    saved = await snapshot_of(user)
    assert saved.state == "care.care_link"
    assert saved.draft.amount == Decimal("1290.12") and saved.draft.conversion() is None


async def test_correct_forgets_the_proposal_and_asks_again(user):
    await _at_amount(user)
    await user.send("45000 THB le 03/07/2020")
    await user.press(FIX)
    saved = await snapshot_of(user)
    assert saved.state == "care.amount" and saved.conversion is None
    assert "45000 THB" in user.text  # the example of what to type
    await user.send("£80 le 03/07/2020")
    assert "relevé bancaire vaut mieux" not in user.text  # said once only
    await user.press(OK)
    assert (await snapshot_of(user)).draft.amount == Decimal("88.77")


async def test_a_bad_payment_date_is_explained_and_asked_again(user):
    await _at_amount(user)
    await user.send("45000 THB")
    await user.send("32/07/2020")
    assert "À quelle date avez-vous payé" in user.text
    assert (await snapshot_of(user)).conversion is not None
    await user.send("03/07/2020")
    assert "1288,73" in _said(user)


async def test_a_stale_confirmation_does_nothing(user):
    await _at_amount(user)
    await user.send("45000 THB le 03/07/2020")
    await user.press("nav:back")
    await user.press(OK)
    saved = await snapshot_of(user)
    assert saved.draft.amount is None and saved.conversion is None


async def test_euros_are_read_as_before(user):
    await _at_amount(user)
    await user.send("200,50 €")
    saved = await snapshot_of(user)
    assert saved.state == "care.care_link" and saved.draft.amount == Decimal("200.50")
