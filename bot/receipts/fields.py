"""Date and provider of a receipt from its OCR lines, each with a confidence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

import dateparser

from bot.receipts.amounts import DATE_TOKEN, Line, label_weight
from bot.receipts.config import receipts_config
from bot.receipts.model import Read

_NUMERIC_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}$")
_MONTH_FIRST_CURRENCIES = {"USD"}  # where « 07/03 » is July 3rd


def _parse_date(token: str, month_first: bool) -> tuple[date, bool] | None:
    settings = {
        "DATE_ORDER": "MDY" if month_first else "DMY",
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_LOCALE_DATE_ORDER": False,
    }
    languages = list(receipts_config().reader.date_languages)
    parsed = dateparser.parse(token, languages=languages, settings=settings)
    if parsed is None:
        return None
    numeric = _NUMERIC_DMY.match(token)
    ambiguous = bool(numeric) and numeric is not None and (
        int(numeric.group(1)) <= 12 and int(numeric.group(2)) <= 12
        and numeric.group(1) != numeric.group(2)
    )
    return parsed.date(), ambiguous


def read_date(lines: Sequence[Line], currency: str | None, today: date) -> Read[date] | None:
    """Return the date of the receipt: a labelled one first, else the first plausible one."""
    config = receipts_config().date
    oldest = today - timedelta(days=config.max_age_days)
    month_first = currency in _MONTH_FIRST_CURRENCIES
    found: list[tuple[date, float]] = []
    for line in lines:
        labelled = any(f" {label} " in f" {line.words} " for label in config.labels)
        for token in DATE_TOKEN.findall(line.text):
            parsed = _parse_date(token, month_first)
            if parsed is None or not oldest <= parsed[0] <= today:
                continue
            day, ambiguous = parsed
            confidence = 0.9 if labelled else 0.85
            if ambiguous and month_first:
                confidence = 0.6  # « 07/03 » on a dollar receipt: July or March? ask
            found.append((day, confidence))
    if not found:
        return None
    day, confidence = max(found, key=lambda f: f[1])
    if len({d for d, _ in found}) > 1:
        confidence -= 0.1  # several dates (invoice, due, printed): the labelled one, less sure
    return Read(day, round(confidence, 3))


def read_provider(lines: Sequence[Line]) -> Read[str] | None:
    """Return the first heading line that is a name (no amount, date or total label)."""
    for line in lines[:4]:
        if len(re.findall(r"[^\W\d_]", line.text)) < 4 or line.amount is not None:
            continue
        if DATE_TOKEN.search(line.text) or label_weight(line.words) > 0:
            continue
        return Read(line.text.strip(), 0.6)
    return None

