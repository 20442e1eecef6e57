"""Every place RULES.md names is recognised as people type it, with its own route (ZON-03,
ZON-13…ZON-22), never its sovereign country's silently; an ambiguous name is asked again."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from bot.domain.catalog import load_toml
from bot.domain.claim import ClaimDraft
from bot.domain.countries import CountriesConfig, ambiguous_countries, find_country
from bot.domain.eligibility import evaluate
from tests import claims
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play, snapshot_of

# (code, route, names typed in French, English or the local language, accents or not,
#  one word or several)
PLACES = [
    ("ES-CN", "zone", ["Canaries", "îles Canaries", "Canary Islands", "Islas Canarias",
                       "Ténérife", "Gran Canaria", "lanzarote"]),
    ("ES-IB", "zone", ["Baléares", "Balearic Islands", "Illes Balears", "Majorque", "Mallorca",
                       "Ibiza", "Minorque"]),
    ("PT-30", "zone", ["Madère", "Madeira", "madere", "Funchal"]),
    ("PT-20", "zone", ["Açores", "Acores", "Azores", "Ilhas dos Açores"]),
    ("GP", "not_this_service", ["Guadeloupe", "Gwadloup"]),
    ("MQ", "not_this_service", ["Martinique", "Matinik"]),
    ("GF", "not_this_service", ["Guyane", "Guyane française", "French Guiana"]),
    ("RE", "not_this_service", ["La Réunion", "Réunion", "ile de la reunion", "Reunion Island"]),
    ("YT", "not_this_service", ["Mayotte", "Maore"]),
    ("BL", "not_this_service", ["Saint-Barthélemy", "St Barth", "saintbarth", "St Barts"]),
    ("MF", "not_this_service", ["Saint-Martin (partie française)", "French Saint Martin"]),
    ("PF", "com", ["Polynésie française", "French Polynesia", "Tahiti", "Bora-Bora",
                   "Porinetia Farani", "polynesie"]),
    ("NC", "com", ["Nouvelle-Calédonie", "nouvelle caledonie", "NouvelleCalédonie",
                   "New Caledonia", "Nouméa"]),
    ("PM", "com", ["Saint-Pierre-et-Miquelon", "Saint Pierre and Miquelon", "Miquelon"]),
    ("WF", "com", ["Wallis-et-Futuna", "Wallis and Futuna", "Uvea mo Futuna", "Wallis"]),
    ("MC", "convention", ["Monaco"]),
    ("AD", "convention", ["Andorre", "Andorra"]),
    ("SM", "outside_flat_rate", ["Saint-Marin", "San Marino"]),
    ("VA", "outside_flat_rate", ["Vatican", "Città del Vaticano", "Holy See", "Saint-Siège"]),
    ("DZ", "convention", ["Algérie", "Algeria", "Algerie"]),
    ("MA", "convention", ["Maroc", "Morocco"]),
    ("TN", "convention", ["Tunisie", "Tunisia"]),
    ("GA", "convention", ["Gabon"]),
    ("CA-QC", "convention", ["Québec", "Quebec", "Montréal"]),
    ("CY-NORTH", "uncertain_territory", ["Chypre du Nord", "Northern Cyprus", "Kuzey Kıbrıs",
                                         "KKTC"]),
    ("FO", "uncertain_territory", ["Îles Féroé", "Feroe", "Faroe Islands", "Føroyar"]),
    ("GL", "uncertain_territory", ["Groenland", "Greenland", "Kalaallit Nunaat", "Grønland"]),
    ("GI", "uncertain_territory", ["Gibraltar"]),
    ("JE", "uncertain_territory", ["Jersey"]),
    ("GG", "uncertain_territory", ["Guernesey", "Guernsey"]),
    ("IM", "uncertain_territory", ["Île de Man", "Isle of Man", "Ellan Vannin"]),
]
CASES = [(typed, code, route) for code, route, names in PLACES for typed in names]
COMPLETE = {"regime": "general", "nationality": "fr", "situation": "salarie",
            "beneficiary_name": "ALEX", "scheduled": "non", "care_link": "maladie",
            "stay_reason": "tourisme", "stay_start": date(2025, 5, 1),
            "stay_end": date(2025, 5, 10), "hospitalised": "non"}


@pytest.mark.parametrize(("typed", "code", "route"), CASES, ids=[c[0] for c in CASES])
def test_each_place_is_recognised_with_its_own_route(typed: str, code: str, route: str) -> None:
    found = find_country(typed)
    assert found is not None and found.code == code
    evaluation = evaluate(ClaimDraft(**COMPLETE, country=code), today=date(2025, 6, 1))
    assert evaluation.route == route


@pytest.mark.parametrize(("code", "rule"), [
    ("ES-CN", "ZON-03"), ("PT-20", "ZON-03"), ("CY-NORTH", "ZON-22"), ("FO", "ZON-22"),
    ("JE", "ZON-22"), ("CA-QC", "ZON-21"), ("MC", "ZON-18"), ("AD", "ZON-19"),
    ("WF", "ZON-17"), ("SM", "ZON-20"),
])
def test_each_territory_gets_its_own_warning(code: str, rule: str) -> None:
    evaluation = evaluate(ClaimDraft(**COMPLETE, country=code), today=date(2025, 6, 1))
    assert rule in {f.rule_id for f in evaluation.findings}


@pytest.mark.parametrize(("typed", "codes"), [
    ("Chypre", ["CY", "CY-NORTH"]), ("Cyprus", ["CY", "CY-NORTH"]), ("Chipre", ["CY", "CY-NORTH"]),
    ("Canada", ["CA-QC", "CA"]), ("Saint-Martin", ["MF", "SX"]), ("st martin", ["MF", "SX"]),
    ("Saint-Pierre", ["PM", "RE"]), ("îles anglo-normandes", ["JE", "GG"]),
])
def test_an_ambiguous_name_is_never_matched_silently(typed: str, codes: list[str]) -> None:
    assert find_country(typed) is None
    assert [c.code for c in ambiguous_countries(typed)] == codes


def test_a_territory_shows_the_country_to_pick_on_the_form() -> None:
    found = find_country("Tenerife")
    assert found is not None and found.label == "ESPAGNE (CANARIES)"


@pytest.mark.parametrize("broken", [
    {"zones": {"eu": ["PL"], "europe": ["FR"]}},  # unknown zone
    {"aliases": {"atlantide": "XX"}},  # unknown code
    {"ambiguous": {"chypre": ["CY"]}},  # an ambiguity needs two places
    {"colour": "blue"},  # unknown key
])
def test_a_broken_countries_file_fails_at_start_up(broken: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        CountriesConfig.model_validate({**load_toml("countries.toml"), **broken})


async def test_the_conversation_asks_which_place_with_buttons(user: ScriptedUser) -> None:
    await play(user, claims.POLOGNE, until="stay.country")
    await user.send("Chypre")
    assert "plusieurs lieux" in user.text
    assert {"a:stay.country:CY", "a:stay.country:CY-NORTH"} <= set(user.payloads)
    await user.press("a:stay.country:CY-NORTH")
    snapshot = await snapshot_of(user)
    assert snapshot.draft.country == "CY-NORTH" and snapshot.state != "stay.country"
