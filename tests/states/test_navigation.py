"""Back, edit from the recap, cancel, restart, help, status, stale buttons, blocks."""

from __future__ import annotations

from datetime import date

from tests import claims
from tests.states.helpers import play, snapshot_of


async def test_back_shows_the_earlier_answer_and_keeps_it(user):
    await play(user, claims.POLOGNE, until="care.care_context")
    await user.send("/retour")
    assert (await snapshot_of(user)).state == "care.beneficiary_birth_date"
    assert "Réponse actuelle : 07/10/1985" in user.text
    await user.send("retour")  # typed, not only the command
    assert "Réponse actuelle : NATHALIE" in user.text
    assert (await snapshot_of(user)).draft.beneficiary_birth_date == date(1985, 10, 7)


async def test_back_from_first_question_says_so(user):
    await user.send("/start")
    await user.press("nav:begin")
    await user.send("/retour")
    assert "première question" in user.text


async def test_back_skips_questions_that_do_not_apply(user, clock):
    clock.today = date(2025, 6, 1)
    await play(user, claims.AFRIQUE_DU_SUD, until="stay.stay_reason")
    await user.press("nav:back")
    assert (await snapshot_of(user)).state == "stay.country"


async def _to_summary(user, script):
    await play(user, script)
    await user.press("nav:docs_done")
    await user.press("nav:docs_continue")
    assert (await snapshot_of(user)).state == "summary"


async def test_edit_country_from_recap_asks_only_what_the_change_needs(user, clock):
    clock.today = date(2025, 6, 1)
    await _to_summary(user, claims.AFRIQUE_DU_SUD)
    await user.press("nav:edit")
    await user.press("edit:step:3")
    await user.press("edit:q:stay.country")
    assert "Réponse actuelle : AFRIQUE DU SUD" in user.text
    await user.send("Espagne")
    # A zone country brings the CEAM, sector, tariff and partial refund questions (ZON-04).
    assert (await snapshot_of(user)).state == "stay.ceam"
    await user.send("oui")
    await user.send("privé")
    await user.press("a:stay.tariff:francaise")
    await user.send("non")
    snapshot = await snapshot_of(user)
    assert snapshot.state == "summary"
    assert snapshot.draft.stay_start == date(2025, 5, 9)  # untouched answers kept
    assert "ESPAGNE" in user.text and "La tarification française" in user.text


async def test_edit_a_plain_field_goes_straight_back_to_the_recap(user):
    await _to_summary(user, claims.POLOGNE)
    await user.press("nav:edit")
    await user.press("edit:step:2")
    await user.press("edit:q:care.amount")
    await user.send("250")
    snapshot = await snapshot_of(user)
    assert snapshot.state == "summary"
    assert "250,00" in user.text


async def test_edit_stay_start_after_hospitalisation_reasks_hospital_dates(user):
    await _to_summary(user, claims.POLOGNE)
    await user.press("nav:edit")
    await user.press("edit:step:3")
    await user.press("edit:q:stay.stay_start")
    await user.send("27/09/2020")  # the hospitalisation (26/09) no longer fits (VAL-04)
    snapshot = await snapshot_of(user)
    assert snapshot.state == "stay.hospital_start"
    assert snapshot.draft.stay_start == date(2020, 9, 27)
    await user.send("27/09/2020")
    assert (await snapshot_of(user)).state == "summary"


async def test_stale_button_gets_a_notice_and_the_current_question(user):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.press("a:personal.situation:retraite")
    assert "ne correspond plus" in user.text
    snapshot = await snapshot_of(user)
    assert snapshot.state == "care.amount"
    assert snapshot.draft.situation == "etudiant"
    await user.press("zz:nonsense")
    assert "ne correspond plus" in user.text


async def test_cancel_asks_confirmation_then_abandons(user):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/annuler")
    assert "Voulez-vous vraiment annuler" in user.text
    await user.press("nav:resume")
    assert (await snapshot_of(user)).state == "care.amount"
    await user.send("/annuler")
    await user.press("nav:cancel_yes")
    snapshot = await snapshot_of(user)
    assert (snapshot.state, snapshot.status) == ("cancelled", "abandoned")
    await user.press("nav:restart")
    snapshot = await snapshot_of(user)
    assert snapshot.state == "personal.regime"
    assert snapshot.draft.nationality is None


async def test_start_during_a_claim_offers_resume_or_restart(user):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/start")
    assert "demande en cours" in user.text
    assert user.payloads == ["nav:resume", "nav:restart_yes"]
    await user.press("nav:resume")
    assert "somme des frais médicaux" in user.text


async def test_help_and_where_am_i(user):
    await play(user, claims.POLOGNE, until="care.amount")
    await user.send("/aide")
    assert "/retour" in user.text and "virgule" in user.text
    await user.send("Où en suis-je ?")
    assert "Étape 2/5" in user.text
    assert (await snapshot_of(user)).state == "care.amount"


async def test_welcome_lists_documents_and_privacy_before_any_question(user):
    await user.send("/start")
    assert "factures acquittées" in user.text
    assert "preuves de paiement" in user.text.lower()
    assert "/supprimer" in user.text
    assert user.payloads[0] == "nav:begin"
    await user.send("Nathalie")  # nothing personal is taken before acceptance
    assert (await snapshot_of(user)).draft.beneficiary_name is None


async def test_uk_scheduled_care_blocks_and_keeps_answers(user):
    await play(user, claims.ROYAUME_UNI, until="care.scheduled")
    await user.send("oui")  # VAL-11 / ZON-06 decided once the country is known
    await user.press("a:care.authorisation:non")
    await user.send("300")
    await user.send("maladie")
    await user.send("Royaume-Uni")
    snapshot = await snapshot_of(user)
    assert snapshot.state == "blocked"
    assert snapshot.blocked is not None and snapshot.blocked.rule_id in ("ZON-06", "VAL-11")
    assert "inopinés" in user.text
    await user.press(f"why:{snapshot.blocked.rule_id}")
    assert user.text
    await user.press("nav:unblock")
    await user.send("Belgique")
    snapshot = await snapshot_of(user)
    assert snapshot.state == "stay.ceam"
    assert snapshot.draft.amount is not None


async def test_military_affection_blocks_toward_cnmss(user):
    await play(user, claims.POLOGNE, until="care.care_link")
    await user.press("a:care.care_link:militaire")
    assert (await snapshot_of(user)).state == "blocked"
    assert "CNMSS" in user.text


async def test_overseas_department_is_not_abroad(user):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.send("Guadeloupe")
    assert (await snapshot_of(user)).state == "blocked"
    assert "Vitale" in user.text


async def test_msa_is_sent_to_its_own_channel(user):
    await user.send("/start")
    await user.press("nav:begin")
    await user.send("MSA")
    assert (await snapshot_of(user)).state == "blocked"


async def test_a_warning_is_shown_once(user):
    await play(user, claims.POLOGNE, until="stay.stay_end")
    first = sum("41 jours" in r.text for r in user.replies)
    await user.send("/retour")
    await user.send("22/09/2020")
    assert sum("41 jours" in r.text for r in user.replies) == first == 1


async def test_family_member_claim_reuses_stay_data(user, repository):
    await play(user, claims.POLOGNE)
    for _action, value in claims.FINISH_WITHOUT_FILES:
        await user.press(value)
    assert "Votre dossier est prêt" in "\n".join(r.text for r in user.replies)
    await user.press("nav:new_family")
    snapshot = await snapshot_of(user)
    assert snapshot.state == "care.beneficiary_name"
    assert snapshot.claim_no == 2
    assert snapshot.draft.country == "PL" and snapshot.draft.stay_start == date(2020, 9, 22)
    assert snapshot.draft.amount is None


async def test_old_recap_button_cannot_skip_a_block_or_a_gap(user, clock):
    await _to_summary(user, claims.ROYAUME_UNI)
    await user.press("nav:edit")  # the edit menu carries « Revenir au récapitulatif »
    await user.press("edit:step:3")
    await user.press("edit:q:stay.country")
    await user.send("France")  # VAL-10: not abroad
    assert (await snapshot_of(user)).state == "blocked"
    await user.press("nav:summary")  # the old button of the edit menu
    assert "ne correspond plus" in user.text
    await user.press("nav:validate")
    snapshot = await snapshot_of(user)
    assert (snapshot.state, snapshot.status) == ("blocked", "blocked")


async def test_validate_with_a_missing_answer_asks_it_first(user):
    await _to_summary(user, claims.ROYAUME_UNI)
    await user.press("nav:edit")
    await user.press("edit:step:2")
    await user.press("edit:q:care.care_link")
    await user.press("a:care.care_link:accident_tiers")  # now the accident date is needed
    assert (await snapshot_of(user)).state == "care.accident_date"
    await user.press("nav:summary")  # an old button: refused, the question stays
    assert (await snapshot_of(user)).state == "care.accident_date"
    await user.send("25/09/2020")
    assert (await snapshot_of(user)).state == "summary"


async def test_rejected_edit_changes_nothing_else(user):
    await _to_summary(user, claims.POLOGNE)
    await user.press("nav:edit")
    await user.press("edit:step:3")
    await user.press("edit:q:stay.hospital_start")
    before = (await snapshot_of(user)).draft
    await user.send("30/09/2020")  # after the stay: refused (VAL-04)
    after = await snapshot_of(user)
    assert "pendant le séjour" in user.text
    assert after.draft == before and after.state == "stay.hospital_start"


async def test_a_file_after_the_end_is_refused_with_a_reason(user, repository):
    await play(user, claims.POLOGNE)
    for _action, value in claims.FINISH_WITHOUT_FILES:
        await user.press(value)
    await user.upload(b"%PDF-1.4 not really", "oubli.pdf")
    assert "Cette demande est terminée" in user.text
    assert await repository.documents(user.chat_id, 1) == []


async def test_an_old_new_claim_button_does_not_wipe_the_next_claim(user):
    await play(user, claims.POLOGNE)
    for _action, value in claims.FINISH_WITHOUT_FILES:
        await user.press(value)
    await user.press("nav:new_family")
    await user.send("Léa")
    await user.press("nav:restart")  # from the first claim's closing message
    assert "ne correspond plus" in user.text
    assert (await snapshot_of(user)).draft.beneficiary_name == "Léa"


async def test_a_forged_country_code_is_refused(user):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.press("a:stay.country:ZZ")
    assert "Je ne trouve pas le pays" in user.text
    assert (await snapshot_of(user)).draft.country is None
    await user.press("a:stay.country:PL")
    assert (await snapshot_of(user)).draft.country == "PL"


async def test_typing_a_field_in_modifier_picks_it(user):
    """Issue 14 (2): in « Modifier → partie 2 », « montant » goes to the amount."""
    await play(user, claims.POLOGNE)
    await user.press("nav:docs_done")
    await user.press("nav:docs_continue")
    await user.press("nav:edit")
    await user.press("edit:step:2")
    await user.send("montant")
    assert (await snapshot_of(user)).state == "care.amount"
