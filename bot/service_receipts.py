"""Read the receipts of uploaded files for the engine (synchronous: run it in a worker)."""

from __future__ import annotations

from datetime import date

from bot.domain.claim import ReceiptRead
from bot.domain.io import Upload
from bot.receipts.model import ReceiptReading, image_hash


def read_receipts(items: tuple[Upload, ...], today: date) -> list[ReceiptRead]:
    """Return what the reader read on each file (never raises: a failure reads nothing)."""
    from bot.receipts.reader import read_receipt  # in the worker: the bot starts without it

    return [_kept(read_receipt(item.data, today=today)) for item in items]


def unread(items: tuple[Upload, ...]) -> list[ReceiptRead]:
    """Return "nothing read" for each file, as when its reading was stopped at a limit.

    The file's hash stays: the same file sent twice is still found (RCT-03).
    """
    return [ReceiptRead(image_hash=image_hash(item.data)) for item in items]


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
