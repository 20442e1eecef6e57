"""« Pourquoi ? » in plain words: the rule in a sentence or two and the source by its name."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.domain.catalog import get_catalog
from bot.domain.claim import ClaimDraft
from bot.domain.eligibility import evaluate, get_ruleset
from bot.domain.ruleset import source_parts
from bot.domain.sources import source_names

INTERNAL = re.compile(r"\[|\]|\b[A-Z]{2,3}-\d{2}\b|inference|inférence|déduction|deduction|"
                      r"\bbot\b|\bDIS\b", re.IGNORECASE)


def _explained() -> list[tuple[str, str]]:
    """Return (text key of the why, source) for every finding and every route row."""
    ruleset = get_ruleset()
    pairs = [(f"rules.{r.key}.why", r.source) for r in ruleset.evaluated()]
    pairs += [(f"rules.route.{row.key}.why", row.source) for row in ruleset.decisions
              if row.source is not None]
    return pairs


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_why_is_plain_and_names_its_sources(language: str) -> None:
    catalog = get_catalog(language)
    for key, source in _explained():
        why = catalog.text(key)
        names = source_names(source, catalog)
        assert INTERNAL.search(why) is None, (key, why)
        assert INTERNAL.search(names) is None, (key, names)
        assert all(catalog.text(f"rules.source.{k}") in names for k, _ in source_parts(source))
        assert len(re.findall(r"[.!?](\s|$)", why)) <= 2, (key, why)  # one or two sentences


def test_the_route_is_explained_with_the_legal_article() -> None:
    draft = ClaimDraft(regime="general", scheduled="non", care_link="maladie", country="ZA",
                       stay_reason="tourisme", hospitalised="non")
    route = evaluate(draft, today=date(2025, 6, 1)).findings[0]
    assert route.key == "route.outside_flat_rate"
    assert "Code de la sécurité sociale, art. R160-4, L160-7" in route.why
    assert "guide du téléservice ameli" in route.why and "janvier 2026" in route.why


def test_the_what_to_do_now_follows_the_route_text() -> None:
    draft = ClaimDraft(regime="general", scheduled="oui", authorisation="non", care_link="maladie",
                       country="TH", stay_reason="soins", hospitalised="non")
    evaluation = evaluate(draft, today=date(2025, 6, 1))
    assert evaluation.route == "scheduled_unauthorised"
    assert evaluation.route_now == "Contactez votre caisse avant de faire la demande."
    assert evaluation.findings[0].text.endswith(evaluation.route_now)
