"""Parse what people type into the form's values; each failure is an ``InvalidAnswer``.

Amounts become ``Decimal`` (shown as ``1234,56``), dates become ``date`` (shown JJ/MM/AAAA).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from bot.domain.errors import InvalidAnswer
from bot.domain.limits import CONTEXT_MAX_LENGTH
from bot.domain.text import clean_free_text, fold

MAX_AMOUNT = Decimal("999999.99")  # VAL-07: inferred from the form's « Exemple 123456,78 »
NAME_MAX_LENGTH = 60

_EURO_MARKS = re.compile(r"(€|\beur(o|os)?\b)", re.IGNORECASE)
_OTHER_CURRENCY = re.compile(
    r"(\$|£|¥|₹|₺|₽|zł|\b(usd|gbp|chf|pln|mad|dh|dhs|dirham|dollars?|livres?|francs?|"
    r"zloty|zlotys|czk|huf|sek|nok|dkk|ron|bgn|try|jpy|cad|aud|tnd|dzd|xof|xpf|thb)\b)",
    re.IGNORECASE,
)
_RELATIVE_DAYS = {"aujourd hui": 0, "today": 0, "hier": 1, "yesterday": 1,
                  "avant hier": 2}
_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fev": 2, "feb": 2,
    "february": 2, "mars": 3, "mar": 3, "march": 3, "avril": 4, "avr": 4, "apr": 4, "april": 4,
    "mai": 5, "may": 5, "juin": 6, "jun": 6, "june": 6, "juillet": 7, "juil": 7, "jul": 7,
    "july": 7, "aout": 8, "aug": 8, "august": 8, "septembre": 9, "sept": 9, "sep": 9,
    "september": 9, "octobre": 10, "oct": 10, "october": 10, "novembre": 11, "nov": 11,
    "november": 11, "decembre": 12, "dec": 12, "december": 12,
}


def parse_amount(typed: str) -> Decimal:
    """Parse ``200,50`` ``200.50`` ``200,50 €`` ``1 234,56`` ``1.234,56`` (VAL-07)."""
    if _OTHER_CURRENCY.search(typed):
        raise InvalidAnswer("error.amount.currency")
    text = _EURO_MARKS.sub("", typed)
    text = re.sub(r"[\s\u00a0\u202f']", "", text)
    if text.startswith("-"):
        raise InvalidAnswer("error.amount.positive")
    if not text or not re.fullmatch(r"[0-9.,]+", text):
        raise InvalidAnswer("error.amount.format")
    separators = [ch for ch in text if ch in ".,"]
    if separators:
        last = max(text.rfind("."), text.rfind(","))
        decimals = text[last + 1 :]
        grouped = len(separators) > 1 and len(set(separators)) == 1
        if grouped or (len(decimals) == 3 and separators == ["."]):
            # « 1.234 », « 1,234,567 »: thousands separators, no decimals. A lone comma is
            # always the French decimal mark, so « 12,345 » has too many decimals.
            if not re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
                raise InvalidAnswer("error.amount.format")
            text = re.sub(r"[.,]", "", text)
        else:
            whole = re.sub(r"[.,]", "", text[:last])
            if len(decimals) > 2:
                raise InvalidAnswer("error.amount.decimals")
            text = f"{whole or '0'}.{decimals or '0'}"
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise InvalidAnswer("error.amount.format") from exc
    if amount <= 0:
        raise InvalidAnswer("error.amount.positive")
    if amount > MAX_AMOUNT:
        raise InvalidAnswer("error.amount.too_large")
    return amount.quantize(Decimal("0.01"))


def format_amount(amount: Decimal) -> str:
    """Return the form's format: comma decimal separator, two decimals, no grouping."""
    return f"{amount:.2f}".replace(".", ",")


def _year(raw: str, today: date) -> int:
    year = int(raw)
    if len(raw) == 2:
        # Two-digit years: the most recent past year that ends with those digits.
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def parse_date(typed: str, today: date) -> date:
    """Parse ``22/09/2020`` ``22/9/20`` ``22.09.2020`` ``2020-09-22`` ``22 sept 2020`` (VAL-01)."""
    text = fold(typed)
    relative = _RELATIVE_DAYS.get(text)
    if relative is not None:
        return today - timedelta(days=relative)
    no_year = re.fullmatch(r"(\d{1,2}) (\d{1,2})", text)
    if no_year:
        # « 22/09 »: the latest such day not after today (stays and care are in the past).
        try:
            day = date(today.year, int(no_year[2]), int(no_year[1]))
            return day if day <= today else day.replace(year=today.year - 1)
        except ValueError as exc:
            raise InvalidAnswer("error.date.not_real") from exc
    iso = re.fullmatch(r"(\d{4}) (\d{1,2}) (\d{1,2})", text)
    numeric = re.fullmatch(r"(\d{1,2}) (\d{1,2}) (\d{2}|\d{4})", text)
    compact = re.fullmatch(r"(\d{2})(\d{2})(\d{4})", text)
    named = re.fullmatch(r"(?:le )?(\d{1,2})(?: ?er)? ([a-z]+) (\d{2}|\d{4})", text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        match = numeric or compact
        if match:
            return date(_year(match[3], today), int(match[2]), int(match[1]))
        if named and named[2] in _MONTHS:
            return date(_year(named[3], today), _MONTHS[named[2]], int(named[1]))
    except ValueError as exc:
        raise InvalidAnswer("error.date.not_real") from exc
    raise InvalidAnswer("error.date.format")


def format_date(value: date) -> str:
    """Return JJ/MM/AAAA."""
    return value.strftime("%d/%m/%Y")


def parse_context(typed: str) -> str:
    """Parse « Contexte des soins »: 1 to 180 characters (VAL-08), offering a short version."""
    text = clean_free_text(typed)
    if not text:
        raise InvalidAnswer("error.context.empty")
    if len(text) > CONTEXT_MAX_LENGTH:
        cut = text[: CONTEXT_MAX_LENGTH - 1]
        cut = cut[: cut.rfind(" ")] if " " in cut[100:] else cut
        raise InvalidAnswer(
            "error.context.too_long", suggestion=cut.rstrip(" ,;.") + "…",
            length=len(text), limit=CONTEXT_MAX_LENGTH,
        )
    return text


def parse_name(typed: str) -> str:
    """Parse a first name (« Bénéficiaire »): letters, spaces, hyphens and apostrophes."""
    text = clean_free_text(typed)
    if not text:
        raise InvalidAnswer("error.name.empty")
    if len(text) > NAME_MAX_LENGTH:
        raise InvalidAnswer("error.name.too_long", limit=NAME_MAX_LENGTH)
    if not re.fullmatch(r"[^\W\d_]+(?:[ '’\-.][^\W\d_]+)*\.?", text):
        raise InvalidAnswer("error.name.format")
    return text
