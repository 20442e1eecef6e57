"""RULES.md §8 « Test scenarios » played as conversations: real service, real SQLite, a user.

Each scenario checks three things the way the user meets them: the route (the evaluator on
the saved draft, and what the bot says), the checklist the documents step shows, and the
warnings and blocks said in the chat (texts, and rule ids in ``shown_rules`` / ``blocked``).
The clock is set to the scenario's "as-of" date.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.eligibility import evaluate
from tests import claims
from tests.conftest import Clock
from tests.fakes.users import ScriptedUser
from tests.scenarios.conversation import (
    AS_OF_2025,
    a4_portrait,
    finish,
    page_count,
    receipt_pdf,
    receipt_photo,
    said,
    upload_as,
)
from tests.states.helpers import play, snapshot_of

AS_OF_2026 = date(2026, 1, 15)
TARIFF_QUESTION = "Souhaitez-vous un remboursement des frais conformément à ?"
PARTIAL_REFUND_QUESTION = "Avez-vous reçu un remboursement partiel des soins"
# Engine bugs found by these scenarios (strict xfails until fixed).
INFO_NEVER_SAID = "bug: INFO findings ({rule}) are said neither in the chat nor in the pack"

# Each claim below answers every question of its route, in form order (tests/claims.py style).
SPAIN_PRIVATE_CLINIC: list[claims.Step] = [
    *claims.BEGIN,
    ("text", "francaise"),
    ("text", "salarie"),
    ("text", "Luc"),
    ("text", "01/01/1980"),
    ("text", "Otite pendant les vacances"),
    ("text", "non"),
    ("text", "350"),
    ("text", "maladie"),
    ("text", "Espagne"),
    ("text", "oui"),
    ("text", "clinique privée"),
    ("press", "a:stay.tariff:sejour"),
    ("text", "non"),
    ("text", "vacances"),
    ("text", "10/05/2025"),
    ("text", "20/05/2025"),
    ("text", "non"),
]

GREECE_CEAM_FORGOTTEN: list[claims.Step] = [
    *claims.BEGIN,
    ("text", "francaise"),
    ("text", "salarie"),
    ("text", "Sophie"),
    ("text", "14/02/1990"),
    ("text", "Chute en scooter, points de suture"),
    ("text", "non"),
    ("text", "180"),
    ("text", "accident"),
    ("text", "Grèce"),
    ("press", "a:stay.ceam:non"),
    ("text", "public"),
    ("press", "a:stay.tariff:sejour"),
    ("text", "non"),
    ("text", "tourisme"),
    ("text", "10/05/2025"),
    ("text", "20/05/2025"),
    ("text", "non"),
]

# Scenario 6 without the S2: the same knee surgery as tests/claims.SCHEDULED_GERMANY, stopped
# at « hospitalisation : oui » (3 nights: R160-2 I wants a prior authorisation).
GERMANY_WITHOUT_S2: list[claims.Step] = [
    ("press", "a:care.authorisation:non") if step == ("press", "a:care.authorisation:oui")
    else step
    for step in claims.SCHEDULED_GERMANY[:-2]
]

BELGIUM_DENTAL: list[claims.Step] = [
    *claims.BEGIN,
    ("text", "francaise"),
    ("text", "salarie"),
    ("text", "Hugo"),
    ("text", "22/11/1975"),
    ("text", "Soins dentaires programmés"),
    ("text", "oui"),
    ("press", "a:care.authorisation:non"),
    ("text", "900"),
    ("text", "autre"),
    ("text", "Belgique"),
    ("text", "oui"),
    ("text", "public"),
    ("press", "a:stay.tariff:francaise"),
    ("text", "non"),
    ("press", "a:stay.stay_reason:soins"),
    ("text", "12/05/2025"),
    ("text", "13/05/2025"),
    ("text", "non"),  # outpatient
]

ITALY_PARENT: list[claims.Step] = [
    *claims.BEGIN,
    ("text", "francaise"),
    ("text", "salarie"),
    ("text", "Marc"),
    ("text", "01/01/1980"),
    ("text", "Intoxication alimentaire"),
    ("text", "non"),
    ("text", "120"),
    ("text", "maladie"),
    ("text", "Italie"),
    ("text", "oui"),
    ("text", "public"),
    ("press", "a:stay.tariff:sejour"),
    ("text", "non"),
    ("text", "tourisme"),
    ("text", "10/05/2025"),
    ("text", "20/05/2025"),
    ("text", "non"),
]

# A child's claim after « Nouvelle demande » (nav:new_family): the stay is kept, so only the
# beneficiary, the care and the questions not kept are asked.
ITALY_CHILD = ["03/04/2015", "Intoxication alimentaire", "non", "80", "maladie", "non", "non"]


async def route_of(user: ScriptedUser, clock: Clock) -> str:
    """Return the route the evaluator gives the saved draft, as of the clock's day."""
    return evaluate((await snapshot_of(user)).draft, today=clock.today).route


def checklist_shown(user: ScriptedUser) -> list[str]:
    """Return the lines of the last checklist the bot showed (« Pièces à joindre »)."""
    text = next(r.text for r in reversed(user.replies) if "Pièces à joindre" in r.text)
    lines = text.split("Pièces à joindre\n", 1)[1].splitlines()
    return lines[: next(i for i, line in enumerate(lines) if line.startswith("Fichiers :"))]


# --- 1. [001 UK] ----------------------------------------------------------------------------
async def test_scenario_1_uk_unforeseen_care_as_of_october_2020(user, clock):
    await play(user, claims.ROYAUME_UNI)
    assert await route_of(user, clock) == "uk_unforeseen"
    assert TARIFF_QUESTION in said(user) and PARTIAL_REFUND_QUESTION in said(user)
    assert checklist_shown(user) == [
        "⬜ Facture", "⬜ Preuve de paiement", "⬜ Prescription (conseillé)",
        "⬜ Passeport (conseillé)", "⬜ Compte rendu médical (conseillé)",  # DIS-06
        "⬜ Titre de transport"]  # hospitalised 26/09–27/09
    snapshot = await snapshot_of(user)
    assert snapshot.state == "documents" and snapshot.blocked is None
    assert "VAL-09" not in snapshot.shown_rules and "prescrite" not in said(user)


async def test_scenario_1_uk_as_of_2026_warns_time_barred(user, clock):
    clock.today = AS_OF_2026
    await play(user, claims.ROYAUME_UNI)
    snapshot = await snapshot_of(user)
    assert "VAL-09" in snapshot.shown_rules
    assert "⚠️ Attention : la demande est probablement prescrite depuis le 01/10/2022" in said(
        user)
    assert snapshot.state == "documents" and snapshot.blocked is None  # a WARN, not a BLOCK
    assert await route_of(user, clock) == "uk_unforeseen"


# --- 2. [001 South Africa] ------------------------------------------------------------------
async def test_scenario_2_south_africa_needs_the_end_date_then_is_outside_zone(user, clock):
    clock.today = AS_OF_2025
    await play(user, claims.AFRIQUE_DU_SUD, until="stay.stay_end")
    # The ZON-08 message, said once the route is known: after the stay reason, since a posted
    # worker is refunded at actual cost instead (LIM-07).
    assert "ZON-08" in (await snapshot_of(user)).shown_rules
    assert "⚠️ Soins hors de la zone UE / EEE / Royaume-Uni / Suisse : le remboursement des " \
           "soins inopinés et urgents s'effectuera sur une base forfaitaire" in said(user)
    for empty in ("", "pas encore"):  # no end date: the claim cannot go on (FRM-10)
        await user.send(empty)
        snapshot = await snapshot_of(user)
        assert (snapshot.state, snapshot.draft.stay_end) == ("stay.stay_end", None)
        assert "format JJ/MM/AAAA" in user.text
    await user.send("20/05/2025")
    await user.send("non")
    assert await route_of(user, clock) == "outside_flat_rate"
    assert TARIFF_QUESTION not in said(user) and PARTIAL_REFUND_QUESTION not in said(user)
    assert checklist_shown(user) == [
        "⬜ Facture", "⬜ Preuve de paiement", "⬜ Prescription (conseillé)", "⬜ Passeport",
        "⬜ Compte rendu médical"]
    await user.send("/retour")  # hospitalised after all: the transport ticket is required
    assert (await snapshot_of(user)).state == "stay.hospitalised"
    for answer in ("oui", "12/05/2025", "14/05/2025"):
        await user.send(answer)
    assert checklist_shown(user)[-1] == "⬜ Titre de transport"
    assert await route_of(user, clock) == "outside_flat_rate"


# --- 3. [001 Pologne] -----------------------------------------------------------------------
async def test_scenario_3_pologne_with_nine_pdfs(user, clock):
    await play(user, claims.POLOGNE)
    snapshot = await snapshot_of(user)
    assert await route_of(user, clock) == "zone"
    assert snapshot.draft.tariff == "francaise"
    assert "VAL-06" in snapshot.shown_rules  # a WARN, never a BLOCK (DIS-12)
    assert "L'accident (12/08/2020) a eu lieu 41 jours avant le début du séjour" in said(user)
    assert checklist_shown(user) == [
        "⬜ Facture", "⬜ Preuve de paiement", "⬜ Prescription (conseillé)",
        "⬜ Titre de transport", "⬜ Relevé de remboursement étranger (conseillé)"]
    sorted_as = ["facture", "facture", "facture", "preuve_paiement", "preuve_paiement",
                 "preuve_paiement", "prescription", "titre_transport", "releve_etranger"]
    for number, category in enumerate(sorted_as, start=1):
        await upload_as(user, receipt_pdf(number), f"scan{number}.pdf", category)
    assert checklist_shown(user) == [
        "✅ Facture", "✅ Preuve de paiement", "✅ Prescription (conseillé)",
        "✅ Titre de transport", "✅ Relevé de remboursement étranger (conseillé)"]
    # Each merge is said when it happens (FIL-05, issue 14): 9 files sent, 5 to upload.
    assert "Vos 2 factures sont réunies dans 01_facture.pdf (2 pages)." in said(user)
    assert "Vos 3 preuves de paiement sont réunies dans 02_preuve_paiement.pdf (3 pages)." \
        in said(user)
    assert "Documents reçus : 9 · fichiers à déposer : 5." in user.text
    await user.press("nav:docs_done")
    # Before « Valider », the recap names the files the 9 documents make (DIS-08, issue 14).
    assert "Les documents : 9 reçu(s) → 5 fichier(s) à déposer (10 au plus) :" in user.text
    assert "• 01_facture.pdf : 3 documents réunis, 3 pages" in user.text
    pack = await finish(user)
    files = [a for r in pack for a in r.attachments][1:]
    recap = next(r.text for r in pack if "Récapitulatif" in r.text)
    # One file per category (FIL-05); the recap counts the files really sent.
    assert f"9 reçu(s) → {len(files)} fichier(s)" in recap and len(files) == 5
    assert "vos 9 documents, réunis en 5 fichier(s)" in "\n".join(r.text for r in pack)
    assert sum(page_count(f.data) for f in files) == 9


async def test_scenario_3_pologne_resumed_in_2026_is_time_barred_in_the_pack(user, clock):
    await play(user, claims.POLOGNE)
    clock.today = AS_OF_2026  # drafted in 2020, finished years later
    pack = await finish(user)
    steps = next(r.text for r in pack if r.text.startswith("Prochaines étapes"))
    assert "Points d'attention" in steps
    assert "prescrite depuis le 01/10/2022" in steps


async def test_scenario_3_third_party_accident_is_told_to_report_within_15_days(user):
    await play(user, claims.POLOGNE)
    await finish(user)
    assert "signalez-le à votre caisse dans les 15 jours" in said(user)


# --- 4. Spain, private clinic ---------------------------------------------------------------
async def test_scenario_4_spain_private_clinic_suggests_french_tariff(user, clock):
    clock.today = AS_OF_2025
    await play(user, SPAIN_PRIVATE_CLINIC)
    snapshot = await snapshot_of(user)
    assert await route_of(user, clock) == "zone"
    assert str(snapshot.draft.amount) == "350.00"
    assert "ZON-11" in snapshot.shown_rules
    assert "⚠️ Les soins du secteur privé ne sont pas couverts par la carte européenne (CEAM)" \
           in said(user)
    assert "choisissez plutôt « La tarification française »" in said(user)
    assert checklist_shown(user) == [
        "⬜ Facture", "⬜ Preuve de paiement", "⬜ Prescription (conseillé)"]


# --- 5. Greece, CEAM forgotten --------------------------------------------------------------
async def test_scenario_5_greece_ceam_forgotten_is_eligible_with_tariff_choice(user, clock):
    clock.today = AS_OF_2025
    await play(user, GREECE_CEAM_FORGOTTEN)
    snapshot = await snapshot_of(user)
    assert await route_of(user, clock) == "zone"
    assert TARIFF_QUESTION in said(user)
    assert (snapshot.state, snapshot.blocked, snapshot.draft.ceam) == ("documents", None, "non")
    assert checklist_shown(user) == [
        "⬜ Facture", "⬜ Preuve de paiement", "⬜ Prescription (conseillé)"]


async def test_scenario_5_greece_ceam_forgotten_is_told_about_the_cpr(user, clock):
    clock.today = AS_OF_2025
    await play(user, GREECE_CEAM_FORGOTTEN)
    await finish(user)
    assert "certificat provisoire de remplacement (CPR)" in said(user)


# --- 6. Germany, scheduled knee surgery, 3 nights -------------------------------------------
async def test_scenario_6_germany_surgery_without_s2_is_blocked(user, clock):
    await play(user, GERMANY_WITHOUT_S2)
    snapshot = await snapshot_of(user)
    assert (snapshot.state, snapshot.status) == ("blocked", "blocked")
    assert snapshot.blocked is not None and snapshot.blocked.rule_id == "DOC-03"
    assert "⛔ Une hospitalisation programmée dans l'UE / EEE / Suisse demande une autorisation " \
           "préalable de votre caisse (S2)" in user.text
    assert "refus est presque certain" in user.text
    assert await route_of(user, clock) == "not_this_service"
    assert user.payloads == ["why:DOC-03", "nav:unblock", "nav:person", "nav:restart"]


async def test_scenario_6_germany_surgery_with_s2_asks_for_it(user, clock):
    await play(user, claims.SCHEDULED_GERMANY)
    assert await route_of(user, clock) == "scheduled_authorised"
    assert (await snapshot_of(user)).blocked is None
    assert checklist_shown(user) == [
        "⬜ Facture", "⬜ Preuve de paiement", "⬜ Prescription (conseillé)",
        "⬜ Autorisation préalable", "⬜ Titre de transport"]


# --- 7. Belgium, scheduled outpatient dental care -------------------------------------------
async def test_scenario_7_belgium_dental_care_goes_by_the_directive(user, clock):
    clock.today = AS_OF_2025
    await play(user, BELGIUM_DENTAL)
    assert await route_of(user, clock) == "directive"
    snapshot = await snapshot_of(user)
    assert (snapshot.blocked, snapshot.draft.tariff) == (None, "francaise")
    assert checklist_shown(user) == [
        "⬜ Facture", "⬜ Preuve de paiement", "⬜ Prescription (conseillé)"]  # no S2 asked
    pack = await finish(user)
    steps = next(r.text for r in pack if r.text.startswith("Prochaines étapes"))
    assert "directive 2011/24/UE" in steps and "conditions françaises" in steps


# --- 8. UK, scheduled care ------------------------------------------------------------------
async def test_scenario_8_uk_scheduled_care_is_blocked(user, clock):
    await play(user, claims.ROYAUME_UNI, until="care.scheduled")
    for answer in ("oui", "non", "300", "maladie", "Royaume-Uni"):
        await user.send(answer)
    snapshot = await snapshot_of(user)
    assert snapshot.state == "blocked"
    assert snapshot.blocked is not None and snapshot.blocked.rule_id == "ZON-06"
    assert "⛔ Royaume-Uni : seuls les soins inopinés" in user.text
    assert "contactez votre caisse" in user.text
    assert await route_of(user, clock) == "not_this_service"


# --- 12. Guadeloupe -------------------------------------------------------------------------
async def test_scenario_12_guadeloupe_is_not_abroad(user, clock):
    await play(user, claims.POLOGNE, until="stay.country")
    await user.send("Guadeloupe")
    snapshot = await snapshot_of(user)
    assert snapshot.blocked is not None and snapshot.blocked.rule_id == "ZON-13"
    assert "utilisez la carte Vitale ou une feuille de soins, pas ce service" in user.text
    assert await route_of(user, clock) == "not_this_service"


# --- 17. Italy, a parent and two children ---------------------------------------------------
async def _child_claim(user: ScriptedUser, name: str) -> None:
    await user.press("nav:new_family")
    await user.send(name)
    for answer in ITALY_CHILD:
        await user.send(answer)
    assert (await snapshot_of(user)).state == "documents", user.text
    await finish(user)


async def test_scenario_17_third_family_claim_waits_15_days(user, clock, repository):
    clock.today = date(2025, 6, 2)
    await play(user, ITALY_PARENT)
    await finish(user)
    await _child_claim(user, "Léa")
    assert len(await repository.ready_claims(user.chat_id)) == 2
    await user.press("nav:new_family")
    await user.send("Tom")
    snapshot = await snapshot_of(user)
    assert snapshot.blocked is not None and snapshot.blocked.rule_id == "LIM-01"
    assert "⛔ Votre compte a déjà envoyé 2 demandes ces 15 derniers jours" in user.text
    assert "à partir du 17/06/2025" in user.text
    clock.today = date(2025, 6, 16)  # 14 days later: still inside the window
    await user.press("nav:unblock")
    await user.send("cpam")
    assert (await snapshot_of(user)).blocked is not None
    clock.today = date(2025, 6, 17)  # 15 days later: the third claim goes on
    await user.press("nav:unblock")
    await user.send("cpam")
    snapshot = await snapshot_of(user)
    assert (snapshot.state, snapshot.blocked) == ("care.beneficiary_birth_date", None)
    assert snapshot.draft.beneficiary_name == "Tom" and snapshot.draft.country == "IT"
    for answer in ITALY_CHILD:
        await user.send(answer)
    await finish(user)
    names = [name for _day, name in await repository.ready_claims(user.chat_id)]
    assert sorted(names) == ["Léa", "Marc", "Tom"]


async def test_scenario_17_second_claims_pack_says_when_the_third_is_possible(user, clock):
    clock.today = date(2025, 6, 2)
    await play(user, ITALY_PARENT)
    await finish(user)
    await _child_claim(user, "Léa")
    assert "Votre prochaine demande sera possible à partir du 17/06/2025" in user.text


# --- 18. Twelve receipt photos --------------------------------------------------------------
async def test_scenario_18_twelve_receipt_photos_fit_the_file_rules(user, clock):
    clock.today = AS_OF_2025
    await play(user, claims.AFRIQUE_DU_SUD)
    kinds = ["facture"] * 5 + ["preuve_paiement"] * 5 + ["prescription"] * 2
    for number, category in enumerate(kinds, start=1):
        await upload_as(user, receipt_photo(number), f"IMG_{number:04d}.jpg", category)
    assert "Documents reçus : 12" in user.text
    pack = await finish(user)
    files = [a for r in pack for a in r.attachments]
    assert files[0].filename == "00_recapitulatif.pdf"
    receipts = files[1:]
    assert len(receipts) <= 10  # FIL-01
    assert sum(page_count(f.data) for f in receipts) == 12  # no receipt lost
    assert len(receipts) < 12  # merged into multi-page PDFs (FIL-05)
    for file in files:
        assert len(file.data) <= 500_000, file.filename  # FIL-03
        assert a4_portrait(file.data), file.filename  # FIL-04
    assert "S3125" not in said(user)  # it fits: no paper form needed (FIL-06)


# --- 20. A 250-character context ------------------------------------------------------------
async def test_scenario_20_long_context_is_refused_with_a_short_version(user):
    await play(user, claims.POLOGNE, until="care.care_context")
    long_context = ("Chute dans l'escalier de l'hôtel à Cracovie le soir de l'arrivée, "
                    "douleur au poignet droit, radiographie aux urgences de l'hôpital "
                    "universitaire, plâtre posé puis contrôle deux jours plus tard chez un "
                    "orthopédiste de la ville avant le retour à Paris.")
    assert len(long_context) == 250
    await user.send(long_context)
    snapshot = await snapshot_of(user)
    assert (snapshot.state, snapshot.draft.care_context) == ("care.care_context", None)
    assert "Votre texte fait 250 caractères ; le formulaire en accepte 180 au plus" in user.text
    assert "sugg:care.care_context" in user.payloads
    short = snapshot.suggestion
    assert short is not None and len(short) <= 180 and f"« {short} »" in user.text
    await user.press("sugg:care.care_context")
    snapshot = await snapshot_of(user)
    assert (snapshot.state, snapshot.draft.care_context) == ("care.scheduled", short)


# --- 22. Hospitalisation dates --------------------------------------------------------------
async def test_scenario_22_hospitalisation_after_the_stay_is_refused(user):
    await play(user, claims.POLOGNE, until="stay.hospital_start")
    await user.send("29/09/2020")  # the stay ends 28/09/2020
    snapshot = await snapshot_of(user)
    assert (snapshot.state, snapshot.draft.hospital_start) == ("stay.hospital_start", None)
    assert "L'hospitalisation doit avoir eu lieu pendant le séjour" in user.text


async def test_scenario_22_same_day_hospitalisation_is_warned(user):
    await play(user, claims.POLOGNE, until="stay.hospital_start")
    await user.send("26/09/2020")
    await user.send("26/09/2020")
    snapshot = await snapshot_of(user)
    assert "⚠️ Une hospitalisation suppose au moins une nuit à l'hôpital" in user.text
    assert "répondez « Non »" in user.text
    assert snapshot.state == "documents"  # a WARN keeps the answer
    assert snapshot.draft.hospital_end == date(2020, 9, 26)


# --- 23. Stay dates in the future -----------------------------------------------------------
async def test_scenario_23_stay_start_in_the_future_is_refused(user, clock):
    await play(user, claims.POLOGNE, until="stay.stay_start")
    await user.send((clock.today + timedelta(days=5)).strftime("%d/%m/%Y"))
    snapshot = await snapshot_of(user)
    assert (snapshot.state, snapshot.draft.stay_start) == ("stay.stay_start", None)
    assert "Cette date est dans le futur" in user.text


async def test_scenario_23_stay_end_in_the_future_says_file_after_return(user):
    await play(user, claims.POLOGNE, until="stay.stay_end")
    await user.send("30/10/2020")  # as of 15/10/2020: still abroad
    snapshot = await snapshot_of(user)
    assert snapshot.state == "stay.hospitalised"  # a WARN keeps the answer
    assert "VAL-03" in snapshot.shown_rules and snapshot.blocked is None
    assert "⚠️ Votre séjour se termine le 30/10/2020 : il vaut mieux faire la demande après " \
           "votre retour" in user.text


# --- 25. Former soldier, service injury, in Spain -------------------------------------------
async def test_scenario_25_military_condition_goes_to_the_cnmss(user, clock):
    # « Les soins reçus sont liés à » comes before the country: Spain is never asked.
    await play(user, SPAIN_PRIVATE_CLINIC, until="care.care_link")
    await user.press("a:care.care_link:militaire")
    snapshot = await snapshot_of(user)
    assert snapshot.blocked is not None and snapshot.blocked.rule_id == "LIM-03"
    assert "contactez la Caisse nationale militaire de sécurité sociale (CNMSS)" in user.text
    assert await route_of(user, clock) == "not_this_service"
