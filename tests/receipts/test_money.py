"""Typed amounts in any currency (bot/domain/money.py), for the amount question (FRM-06)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.catalog import get_catalog
from bot.domain.errors import InvalidAnswer
from bot.domain.money import find_currency, parse_money
from bot.domain.parsing import format_amount


@pytest.mark.parametrize(("typed", "amount", "currency"), [
    ("45000 THB", "45000", "THB"), ("45 000 baht", "45000", "THB"),
    ("฿1,200.50", "1200.50", "THB"),
    ("120 $", "120", "USD"), ("USD120", "120", "USD"), ("1,234.56 US$", "1234.56", "USD"),
    ("£80", "80", "GBP"), ("80 livres", "80", "GBP"), ("1.234,5 zł", "1234.5", "PLN"),
    ("200,50 €", "200.50", "EUR"), ("200,50", "200.50", "EUR"), ("CHF 12.50", "12.50", "CHF"),
    ("100 dh", "100", "MAD"), ("1 000 000 ₫", "1000000", "VND"), ("¥1,200", "1200", "JPY"),
    ("3 500 Kč", "3500", "CZK"),
])
def test_amount_and_currency_are_read(typed, amount, currency):
    money = parse_money(typed)
    assert money.amount == Decimal(amount)
    assert money.currency.code == currency


def test_a_shared_mark_is_flagged_uncertain_with_its_alternatives():
    dollars = parse_money("120 $").currency
    assert not dollars.certain and "CAD" in dollars.alternatives
    assert parse_money("80 francs").currency.alternatives  # CHF, or CFA, or CFP?
    assert parse_money("45000 THB").currency.certain


def test_euros_keep_the_forms_own_rules():
    # « 12,345 € » has too many decimals for the form (VAL-07): same answer as parse_amount.
    with pytest.raises(InvalidAnswer) as error:
        parse_money("12,345 €")
    assert error.value.key == "error.amount.decimals"
    assert format_amount(parse_money("1.234,56 €").amount) == "1234,56"


@pytest.mark.parametrize(("typed", "key"), [
    ("12 THB 5 €", "error.money.two_currencies"), ("abc THB", "error.money.format"),
    ("-5 THB", "error.amount.positive"), ("0 THB", "error.amount.positive"),
    ("9" * 20 + " THB", "error.money.too_large"), ("1" * 80, "error.money.format"),
    ("THB", "error.money.format"),
])
def test_bad_amounts_get_a_message_key(typed, key):
    with pytest.raises(InvalidAnswer) as error:
        parse_money(typed)
    assert error.value.key == key
    for language in ("fr", "en"):
        assert get_catalog(language).text(key, value=typed)


def test_marks_inside_words_are_not_currencies():
    assert find_currency("neurologie") is None
    assert find_currency("Total 12,00 EUR").code == "EUR"
