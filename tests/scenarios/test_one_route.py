"""Issue 13, played as new users: what the chat, the checklist and the pack say is one answer.

Cases the §8 scenarios do not cover: a posted worker, a collectivité d'outre-mer with a
night in hospital, scheduled care in Switzerland, a short posting, a territory typed by name.
"""

from __future__ import annotations

from datetime import date

from bot.domain.io import Reply
from tests import claims
from tests.fakes.users import ScriptedUser
from tests.scenarios.conversation import finish, said
from tests.scenarios.test_rules_md_scenarios import checklist_shown
from tests.states.helpers import play, snapshot_of

CARE = [("text", "francaise"), ("text", "salarie"), ("text", "Lou"), ("text", "01/01/1990"),
        ("text", "Consultation en urgence")]
STAY = [("text", "tourisme"), ("text", "10/05/2025"), ("text", "20/05/2025")]


def _pack_steps(pack: list[Reply]) -> str:
    return next(r.text for r in pack if r.text.startswith("Prochaines étapes"))


async def test_a_posted_worker_is_told_actual_costs_only(user: ScriptedUser, clock) -> None:
    clock.today = date(2025, 6, 1)
    await play(user, claims.DETACHMENT_MOROCCO)
    chat = said(user)
    assert "frais réels" in chat and "forfaitaire" not in chat  # LIM-07, never ZON-08
    assert ("⬜ Le certificat de détachement prévu par la convention avec ce pays ou ce "
            "territoire (détachement de plus de 3 mois).") in checklist_shown(user)  # DOC-04
    steps = _pack_steps(await finish(user))
    assert "Votre parcours : Travailleur détaché" in steps and "forfaitaire" not in steps
    assert "À faire maintenant : Joignez le document de détachement" in steps


async def test_a_short_posting_needs_no_certificate(user: ScriptedUser, clock) -> None:
    clock.today = date(2025, 6, 1)
    script = [("press", "a:stay.detachment_length:court")
              if v == "a:stay.detachment_length:long" else (a, v)
              for a, v in claims.DETACHMENT_MOROCCO]
    await play(user, script)
    assert any("aucune attestation n'est demandée" in line for line in checklist_shown(user))


async def test_a_french_collectivity_asks_the_ticket_not_the_passport(user: ScriptedUser,
                                                                      clock) -> None:
    clock.today = date(2025, 6, 1)
    await play(user, [*claims.BEGIN, *CARE, ("text", "non"), ("text", "250"),
                      ("text", "maladie"), ("text", "Tahiti"), *STAY, ("text", "oui"),
                      ("text", "12/05/2025"), ("text", "14/05/2025")])
    shown = checklist_shown(user)
    assert "⬜ Titre de transport" in shown  # DOC-06
    assert not any("Passeport" in line or "passeport" in line for line in shown)  # DOC-05
    chat = said(user)
    assert "Collectivité d'outre-mer (Polynésie française)" in chat  # ZON-17, its own route
    assert "forfaitaire" not in chat


async def test_scheduled_care_in_switzerland_is_one_answer(user: ScriptedUser, clock) -> None:
    clock.today = date(2025, 6, 1)
    await play(user, [*claims.BEGIN, *CARE, ("text", "oui"), ("press", "a:care.authorisation:non"),
                      ("text", "900"), ("text", "maladie"), ("text", "Suisse"), ("text", "oui"),
                      ("text", "public"), ("press", "a:stay.tariff:francaise"), ("text", "non"),
                      ("press", "a:stay.stay_reason:soins"), ("text", "10/05/2025"),
                      ("text", "20/05/2025"), ("text", "non")])
    chat = said(user)
    assert "pas d'autorisation nécessaire" not in chat  # EU-08 belongs to the directive route
    assert "un refus est probable. Contactez votre caisse avant de faire la demande." in chat
    assert (await snapshot_of(user)).blocked is None


async def test_a_territory_typed_by_name_keeps_its_own_route(user: ScriptedUser, clock) -> None:
    clock.today = date(2025, 6, 1)
    await play(user, claims.POLOGNE, until="stay.country")
    await user.send("Ténérife")
    snapshot = await snapshot_of(user)
    assert snapshot.draft.country == "ES-CN"
    assert "ESPAGNE (CANARIES)" in user.text and "font partie de l'Union européenne" in user.text
