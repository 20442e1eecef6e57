"""Read receipts (total, currency, date, provider) and convert to euros at the ECB rate.

No Telegram, no storage: ``read_receipt`` is synchronous and CPU-bound (run it in a thread),
``Rates.to_euros`` and the checks are pure.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from bot.receipts.checks import Finding, amount_differs, duplicates, outside_stay
from bot.receipts.config import receipts_config
from bot.receipts.model import Read, ReceiptReading
from bot.receipts.rates import Conversion, NotConvertible, Rates, default_rates

if TYPE_CHECKING:
    from bot.receipts.reader import read_lines, read_receipt


def __getattr__(name: str) -> Any:
    """Import the reader (OpenCV, pypdf, dateparser) when first used: in a conversion
    worker, not when the bot starts."""
    if name in ("read_lines", "read_receipt"):
        return getattr(import_module("bot.receipts.reader"), name)
    raise AttributeError(name)


__all__ = [
    "Conversion",
    "Finding",
    "NotConvertible",
    "Rates",
    "Read",
    "ReceiptReading",
    "amount_differs",
    "default_rates",
    "duplicates",
    "outside_stay",
    "read_lines",
    "read_receipt",
    "receipts_config",
]
