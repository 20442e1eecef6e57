"""Whole claims through the engine, as a user would type them (seeds/001, RULES.md §8)."""

from __future__ import annotations

from datetime import date

from tests import claims
from tests.fakes.users import ScriptedUser
from tests.states.helpers import snapshot_of


async def play_rest(user: ScriptedUser) -> None:
    """Finish the Pologne claim from its 7th step, whatever the language."""
    for action, value in [*claims.POLOGNE[6:], *claims.FINISH_WITHOUT_FILES]:
        await (user.press(value) if action == "press" else user.send(value))


async def play(user: ScriptedUser, script: list[claims.Step]) -> None:
    """Replay a script, failing on any re-prompt (an answer the engine did not take)."""
    await user.send("/start")
    for action, value in script:
        if action == "press":
            assert value in user.payloads or value.startswith(("nav:", "crt:")), (
                value, user.payloads, user.text)
            await user.press(value)
        else:
            await user.send(value)
        assert "Je n'ai pas compris" not in user.text, (value, user.text)
        assert "Ce bouton ne correspond plus" not in user.text, (value, user.text)


async def test_pologne_reaches_documents_step_with_every_answer(user):
    await play(user, claims.POLOGNE)
    assert "Étape 4/5 · Document(s)" in user.text
    await user.send("/recap")
    recap = user.turn[0].text
    for expected in ("Française", "Étudiant / Stagiaire", "NATHALIE - 07/10/1985",
                     "Urgence médicale", "200,50", "Un accident causé par un tiers",
                     "12/08/2020", "POLOGNE", "La tarification française",
                     "Motif : Tourisme", "Du 22/09/2020 au 28/09/2020",
                     "Du 26/09/2020 au 27/09/2020"):
        assert expected in recap


async def test_pologne_recap_keeps_the_form_order(user):
    await play(user, claims.POLOGNE)
    await user.send("/recap")
    recap = user.turn[0].text
    labels = ["Indiquez votre nationalité", "Indiquez votre situation",
              "Indiquez la personne ayant bénéficié", "Précisez la raison des soins",
              "Les soins étaient-ils prévus", "Indiquez la somme des frais",
              "Les soins reçus sont liés à", "Date de l'accident",
              "Sélectionnez le pays", "Souhaitez-vous un remboursement",
              "Avez-vous reçu un remboursement partiel", "Motif et période du séjour",
              "Une hospitalisation a-t-elle été nécessaire", "Période de l'hospitalisation",
              "Les documents" if False else "Documents reçus"]
    positions = [recap.index(label) for label in labels]
    assert positions == sorted(positions)


async def test_outside_zone_skips_tariff_and_partial_refund(user, clock):
    clock.today = date(2025, 6, 1)
    await play(user, claims.AFRIQUE_DU_SUD)
    asked = "\n".join(r.text for r in user.replies)
    assert "Souhaitez-vous un remboursement des frais conformément" not in asked
    assert "remboursement partiel" not in asked
    assert "Étape 4/5" in user.text


async def test_zone_asks_tariff_then_partial_refund(user):
    await play(user, claims.ROYAUME_UNI)
    asked = "\n".join(r.text for r in user.replies)
    assert "Souhaitez-vous un remboursement des frais conformément" in asked
    assert "remboursement partiel" in asked
    assert "Période de l'hospitalisation : date de début" in asked


async def test_accident_date_asked_only_for_third_party_accident(user, clock):
    clock.today = date(2025, 6, 1)
    await play(user, claims.AFRIQUE_DU_SUD)
    assert "Date de l'accident" not in "\n".join(r.text for r in user.replies)


async def test_every_step_prompt_shows_its_number(user):
    await play(user, claims.POLOGNE)
    texts = "\n".join(r.text for r in user.replies)
    for number in (1, 2, 3, 4):
        assert f"Étape {number}/5" in texts


async def test_scheduled_care_with_authorisation_reaches_documents(user):
    await play(user, claims.SCHEDULED_GERMANY)
    assert "Étape 4/5" in user.text
    assert "Autorisation préalable" in user.text


async def test_detachment_asks_its_length(user):
    await play(user, claims.DETACHMENT_MOROCCO)
    asked = "\n".join(r.text for r in user.replies)
    assert "Combien de temps dure le détachement" in asked
    assert "Étape 4/5" in user.text


async def test_claim_becomes_ready_only_after_both_certifications(user, repository):
    """CRT-01, CRT-02 ticked on the recap by the user, as on the form; CRT-03 verbatim."""
    await play(user, claims.POLOGNE)
    await user.press("nav:docs_done")
    await user.press("nav:docs_continue")
    assert "Récapitulatif" in user.text
    assert "conserver les originaux" in user.text and "certifiez l'exactitude" in user.text
    assert "313-1 à 313-3" in user.text  # CRT-03 shown verbatim
    await user.press("nav:validate")
    assert "doit être cochée par vous-même" in user.text
    await user.press("crt:originals:oui")
    assert "crt:originals:non" in user.payloads  # ticked: the button now unticks it
    await user.press("nav:validate")
    assert "doit être cochée par vous-même" in user.text
    assert await repository.ready_claims(user.chat_id) == []
    await user.press("crt:accuracy:oui")
    await user.press("nav:validate")
    assert "est prêt" in user.text
    assert len(await repository.ready_claims(user.chat_id)) == 1


async def test_changing_an_answer_unticks_the_boxes(user):
    await play(user, claims.POLOGNE)
    await user.press("nav:docs_done")
    await user.press("nav:docs_continue")
    await user.press("crt:originals:oui")
    await user.press("crt:accuracy:oui")
    await user.press("nav:edit")
    await user.press("edit:step:2")
    await user.press("edit:q:care.amount")
    await user.send("250,00")
    assert "Récapitulatif" in user.text and "250,00" in user.text
    snapshot = await snapshot_of(user)
    assert not snapshot.draft.certified_originals and not snapshot.draft.certified_accuracy


async def test_the_end_is_short_and_the_answers_can_be_copied_one_by_one(user):
    """Issue 14 (5): at most 8 lines after the files; each field with a copy button."""
    await play(user, [*claims.POLOGNE, *claims.FINISH_WITHOUT_FILES])
    last = user.turn[-1]
    assert len(last.text.splitlines()) <= 8 and "SE-000001-1" in last.text
    await user.press("nav:copy_recap")
    assert len(user.turn) == 3  # one message per step of the form
    copies = {button.copy for reply in user.turn for button in reply.buttons}
    assert {"Française", "NATHALIE", "200,50", "POLOGNE", "22/09/2020"} <= copies
    assert all(button.copy for reply in user.turn for button in reply.buttons)


async def test_the_copied_values_are_the_forms_french_labels(user):
    await play(user, claims.POLOGNE[:6])
    await user.send("/langue")
    await play_rest(user)
    await user.press("nav:copy_recap")
    copies = {button.copy for reply in user.turn for button in reply.buttons}
    assert "Étudiant / Stagiaire" in copies and "Student / trainee" not in copies


async def test_why_explains_in_plain_words_and_keeps_the_buttons(user):
    """Issue 13 (5), issue 14 (7): no internal id, and the question stays one tap away."""
    await user.send("/start")
    for action, value in claims.POLOGNE:  # up to the first advice with « Pourquoi ? »
        await (user.press(value) if action == "press" else user.send(value))
        whys = [b.payload for r in user.turn for b in r.buttons if b.payload.startswith("why:")]
        if whys:
            break
    rule_ids = whys[0].removeprefix("why:").split(",")
    await user.press(whys[0])
    assert user.text.strip() and not any(rule_id in user.text for rule_id in rule_ids)
    assert any(b.payload == "nav:back" for b in user.buttons)
