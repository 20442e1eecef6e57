"""Typing the name of a field on « Modifier → partie N » picks that field (issue 14 point 2)."""

from __future__ import annotations

import pytest

from bot.domain.catalog import get_catalog
from bot.domain.choices import match_offered

# The fields of part 2 as the edit screen offers them (one button each, this order).
PART_2 = ("care.beneficiary_name", "care.beneficiary_birth_date", "care.care_context",
          "care.scheduled", "care.authorisation", "care.amount", "care.care_link",
          "care.accident_date")


def _offered(*languages: str) -> dict[str, list[str]]:
    return {question_id: [get_catalog(language).text(f"question.{question_id}.short")
                          for language in languages] for question_id in PART_2}


@pytest.mark.parametrize(("typed", "expected"), [
    ("montant", "care.amount"), ("Montant", "care.amount"), ("le montant", "care.amount"),
    ("montnt", "care.amount"), ("changer le montant", "care.amount"),
    ("date de naissance", "care.beneficiary_birth_date"),
    ("naissance", "care.beneficiary_birth_date"), ("accident", "care.accident_date"),
    ("date de l'accident", "care.accident_date"), ("bénéficiaire", "care.beneficiary_name"),
    ("beneficiaire", "care.beneficiary_name"), ("raison", "care.care_context"),
    ("autorisation", "care.authorisation"), ("6", "care.amount"), ("1", "care.beneficiary_name"),
    ("date", None), ("soins", None), ("9", None), ("rien", None), ("", None),
])
def test_a_typed_field_name_picks_its_button(typed, expected):
    assert match_offered(typed, _offered("fr")) == expected


def test_english_labels_are_matched_when_offered():
    offered = _offered("en", "fr")
    assert match_offered("amount", offered) == "care.amount"
    assert match_offered("montant", offered) == "care.amount"
    assert match_offered("date of birth", offered) == "care.beneficiary_birth_date"


def test_nothing_offered_matches_nothing():
    assert match_offered("montant", {}) is None
