"""One case where each rule fires and one where it stays quiet, by rule id (config/rules.toml)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.domain.claim import ClaimDraft
from bot.domain.eligibility import Level, PastClaim, evaluate, get_ruleset

TODAY = date(2025, 6, 1)
BASE: dict[str, Any] = {
    "regime": "general", "nationality": "fr", "situation": "salarie",
    "beneficiary_name": "NATHALIE", "care_context": "Urgence médicale", "scheduled": "non",
    "care_link": "maladie", "country": "ES", "stay_reason": "tourisme",
    "stay_start": date(2025, 5, 1), "stay_end": date(2025, 5, 10), "hospitalised": "non",
}
SCHEDULED = {"scheduled": "oui", "authorisation": "non"}
TWO_RECENT = (PastClaim(date(2025, 5, 20)), PastClaim(date(2025, 5, 28)))


def _keys(overrides: dict[str, Any], today: date = TODAY,
          history: tuple[PastClaim, ...] = ()) -> dict[str, Any]:
    evaluation = evaluate(ClaimDraft(**{**BASE, **overrides}), today=today, history=history)
    return {f.key: f for f in evaluation.findings}


# (rule key, overrides that fire it, overrides that keep it quiet, today, history)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], date, tuple[PastClaim, ...]]] = [
    ("LIM-01", {}, {}, TODAY, TWO_RECENT),
    ("LIM-02", {}, {"beneficiary_name": None}, TODAY, ()),
    ("LIM-03", {"care_link": "militaire"}, {}, TODAY, ()),
    ("LIM-04", {}, {"regime": "msa"}, TODAY, ()),
    ("LIM-05", {"regime": "msa"}, {}, TODAY, ()),
    ("LIM-08", {"situation": "frontalier_suisse", "country": "CH"},
     {"situation": "frontalier_suisse"}, TODAY, ()),
    ("DOC-08", {"care_link": "accident_tiers"}, {}, TODAY, ()),
    ("VAL-10", {"country": "FR"}, {}, TODAY, ()),
    ("ZON-13", {"country": "GP"}, {}, TODAY, ()),
    ("ZON-14", {"country": "MF"}, {}, TODAY, ()),
    ("ZON-06", {"country": "GB", **SCHEDULED}, {"country": "GB"}, TODAY, ()),
    ("ZON-04", {}, {"country": "ZA"}, TODAY, ()),
    ("ZON-03", {"country": "ES-CN"}, {"country": "ES"}, TODAY, ()),
    ("ZON-09", {"country": "ZA"}, {"country": "ZA", **SCHEDULED}, TODAY, ()),
    ("ZON-12", {"nationality": "autre", "country": "NO"}, {"country": "NO"}, TODAY, ()),
    ("ZON-15", {"country": "PF"}, {"country": "ZA"}, TODAY, ()),
    ("ZON-16", {"country": "NC"}, {"country": "WF"}, TODAY, ()),
    ("ZON-18.scheduled", {"country": "MC", **SCHEDULED}, {"country": "MC"}, TODAY, ()),
    ("ZON-20", {"country": "SM"}, {}, TODAY, ()),
    ("EU-06", {}, {"country": "ZA"}, TODAY, ()),
    ("EU-12", {"country": "ZA"}, {}, TODAY, ()),
    ("EU-07.advice", {"country": "CH", **SCHEDULED}, {"country": "DE", **SCHEDULED}, TODAY, ()),
    ("ZON-05", {"tariff": "francaise"}, {}, TODAY, ()),
    ("ZON-11", {"sector": "prive"}, {"sector": "public"}, TODAY, ()),
    ("EU-02", {"ceam": "non"}, {"ceam": "oui"}, TODAY, ()),
    ("EU-04", {"ceam": "non"}, {"ceam": "oui"}, TODAY, ()),
    ("VAL-06", {"accident_date": date(2025, 4, 1)}, {"accident_date": date(2025, 5, 2)},
     TODAY, ()),
    ("VAL-06.after_stay", {"accident_date": date(2025, 5, 20)},
     {"accident_date": date(2025, 5, 5)}, TODAY, ()),
    ("VAL-03", {"stay_end": date(2025, 6, 10)}, {}, TODAY, ()),
    ("VAL-09", {"stay_end": date(2020, 9, 28)}, {"stay_end": date(2020, 9, 28)},
     date(2022, 10, 1), ()),
    ("DOC-03.missing", {"country": "DE", **SCHEDULED, "hospitalised": "oui"},
     {"country": "DE", "scheduled": "oui", "authorisation": "oui", "hospitalised": "oui"},
     TODAY, ()),
    ("EU-08", {"country": "DE", **SCHEDULED},
     {"country": "DE", **SCHEDULED, "hospitalised": "oui"}, TODAY, ()),
    ("EU-10", {"country": "BE", **SCHEDULED}, {"country": "CH", **SCHEDULED}, TODAY, ()),
]
QUIET_TODAY = {"VAL-09": date(2022, 9, 30)}  # the day before the deadline 01/10/2022


@pytest.mark.parametrize(("key", "fires", "quiet", "today", "history"), CASES,
                         ids=[case[0] for case in CASES])
def test_rule_fires_and_stays_quiet(
    key: str, fires: dict[str, Any], quiet: dict[str, Any], today: date,
    history: tuple[PastClaim, ...],
) -> None:
    assert key in _keys(fires, today, history)
    assert key not in _keys(quiet, QUIET_TODAY.get(key, today), () if key == "LIM-01" else history)


def test_every_evaluated_rule_has_a_case() -> None:
    assert {r.key for r in get_ruleset().evaluated()} == {case[0] for case in CASES}


@pytest.mark.parametrize(
    ("key", "overrides", "field"),
    [
        ("ZON-06", {"country": "GB", **SCHEDULED}, "country"),  # VAL-11: the later answer
        ("LIM-01", {}, "regime"),
        ("LIM-03", {"care_link": "militaire"}, "care_link"),
        ("LIM-05", {"regime": "special"}, "regime"),
        ("ZON-13", {"country": "RE"}, "country"),
        ("DOC-03.missing", {"country": "AT", **SCHEDULED, "hospitalised": "oui"}, "hospitalised"),
        ("VAL-06", {"accident_date": date(2025, 4, 1)}, "stay_start"),
        ("VAL-03", {"stay_end": date(2025, 6, 10)}, "stay_end"),
    ],
    ids=["ZON-06", "LIM-01", "LIM-03", "LIM-05", "ZON-13", "DOC-03", "VAL-06", "VAL-03"],
)
def test_finding_names_the_field_that_raised_it(
    key: str, overrides: dict[str, Any], field: str
) -> None:
    finding = _keys(overrides, TODAY, TWO_RECENT if key == "LIM-01" else ())[key]
    assert finding.field == field


@pytest.mark.parametrize(
    "answers",
    [{"country": "GB"}, {"scheduled": "oui", "authorisation": "non"}, {}],
    ids=["ZON-06-country-only", "ZON-06-scheduled-only", "nothing-answered"],
)
def test_nothing_is_said_before_its_answers(answers: dict[str, Any]) -> None:
    evaluation = evaluate(ClaimDraft(**answers), today=TODAY)
    assert not evaluation.blocking()
    assert all(f.rule_id != "ZON-06" for f in evaluation.findings)


def test_empty_draft_is_unknown_and_only_asks_for_invoices() -> None:
    evaluation = evaluate(ClaimDraft(), today=TODAY)
    assert evaluation.route == "unknown"
    assert evaluation.findings == ()
    assert [d.category for d in evaluation.documents] == [
        "facture", "preuve_paiement", "prescription"]


def test_lim01_gives_the_first_allowed_date() -> None:
    finding = _keys({}, TODAY, TWO_RECENT)["LIM-01"]
    assert finding.level is Level.BLOCK
    assert "04/06/2025" in finding.text  # 20/05 + 15 days: the older claim leaves the window


def test_lim01_counts_a_rolling_window() -> None:
    old = (PastClaim(date(2025, 5, 17)), PastClaim(date(2025, 5, 28)))  # 15 days before today
    assert "LIM-01" not in _keys({}, TODAY, old)


def test_val09_deadline_is_the_quarter_after_plus_two_years() -> None:
    finding = _keys({"stay_end": date(2020, 9, 28)}, date(2026, 1, 1))["VAL-09"]
    assert "01/10/2022" in finding.text
    assert finding.level is Level.WARN


def test_why_names_the_source() -> None:
    finding = _keys({"care_link": "militaire"})["LIM-03"]
    assert "guide du téléservice ameli" in finding.why and "CNMSS" in finding.why
    assert "[001]" not in finding.why


def test_findings_come_in_english_too() -> None:
    draft = ClaimDraft(**{**BASE, "care_link": "militaire"})
    evaluation = evaluate(draft, today=TODAY, language="en")
    assert "contact the CNMSS" in evaluation.blocking()[0].text
    assert evaluation.route == "not_this_service"


ROUTES = [
    ("zone", {}),
    ("zone", {"country": "ES-CN"}),
    ("uk_unforeseen", {"country": "GB"}),
    ("outside_flat_rate", {"country": "ZA"}),
    ("outside_flat_rate", {"country": "SM"}),
    ("scheduled_unauthorised", {"country": "PF", **SCHEDULED}),
    ("scheduled_unauthorised", {"country": "ZA", **SCHEDULED}),
    ("scheduled_authorised", {"country": "DE", "scheduled": "oui", "authorisation": "oui"}),
    ("scheduled_authorised", {"country": "ZA", "scheduled": "oui", "authorisation": "oui"}),
    ("directive", {"country": "BE", **SCHEDULED}),
    ("scheduled_unauthorised", {"country": "CH", **SCHEDULED}),
    ("detached", {"country": "ZA", "stay_reason": "detachement"}),
    ("zone", {"country": "DE", "stay_reason": "detachement"}),
    ("com", {"country": "WF"}),
    ("convention", {"country": "MA"}),
    ("convention", {"country": "CA-QC"}),
    ("convention", {"country": "AD"}),
    ("convention", {"country": "MC"}),
    ("outside_flat_rate", {"country": "CA"}),
    ("uncertain_territory", {"country": "JE"}),
    ("uncertain_territory", {"country": "CY-NORTH"}),
    ("zone", {"country": "CY"}),
    ("not_this_service", {"country": "GB", **SCHEDULED}),
    ("not_this_service", {"country": "MF"}),
    ("unknown", {"scheduled": None}),
    ("unknown", {"country": "DE", **SCHEDULED, "hospitalised": None}),
    ("unknown", {"country": "ZA", "stay_reason": None}),
]


@pytest.mark.parametrize(("route", "overrides"), ROUTES, ids=[r[0] for r in ROUTES])
def test_route(route: str, overrides: dict[str, Any]) -> None:
    evaluation = evaluate(ClaimDraft(**{**BASE, **overrides}), today=TODAY)
    assert evaluation.route == route
    assert evaluation.route_text
