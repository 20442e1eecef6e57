"""Parse what people type into the form's values; each failure is an ``InvalidAnswer``.

Amounts become ``Decimal`` (shown as ``1234,56``), dates become ``date`` (shown JJ/MM/AAAA,
read in ``bot.domain.dates``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.domain.dates import format_date as format_date  # the form's values are parsed here
from bot.domain.dates import parse_date as parse_date
from bot.domain.errors import InvalidAnswer
from bot.domain.limits import CONTEXT_MAX_LENGTH
from bot.domain.text import clean_free_text

MAX_AMOUNT = Decimal("999999.99")  # VAL-07: inferred from the form's « Exemple 123456,78 »
NAME_MAX_LENGTH = 60

_EURO_MARKS = re.compile(r"(€|\beur(o|os)?\b)", re.IGNORECASE)
_OTHER_CURRENCY = re.compile(
    r"(\$|£|¥|₹|₺|₽|zł|\b(usd|gbp|chf|pln|mad|dh|dhs|dirham|dollars?|livres?|francs?|"
    r"zloty|zlotys|czk|huf|sek|nok|dkk|ron|bgn|try|jpy|cad|aud|tnd|dzd|xof|xpf|thb)\b)",
    re.IGNORECASE,
)


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
