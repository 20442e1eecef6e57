"""RULES.md §8 scenarios at the evaluator level: route, documents and warnings."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain.claim import ClaimDraft
from bot.domain.eligibility import Evaluation, Level, PastClaim, evaluate, get_ruleset
from bot.domain.pack import render_next_steps

SELF = {"regime": "general", "nationality": "fr", "situation": "salarie",
        "beneficiary_name": "MOI", "care_context": "Urgence médicale", "care_link": "maladie"}
# [001] UK and Pologne samples share the stay and the hospitalisation.
SAMPLE_STAY = {"stay_reason": "tourisme", "stay_start": date(2020, 9, 22),
               "stay_end": date(2020, 9, 28), "hospitalised": "oui",
               "hospital_start": date(2020, 9, 26), "hospital_end": date(2020, 9, 27)}


def _run(today: date, history: tuple[PastClaim, ...] = (), **answers: Any) -> Evaluation:
    return evaluate(ClaimDraft(**{**SELF, **answers}), today=today, history=history)


def _docs(evaluation: Evaluation) -> dict[str, Level]:
    return {d.category: d.level for d in evaluation.documents}


def _levels(evaluation: Evaluation) -> dict[str, Level]:
    return {f.rule_id: f.level for f in evaluation.findings}


def test_scenario_1_uk_unscheduled() -> None:
    evaluation = _run(date(2020, 10, 15), scheduled="non", amount=200, country="GB",
                      **SAMPLE_STAY)
    assert evaluation.route == "uk_unforeseen"
    assert not evaluation.blocking()
    assert _levels(evaluation)["ZON-04"] is Level.INFO  # tariff choice + partial refund
    assert _docs(evaluation) == {
        "facture": Level.BLOCK, "preuve_paiement": Level.BLOCK, "prescription": Level.WARN,
        "passeport": Level.WARN, "compte_rendu": Level.WARN,  # DIS-06
        "titre_transport": Level.BLOCK}
    assert "VAL-09" not in _levels(evaluation)


def test_scenario_1_as_of_2026_is_time_barred() -> None:
    evaluation = _run(date(2026, 1, 15), scheduled="non", country="GB", **SAMPLE_STAY)
    finding = next(f for f in evaluation.findings if f.rule_id == "VAL-09")
    assert finding.level is Level.WARN and "01/10/2022" in finding.text


def test_scenario_2_south_africa() -> None:
    answers = {"scheduled": "non", "country": "ZA", "stay_reason": "tourisme",
               "stay_start": date(2025, 5, 9)}
    # End date empty: the engine blocks (FRM-10); the evaluator already knows the route.
    before = _run(date(2025, 6, 1), **answers)
    assert before.route == "outside_flat_rate"
    evaluation = _run(date(2025, 6, 1), **answers, stay_end=date(2025, 5, 20),
                      hospitalised="non")
    assert evaluation.route == "outside_flat_rate"
    levels = _levels(evaluation)
    assert levels["ZON-08"] is Level.WARN and levels["ZON-09"] is Level.INFO
    assert "ZON-04" not in levels  # no tariff or partial-refund question (VAL-12)
    assert _docs(evaluation) == {
        "facture": Level.BLOCK, "preuve_paiement": Level.BLOCK, "prescription": Level.WARN,
        "passeport": Level.BLOCK, "compte_rendu": Level.BLOCK}
    hospitalised = _run(date(2025, 6, 1), **answers, stay_end=date(2025, 5, 20),
                        hospitalised="oui")
    assert _docs(hospitalised)["titre_transport"] is Level.BLOCK


def test_scenario_3_pologne() -> None:
    answers = {"beneficiary_name": "NATHALIE", "beneficiary_birth_date": date(1985, 10, 7),
               "situation": "etudiant", "scheduled": "non", "amount": "200.50",
               "care_link": "accident_tiers", "accident_date": date(2020, 8, 12),
               "country": "PL", "tariff": "francaise", "partial_refund": "oui", **SAMPLE_STAY}
    evaluation = _run(date(2020, 10, 12), **answers)
    assert evaluation.route == "zone"
    assert _docs(evaluation) == {
        "facture": Level.BLOCK, "preuve_paiement": Level.BLOCK, "prescription": Level.WARN,
        "titre_transport": Level.BLOCK, "releve_etranger": Level.WARN}
    accident = next(f for f in evaluation.findings if f.key == "VAL-06")
    assert accident.level is Level.WARN and "41" in accident.text  # DIS-12: never a BLOCK
    assert _levels(evaluation)["DOC-08"] is Level.INFO  # third party: report within 15 days
    assert "VAL-09" in _levels(_run(date(2026, 1, 15), **answers))


def test_scenario_4_spain_private_clinic() -> None:
    evaluation = _run(date(2025, 6, 1), scheduled="non", amount=350, country="ES",
                      sector="prive", stay_end=date(2025, 5, 20), hospitalised="non")
    assert evaluation.route == "zone"
    assert _levels(evaluation)["ZON-11"] is Level.WARN  # suggest the French tariff
    required = {c for c, level in _docs(evaluation).items() if level is Level.BLOCK}
    assert required == {"facture", "preuve_paiement"}


def test_scenario_5_greece_ceam_forgotten() -> None:
    evaluation = _run(date(2025, 6, 1), scheduled="non", amount=180, country="GR",
                      ceam="non", sector="public")
    assert evaluation.route == "zone"
    levels = _levels(evaluation)
    assert levels["ZON-04"] is Level.INFO and levels["EU-04"] is Level.INFO  # CPR next time


def test_scenario_6_germany_scheduled_surgery() -> None:
    answers = {"scheduled": "oui", "country": "DE", "hospitalised": "oui",
               "hospital_start": date(2025, 5, 2), "hospital_end": date(2025, 5, 5)}
    without = _run(date(2025, 6, 1), authorisation="non", **answers)
    assert [f.key for f in without.blocking()] == ["DOC-03.missing"]  # R160-2 I
    assert without.route == "not_this_service"
    with_s2 = _run(date(2025, 6, 1), authorisation="oui", **answers)
    assert with_s2.route == "scheduled_authorised" and not with_s2.blocking()
    docs = _docs(with_s2)
    assert docs["autorisation_prealable"] is Level.BLOCK
    assert docs["titre_transport"] is Level.BLOCK


def test_scenario_7_belgium_dental_directive() -> None:
    evaluation = _run(date(2025, 6, 1), scheduled="oui", authorisation="non", country="BE",
                      hospitalised="non")
    assert evaluation.route == "directive"
    assert "EU-09" in _levels(evaluation)
    assert {c for c, level in _docs(evaluation).items() if level is Level.BLOCK} == {
        "facture", "preuve_paiement"}
    assert "autorisation_prealable" not in _docs(evaluation)


def test_scenario_8_uk_scheduled() -> None:
    evaluation = _run(date(2025, 6, 1), scheduled="oui", authorisation="non", country="GB")
    assert evaluation.route == "not_this_service"
    assert [f.rule_id for f in evaluation.blocking()] == ["ZON-06"]  # VAL-11
    assert "caisse" in evaluation.blocking()[0].text


def test_scenario_12_guadeloupe() -> None:
    evaluation = _run(date(2025, 6, 1), scheduled="non", country="GP")
    assert [f.rule_id for f in evaluation.blocking()] == ["ZON-13"]
    assert "carte Vitale" in evaluation.blocking()[0].text


def test_scenario_17_family_of_three_in_italy() -> None:
    today = date(2025, 6, 2)
    first_two = (PastClaim(date(2025, 6, 2), "PARENT"), PastClaim(date(2025, 6, 2), "ENFANT 1"))
    third = _run(today, first_two, beneficiary_name="ENFANT 2", scheduled="non", country="IT")
    assert [f.rule_id for f in third.blocking()] == ["LIM-01"]
    assert "17/06/2025" in third.blocking()[0].text
    assert "LIM-02" in _levels(third)
    later = _run(date(2025, 6, 17), first_two, beneficiary_name="ENFANT 2", scheduled="non",
                 country="IT")
    assert not later.blocking()
    # After the second claim, the pack tells when the third one can go.
    second = _run(today, first_two[:1], beneficiary_name="ENFANT 1", scheduled="non",
                  country="IT")
    steps = render_next_steps(ClaimDraft(**SELF), second, today=today, history=first_two[:1])
    assert "17/06/2025" in steps


def test_scenario_20_long_context_is_the_engines() -> None:
    evaluation = _run(date(2025, 6, 1), care_context="x" * 250, scheduled="non", country="ES")
    assert all(f.field != "care_context" for f in evaluation.findings)
    assert "VAL-08" in get_ruleset().not_applicable


def test_scenario_22_hospitalisation_asks_for_the_ticket() -> None:
    evaluation = _run(date(2025, 6, 1), scheduled="non", country="PL", **SAMPLE_STAY)
    assert _docs(evaluation)["titre_transport"] is Level.BLOCK
    assert {"VAL-04", "VAL-05"} <= set(get_ruleset().not_applicable)  # the engine checks dates


def test_scenario_23_stay_end_in_future() -> None:
    evaluation = _run(date(2025, 6, 1), scheduled="non", country="ES",
                      stay_start=date(2025, 5, 25), stay_end=date(2025, 6, 15))
    finding = next(f for f in evaluation.findings if f.rule_id == "VAL-03")
    assert finding.level is Level.WARN and finding.field == "stay_end"
    assert not evaluation.blocking()  # a future stay start is the engine's BLOCK (VAL-03)


def test_scenario_25_military_condition_in_spain() -> None:
    evaluation = _run(date(2025, 6, 1), care_link="militaire", scheduled="non", country="ES")
    assert [f.rule_id for f in evaluation.blocking()] == ["LIM-03"]
    assert "CNMSS" in evaluation.blocking()[0].text
