"""The checks at step 4 (config/receipts.toml, RCT-*): what was read against what was declared.

Pure functions over values: the caller passes the euro totals, the dates and the readings.
Each finding names its rule id and the parameters of its text ``receipts.check.<id>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bot.receipts.config import CheckId, receipts_config
from bot.receipts.model import ReceiptReading


@dataclass(frozen=True)
class Finding:
    """A warning for the user: the rule, the receipt it is about (index), the text's values."""

    rule: CheckId
    receipt: int | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text_key(self) -> str:
        """Return the catalog key of the finding's text."""
        return f"receipts.check.{self.rule}"


def amount_differs(declared_eur: Decimal, read_eur: Decimal) -> Finding | None:
    """RCT-01: the total read differs from the declared amount by more than the tolerance."""
    tolerance = Decimal(str(receipts_config().check("RCT-01").tolerance or 0))
    if declared_eur <= 0 or abs(read_eur - declared_eur) <= declared_eur * tolerance:
        return None
    return Finding("RCT-01", params={"declared": _euros(declared_eur),
                                     "read_total": _euros(read_eur)})


def outside_stay(readings: Sequence[ReceiptReading], start: date, end: date) -> list[Finding]:
    """RCT-02: each receipt whose date read is before the stay's start or after its end."""
    return [
        Finding("RCT-02", index, {"date": _day(r.date.value), "start": _day(start),
                                  "end": _day(end)})
        for index, r in enumerate(readings)
        if r.date is not None and not start <= r.date.value <= end
    ]


def duplicates(readings: Sequence[ReceiptReading], names: Sequence[str]) -> list[Finding]:
    """RCT-03: a receipt that repeats an earlier one (same file, or same values read)."""
    seen: dict[object, int] = {}
    found = []
    for index, reading in enumerate(readings):
        keys: list[object] = [("file", reading.image_hash)] if reading.image_hash else []
        values = (reading.amount, reading.currency, reading.date, reading.provider)
        if all(v is not None for v in values):
            keys.append(tuple(v.value for v in values if v is not None))
        if any(key in seen for key in keys):
            found.append(Finding("RCT-03", index, {"file": names[index]}))
        seen.update(dict.fromkeys(keys, index))
    return found


def _euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")
