"""Read receipts (total, currency, date, provider) and convert to euros at the ECB rate.

No Telegram, no storage: ``read_receipt`` is synchronous and CPU-bound (run it in a thread),
``Rates.to_euros`` and the checks are pure.
"""

from bot.receipts.checks import Finding, amount_differs, duplicates, outside_stay
from bot.receipts.config import receipts_config
from bot.receipts.model import Read, ReceiptReading
from bot.receipts.rates import Conversion, NotConvertible, Rates, default_rates
from bot.receipts.reader import read_lines, read_receipt

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
