"""Read the receipts of uploaded files for the engine (synchronous: run it in a thread)."""

from __future__ import annotations

from datetime import date

from bot.domain.claim import ReceiptRead
from bot.domain.io import Upload
from bot.receipts import ReceiptReading, read_receipt


def read_receipts(items: tuple[Upload, ...], today: date) -> list[ReceiptRead]:
    """Return what the reader read on each file (never raises: a failure reads nothing)."""
    return [_kept(read_receipt(item.data, today=today)) for item in items]


def _kept(reading: ReceiptReading) -> ReceiptRead:
    """Return the values of a reading as the claim keeps them, with its confidence."""
    return ReceiptRead(
        amount=reading.amount.value if reading.amount else None,
        currency=reading.currency.value if reading.currency else None,
        paid_on=reading.date.value if reading.date else None,
        provider=reading.provider.value if reading.provider else None,
        confidence=reading.confidence,
        image_hash=reading.image_hash,
    )
