"""Every kind of bad answer to every free-text question: a French message, nothing lost."""

from __future__ import annotations

import pytest

from tests import claims
from tests.states.helpers import play, snapshot_of

BAD_ANSWERS = [
    # (question, typed, words the French message must contain) — VAL-01, VAL-07, VAL-08…
    ("care.beneficiary_name", "12345", "lettres"),
    ("care.beneficiary_name", "   ", "vide"),
    ("care.beneficiary_name", "Anne" * 20, "trop long"),
    ("care.beneficiary_birth_date", "31/02/1985", "n'existe pas"),
    ("care.beneficiary_birth_date", "demain", "JJ/MM/AAAA"),
    ("care.beneficiary_birth_date", "01/01/2030", "pas possible"),
    ("care.beneficiary_birth_date", "01/01/1850", "pas possible"),
    ("care.care_context", "  ", "vide"),
    ("care.amount", "deux cents", "n'est pas un montant"),
    ("care.amount", "-20", "supérieur à zéro"),
    ("care.amount", "0,00", "supérieur à zéro"),
    ("care.amount", "12,345", "2 chiffres après la virgule"),
    ("care.amount", "200 USD 500 THB", "deux monnaies"),
    ("care.amount", "1000000", "999999,99"),
    ("care.accident_date", "32/08/2020", "JJ/MM/AAAA"),
    ("care.accident_date", "12/08/2021", "futur"),
    ("stay.country", "Atlantide", "Je ne trouve pas le pays"),
    ("stay.country", "zz", "Je ne trouve pas le pays"),
    ("stay.stay_start", "22/13/2020", "n'existe pas"),
    ("stay.stay_start", "22/09/2021", "futur"),
    ("stay.stay_end", "21/09/2020", "avant la date de début"),
    ("stay.stay_end", "bientôt", "JJ/MM/AAAA"),
    ("stay.hospital_start", "20/09/2020", "pendant le séjour"),
    ("stay.hospital_start", "29/09/2020", "pendant le séjour"),
    ("stay.hospital_end", "25/09/2020", "avant son début"),
    ("stay.hospital_end", "30/09/2020", "pendant le séjour"),
    ("personal.situation", "astronaute", "Je n'ai pas compris"),
    ("care.scheduled", "peut-être", "Je n'ai pas compris"),
]


@pytest.mark.parametrize(("question", "typed", "expected"), BAD_ANSWERS,
                         ids=[f"{q}:{t[:12]}" for q, t, _ in BAD_ANSWERS])
async def test_bad_answer_is_explained_and_nothing_is_lost(user, question, typed, expected):
    await play(user, claims.POLOGNE, until=question)
    before = await snapshot_of(user)
    await user.send(typed)
    assert expected in user.text
    after = await snapshot_of(user)
    assert after.state == question
    assert after.draft == before.draft
    # The same question is asked again, with its buttons when it has a list.
    assert user.buttons


async def test_too_long_context_offers_a_short_version(user):
    await play(user, claims.POLOGNE, until="care.care_context")
    long_text = "Douleur abdominale aiguë " * 10  # VAL-08: 250 characters
    await user.send(long_text)
    assert "180" in user.text
    assert "sugg:care.care_context" in user.payloads
    await user.press("sugg:care.care_context")
    snapshot = await snapshot_of(user)
    assert snapshot.state == "care.scheduled"
    assert snapshot.draft.care_context is not None
    assert 1 <= len(snapshot.draft.care_context) <= 180


async def test_same_day_hospitalisation_is_kept_with_a_warning(user):
    await play(user, claims.POLOGNE, until="stay.hospital_end")
    await user.send("26/09/2020")  # VAL-05: no night at the hospital
    assert "au moins une nuit" in user.text
    assert (await snapshot_of(user)).state == "documents"


@pytest.mark.parametrize(("question", "typed", "field", "value"), [
    ("personal.situation", "etudinat", "situation", "etudiant"),
    ("personal.situation", "je suis retraitée", "situation", "retraite"),
    ("personal.nationality", "FRANCAISE", "nationality", "fr"),
    ("care.scheduled", "Non merci", "scheduled", "non"),
    ("care.care_link", "2", "care_link", "accident_tiers"),
    ("stay.country", "Pologn", "country", "PL"),
    ("stay.country", "poland", "country", "PL"),
    ("stay.country", "pl", "country", "PL"),
])
async def test_typos_and_variants_are_understood(user, question, typed, field, value):
    await play(user, claims.POLOGNE, until=question)
    await user.send(typed)
    assert (await snapshot_of(user)).draft.value(field) == value


async def test_unknown_country_offers_close_names(user):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.send("Polognia")
    if "Je ne trouve pas" in user.text:
        assert "a:stay.country:PL" in user.payloads
    else:
        assert (await snapshot_of(user)).draft.country == "PL"
