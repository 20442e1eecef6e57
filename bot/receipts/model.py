"""What the reader returns: each value with its confidence (0 to 1)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Read(Generic[T]):
    """One value read on a receipt and how sure the reader is of it."""

    value: T
    confidence: float


@dataclass(frozen=True)
class ReceiptReading:
    """The total, its currency, the date and the provider read on one receipt.

    A value is None when nothing was read; ``failure`` says why nothing at all was read
    (``timeout``, ``ocr_error``, ``unreadable_file``). ``text`` is the OCR text, for the file
    the caseworker sees; ``image_hash`` identifies the file (RCT-03).
    """

    amount: Read[Decimal] | None = None
    currency: Read[str] | None = None
    date: Read[date] | None = None
    provider: Read[str] | None = None
    text: str = ""
    image_hash: str = ""
    failure: str | None = None

    @property
    def confidence(self) -> float:
        """Return the confidence of the weakest of amount, currency and date (0: missing)."""
        values = (self.amount, self.currency, self.date)
        return min((v.confidence if v is not None else 0.0) for v in values)

    def sure(self, threshold: float) -> bool:
        """Tell whether amount, currency and date may be proposed without asking."""
        return self.confidence >= threshold


def image_hash(data: bytes) -> str:
    """Return the file's SHA-256 (the same file sent twice, RCT-03)."""
    return hashlib.sha256(data).hexdigest()
