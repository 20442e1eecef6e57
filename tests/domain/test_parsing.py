"""Parsing what people type: amounts (FRM-06, VAL-07), dates (VAL-01), names, context (VAL-08)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.countries import Zone, find_country
from bot.domain.errors import InvalidAnswer
from bot.domain.parsing import (
    format_amount,
    format_date,
    parse_amount,
    parse_context,
    parse_date,
    parse_name,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("typed", "shown"), [
    ("200,50", "200,50"), ("200.50", "200,50"), ("200,50 €", "200,50"), ("1 234,56", "1234,56"),
    ("1.234,56", "1234,56"), ("1,234.56", "1234,56"), ("€200", "200,00"), ("200 euros", "200,00"),
    ("200", "200,00"), ("1.234", "1234,00"), ("12,5", "12,50"), ("1 234.5", "1234,50"),
    ("123456,78", "123456,78"), ("0,01", "0,01"), ("1\u202f234,56", "1234,56"),
])
def test_amounts_are_normalised_to_the_form_format(typed, shown):
    assert format_amount(parse_amount(typed)) == shown


@pytest.mark.parametrize(("typed", "key"), [
    ("abc", "error.amount.format"), ("-5", "error.amount.positive"),
    ("0", "error.amount.positive"), ("12,345", "error.amount.decimals"),
    ("200 USD", "error.amount.currency"), ("$200", "error.amount.currency"),
    ("150 zł", "error.amount.currency"), ("1000000", "error.amount.too_large"),
    ("", "error.amount.format"), ("12..5", "error.amount.format"),
])
def test_bad_amounts_name_the_problem(typed, key):
    with pytest.raises(InvalidAnswer) as error:
        parse_amount(typed)
    assert error.value.key == key


@pytest.mark.parametrize(("typed", "expected"), [
    ("22/09/2020", date(2020, 9, 22)), ("22/9/20", date(2020, 9, 22)),
    ("22.09.2020", date(2020, 9, 22)), ("2020-09-22", date(2020, 9, 22)),
    ("22-09-2020", date(2020, 9, 22)), ("22 09 2020", date(2020, 9, 22)),
    ("22092020", date(2020, 9, 22)), ("22 septembre 2020", date(2020, 9, 22)),
    ("1er mai 2025", date(2025, 5, 1)), ("le 3 août 2024", date(2024, 8, 3)),
    ("07/10/85", date(1985, 10, 7)), ("22/09", date(2026, 9, 22)),
    ("24/12", date(2025, 12, 24)), ("hier", date(2026, 11, 22)),
    ("aujourd'hui", TODAY),
])
def test_dates_in_the_ways_people_type_them(typed, expected):
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize(("typed", "key"), [
    ("31/02/2020", "error.date.not_real"), ("22/13/2020", "error.date.not_real"),
    ("demain", "error.date.format"), ("septembre", "error.date.format"),
    ("30/02", "error.date.not_real"), ("", "error.date.format"),
])
def test_bad_dates_name_the_problem(typed, key):
    with pytest.raises(InvalidAnswer) as error:
        parse_date(typed, TODAY)
    assert error.value.key == key


def test_dates_are_shown_jj_mm_aaaa():
    assert format_date(date(2020, 9, 2)) == "02/09/2020"


@pytest.mark.parametrize(("typed", "code", "zone"), [
    ("pologne", "PL", Zone.EU), ("Polska", "PL", Zone.EU), ("PL", "PL", Zone.EU),
    ("royaume uni", "GB", Zone.UK), ("Royaume-Uni", "GB", Zone.UK), ("Angleterre", "GB", Zone.UK),
    ("Afrique du Sud", "ZA", Zone.OUTSIDE), ("south africa", "ZA", Zone.OUTSIDE),
    ("Allemagen", "DE", Zone.EU), ("Deutschland", "DE", Zone.EU), ("España", "ES", Zone.EU),
    ("Grece", "GR", Zone.EU), ("Norvège", "NO", Zone.EEE), ("suisse", "CH", Zone.CH),
    ("Guadeloupe", "GP", Zone.DOMESTIC), ("Saint-Martin partie française", "MF", Zone.DOMESTIC),
    ("Tahiti", "PF", Zone.COM), ("Nouvelle-Calédonie", "NC", Zone.COM),
    ("Maroc", "MA", Zone.OUTSIDE), ("USA", "US", Zone.OUTSIDE), ("canaries", "ES-CN", Zone.EU),
    ("Londres", "GB", Zone.UK), ("Barcelone", "ES", Zone.EU), ("Québec", "CA-QC", Zone.OUTSIDE),
    ("Rép. tchèque", "CZ", Zone.EU),
])
def test_countries_by_name_code_or_variant(typed, code, zone):
    found = find_country(typed)
    assert found is not None and found.code == code and found.zone == zone


@pytest.mark.parametrize("typed", ["Atlantide", "zz", "", "???"])
def test_unknown_countries_are_not_guessed(typed):
    assert find_country(typed) is None


def test_country_label_is_in_capitals_like_the_form():
    found = find_country("afrique du sud")
    assert found is not None and found.label == "AFRIQUE DU SUD"


def test_context_is_cleaned_and_limited_to_180_characters():
    assert parse_context("  Urgence\n médicale ") == "Urgence médicale"
    with pytest.raises(InvalidAnswer) as error:
        parse_context("mot " * 70)
    assert error.value.suggestion is not None and len(error.value.suggestion) <= 180


@pytest.mark.parametrize("typed", ["Nathalie", "Jean-Marc", "Zoé", "O'Brien", "Anne Marie"])
def test_first_names(typed):
    assert parse_name(typed) == typed


@pytest.mark.parametrize("typed", ["1234", "R2D2", "", "@nat"])
def test_not_first_names(typed):
    with pytest.raises(InvalidAnswer):
        parse_name(typed)


def test_amount_keeps_two_decimals():
    assert parse_amount("10") == Decimal("10.00")
