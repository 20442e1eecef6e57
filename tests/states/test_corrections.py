"""Issue 14 (3): a typed correction is applied to its field after one tap, anywhere."""

from __future__ import annotations

from datetime import date

from bot.domain.corrections import read_correction
from tests import claims
from tests.states.helpers import play, snapshot_of


def test_a_correction_is_told_from_an_answer():
    assert read_correction("en fait c'était le 12 mai").value == "12 mai"
    assert read_correction("je me suis trompé, c'est l'Espagne").value == "Espagne"
    assert read_correction("actually it was Spain").value == "Spain"
    found = read_correction("correction : la date de naissance 07/10/1986")
    assert "beneficiary_birth_date" in found.named_fields
    assert read_correction("Pologne") is None and read_correction("non") is None
    assert not read_correction("non merci").strong


async def test_a_country_corrected_later_is_confirmed_then_the_stay_goes_on(user):
    await play(user, claims.POLOGNE, until="stay.stay_start")
    await user.send("je me suis trompé, c'est l'Espagne")
    assert "POLOGNE → ESPAGNE" in user.text
    assert (await snapshot_of(user)).draft.country == "PL"  # nothing changed before the tap
    await user.press("fix:stay.country")
    snapshot = await snapshot_of(user)
    assert snapshot.draft.country == "ES"
    assert snapshot.state == "stay.stay_start"  # back where the user was
    assert "C'est corrigé" in user.text


async def test_an_amount_corrected_from_the_recap_returns_to_the_recap(user):
    await play(user, claims.POLOGNE)
    await user.press("nav:docs_done")
    await user.press("nav:docs_continue")
    await user.send("non c'est 250,00 €")
    await user.press("fix:care.amount")
    snapshot = await snapshot_of(user)
    assert str(snapshot.draft.amount) == "250.00" and snapshot.state == "summary"


async def test_a_date_that_fits_several_answers_asks_which(user):
    await play(user, claims.POLOGNE, until="stay.hospitalised")
    await user.send("en fait c'était le 23/09/2020")
    offered = [b.payload for b in user.buttons]
    assert "fix:stay.stay_start" in offered and "fix:stay.stay_end" in offered
    assert "fix:care.beneficiary_birth_date" in offered
    await user.press("fix:stay.stay_start")
    assert (await snapshot_of(user)).draft.stay_start == date(2020, 9, 23)


async def test_a_named_field_is_corrected_without_asking_which(user):
    await play(user, claims.POLOGNE, until="stay.hospitalised")
    await user.send("en fait la date de fin c'est le 30/09/2020")
    assert user.buttons[0].payload == "fix:stay.stay_end"
    await user.press("fix:stay.stay_end")
    snapshot = await snapshot_of(user)
    assert snapshot.draft.stay_end == date(2020, 9, 30)
    assert snapshot.state == "stay.hospitalised"


async def test_a_correction_of_the_question_on_screen_is_its_answer(user):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.send("en fait c'est l'Espagne")
    assert (await snapshot_of(user)).draft.country == "ES"


async def test_an_unclear_correction_asks_which_answer_with_buttons(user):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.send("en fait je me suis trompé")
    assert "Quelle réponse voulez-vous corriger" in user.text
    await user.press("fix:care.amount")
    assert (await snapshot_of(user)).state == "care.amount"


async def test_a_plain_no_is_still_an_answer(user):
    await play(user, claims.POLOGNE, until="care.scheduled")
    await user.send("non merci")
    assert (await snapshot_of(user)).draft.scheduled == "non"


async def test_an_old_confirmation_does_nothing(user):
    await play(user, claims.POLOGNE, until="stay.stay_start")
    await user.press("fix:stay.country")
    assert "ne correspond plus" in user.text
    assert (await snapshot_of(user)).draft.country == "PL"
