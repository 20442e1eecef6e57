"""The currency marks on one OCR line: which currency each names, and where it stands.

A mark of ``config/receipts_currencies.toml`` counts anywhere on the total's line; away from
it, only next to an amount, or when it cannot be an ordinary word (a symbol, a code in
capitals, a mark with letters English has not: « zł »). An OCR misreading of a mark
(``[misread]``: « Ké » for « Kč ») counts only where marks are printed: right after an
amount, or right before the line's last amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.domain.money import CurrencyMatch, currency_marks, find_currencies, match_of

_AFTER_AMOUNT = re.compile(r"\d\W{0,3}$")  # « 12,00 Kč », « 12,00' Ké » (OCR specks)
_BEFORE_AMOUNT = re.compile(r"\s*\d")
_BEFORE_LAST_AMOUNT = re.compile(r"\s*\d[\d.,' ]*[^\w]*")


@dataclass(frozen=True)
class Mark:
    """A currency mark read on a line."""

    currency: CurrencyMatch
    by_amount: bool  # printed right before or after a number
    distinctive: bool  # a symbol, a code in capitals, or letters no English word has
    misread: bool = False  # an OCR misreading of a mark (RCT-05)


@cache
def _misread_pattern() -> re.Pattern[str]:
    readings = sorted(currency_marks().misread, key=len, reverse=True)
    alternatives = "|".join(re.escape(reading) for reading in readings)
    # Never part of a longer word; glued to an amount is how OCR often prints it (« CHE96.28 »).
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])", re.IGNORECASE)


def _distinctive(mark: str) -> bool:
    return mark in currency_marks().iso_codes() or not (mark.isascii() and mark.isalpha())


def _misreadings(text: str, taken: list[tuple[int, int]]) -> list[tuple[tuple[int, int], Mark]]:
    found = []
    for match in _misread_pattern().finditer(text):
        start, end = match.span()
        if any(start < stop and begin < end for begin, stop in taken):
            continue  # part of a real mark
        if match.group(0)[0].isdigit() and text[:start][-1:].isdigit():
            continue  # « 2% » in « 12% »
        if not (_AFTER_AMOUNT.search(text[:start]) or _BEFORE_LAST_AMOUNT.fullmatch(text[end:])):
            continue
        currency = match_of(currency_marks().misread[match.group(0).casefold()])
        found.append(((start, end), Mark(currency, by_amount=True, distinctive=False,
                                          misread=True)))
    return found


def find_marks(text: str) -> list[tuple[tuple[int, int], Mark]]:
    """Return each mark and misread mark of ``text`` with its span, in order."""
    found = []
    for match, currency in find_currencies(text):
        start, end = match.span()
        by_amount = bool(_AFTER_AMOUNT.search(text[:start]) or _BEFORE_AMOUNT.match(text[end:]))
        found.append(((start, end), Mark(currency, by_amount, _distinctive(match.group(0)))))
    found += _misreadings(text, [span for span, _ in found])
    return sorted(found, key=lambda item: item[0])


def without_marks(text: str, spans: list[tuple[int, int]]) -> str:
    """Return ``text`` with the marks at ``spans`` blanked (« CHF96.28 » → « 96.28 »)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text
