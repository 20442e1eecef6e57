"""Amounts in any currency, as people type them and receipts print them.

« 45000 THB », « 120 $ », « £80 », « 80 livres », « 1.234,5 zł », « 200,50 € ». The currency
marks come from ``config/receipts_currencies.toml``; the number is read by ``price-parser``,
except for euros, which keep the form's own rules (``parse_amount``, VAL-07).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from price_parser import Price
from pydantic import BaseModel, ConfigDict, model_validator

from bot.domain.catalog import load_toml
from bot.domain.errors import InvalidAnswer
from bot.domain.parsing import parse_amount
from bot.domain.text import fold

EURO = "EUR"
MAX_TYPED_LENGTH = 64  # an amount is short: anything longer is not one
MAX_FOREIGN_AMOUNT = Decimal("999999999999")  # dong and rupiah run to billions
_NUMBER = re.compile(r"[0-9][0-9\s\u00a0\u202f'.,]*")


class CurrencyMarks(BaseModel):
    """The data of ``config/receipts_currencies.toml``.

    ``misread`` (OCR misreadings of marks) and ``context`` (words placing a receipt in a
    country) are for receipts only (``bot/receipts``), never for what people type.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    marks: dict[str, str]
    ambiguous: dict[str, tuple[str, ...]]
    codes: dict[str, tuple[str, ...]]
    misread: dict[str, str]
    context: dict[str, tuple[str, ...]]

    def iso_codes(self) -> frozenset[str]:
        """Return the three-letter codes accepted as marks."""
        return frozenset(self.codes["iso"])

    @model_validator(mode="after")
    def _misreadings_and_cues_name_known_currencies(self) -> CurrencyMarks:
        known = {*self.marks, *self.ambiguous, *(code.lower() for code in self.iso_codes())}
        if wrong := {k: v for k, v in self.misread.items() if v not in known or k in known}:
            raise ValueError(f"misreadings must be new words for known marks: {wrong}")
        if unknown := set(self.context) - self.iso_codes():
            raise ValueError(f"context cues for unknown currencies: {unknown}")
        if unfolded := [cue for cues in self.context.values() for cue in cues if fold(cue) != cue]:
            raise ValueError(f"context cues are written folded: {unfolded}")
        return self


@dataclass(frozen=True)
class CurrencyMatch:
    """A currency named in a text; ``alternatives`` is not empty when the mark is shared."""

    code: str
    alternatives: tuple[str, ...] = ()

    @property
    def certain(self) -> bool:
        """Tell whether the mark names one currency only (« zł », « THB », not « $ »)."""
        return not self.alternatives


@dataclass(frozen=True)
class Money:
    """An amount (``Decimal``, as written) in a currency (ISO 4217)."""

    amount: Decimal
    currency: CurrencyMatch


@cache
def currency_marks() -> CurrencyMarks:
    """Read and validate the currency marks once."""
    return CurrencyMarks.model_validate(load_toml("receipts_currencies.toml"))


@cache
def _mark_pattern() -> re.Pattern[str]:
    data = currency_marks()
    marks = [*data.marks, *data.ambiguous, *(code.lower() for code in data.iso_codes())]
    # Longest first, so « us$ » wins over « $ » and « francs cfa » over « francs ».
    alternatives = "|".join(re.escape(m) for m in sorted(set(marks), key=len, reverse=True))
    # A mark made of letters must not be part of a longer word (« eur » in « neuro »).
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])", re.IGNORECASE)


def match_of(mark: str) -> CurrencyMatch:
    """Return the currency ``mark`` (a key of the marks, shared marks or codes) names."""
    data = currency_marks()
    key = mark.casefold()
    if key in data.marks:
        return CurrencyMatch(data.marks[key])
    if key in data.ambiguous:
        first, *others = data.ambiguous[key]
        return CurrencyMatch(first, tuple(others))
    return CurrencyMatch(key.upper())


def find_currencies(text: str) -> list[tuple[re.Match[str], CurrencyMatch]]:
    """Return every currency mark in ``text``, in order."""
    return [(m, match_of(m.group(0))) for m in _mark_pattern().finditer(text)]


def find_currency(text: str) -> CurrencyMatch | None:
    """Return the currency ``text`` names, the surest first; None when it names none."""
    found = [match for _, match in find_currencies(text)]
    certain = [match for match in found if match.certain]
    ranked = certain or found
    return ranked[0] if ranked else None


def parse_number(text: str, decimal_separator: str | None = None) -> Decimal | None:
    """Read a number written in any local format (``1.234,56``, ``1,234.56``, ``45,000``)."""
    amount = Price.fromstring(text, decimal_separator=decimal_separator).amount
    return amount if isinstance(amount, Decimal) else None


def parse_money(typed: str) -> Money:
    """Parse a typed amount and its currency; no currency means euros (the form's unit).

    Raises ``InvalidAnswer`` with an ``error.money.*`` (or, for euros, ``error.amount.*``) key.
    """
    if len(typed) > MAX_TYPED_LENGTH:
        raise InvalidAnswer("error.money.format")
    marks = find_currencies(typed)
    codes = {match.code for _, match in marks}
    if len(codes) > 1:
        raise InvalidAnswer("error.money.two_currencies")
    currency = marks[0][1] if marks else CurrencyMatch(EURO)
    rest = _mark_pattern().sub(" ", typed).strip()
    if currency.code == EURO:
        return Money(parse_amount(rest), currency)  # the form's own rules for euros
    if rest.startswith("-"):
        raise InvalidAnswer("error.amount.positive")
    if not _NUMBER.fullmatch(rest):
        raise InvalidAnswer("error.money.format")
    amount = parse_number(rest)
    if amount is None:
        raise InvalidAnswer("error.money.format")
    if amount <= 0:
        raise InvalidAnswer("error.amount.positive")
    if amount > MAX_FOREIGN_AMOUNT:
        raise InvalidAnswer("error.money.too_large")
    return Money(amount, currency)


def format_money(amount: Decimal, *, cents: bool = False) -> str:
    """Show an amount the French way: « 45 000 », « 37,95 », with ``cents`` « 1 185,77 »."""
    text = f"{amount:,.2f}" if cents else f"{amount.normalize():,f}"
    return text.replace(",", "\u202f").replace(".", ",")
