"""How the claim's euros were made, for the summary PDF: the foreign amount typed and its
rate, and each receipt read (date, provider, amount in its currency, ECB rate, euros)."""

from __future__ import annotations

from bot.domain.catalog import Catalog
from bot.domain.claim import ClaimDraft, ReceiptRead
from bot.domain.money import EURO, format_money
from bot.domain.parsing import format_date
from bot.receipts.rates import Conversion, default_rates


def render_receipts(draft: ClaimDraft, catalog: Catalog) -> str:
    """Return the section on the amount and the receipts read; empty when there is none."""
    lines: list[str] = []
    foreign = draft.conversion()
    if foreign is not None:
        lines.append(catalog.text(
            "receipts.summary.converted", amount=format_money(foreign.amount),
            currency=foreign.currency, date=format_date(foreign.paid_on),
            rate=format_money(foreign.rate), rate_date=format_date(foreign.rate_date),
            eur=format_money(foreign.eur, cents=True)))
    read = [receipt_line(reading, catalog) for doc in draft.documents for reading in doc.readings]
    if any(read):
        lines.append(catalog.text("receipts.summary.read_title"))
        lines += [line for line in read if line]
    return "\n".join(lines)


def receipt_line(reading: ReceiptRead, catalog: Catalog) -> str:
    """Return one receipt read: « 03/07/2020 · BANGKOK HOSPITAL · 30 000 THB · … € »."""
    if reading.amount is None or reading.currency is None:
        return ""  # nothing read worth showing
    day = (format_date(reading.paid_on) if reading.paid_on
           else catalog.text("receipts.summary.no_date"))
    provider = reading.provider or catalog.text("receipts.summary.no_provider")
    plain = catalog.text("receipts.summary.line_plain", date=day, provider=provider,
                         amount=format_money(reading.amount), currency=reading.currency)
    if reading.paid_on is None or reading.currency == EURO:
        return plain
    converted = default_rates().to_euros(reading.amount, reading.currency, reading.paid_on)
    if not isinstance(converted, Conversion):
        return plain
    return catalog.text("receipts.summary.line", plain=plain, rate=format_money(converted.rate),
                        currency=reading.currency, rate_date=format_date(converted.rate_date),
                        eur=format_money(converted.eur, cents=True))
