"""Read receipts from the command line: one JSON object a line.

Usage:
    python -m bot.receipts FACTURE.jpg RECU.pdf [--rates FILE] [--engine rapidocr] [--timeout S]
    python -m bot.receipts --rates-info [--rates eurofxref-hist.zip]

Exit status 2, with the French message on stderr, when a file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.domain.catalog import get_catalog
from bot.receipts.model import ReceiptReading
from bot.receipts.ocr import ENGINES
from bot.receipts.rates import Conversion, Rates
from bot.receipts.reader import read_receipt


def _row(name: str, reading: ReceiptReading, rates: Rates) -> dict[str, str | float | None]:
    row: dict[str, str | float | None] = {
        "file": name,
        "amount": str(reading.amount.value) if reading.amount else None,
        "currency": reading.currency.value if reading.currency else None,
        "date": reading.date.value.isoformat() if reading.date else None,
        "provider": reading.provider.value if reading.provider else None,
        "confidence": reading.confidence,
        "eur": None, "rate": None, "rate_date": None,
    }
    if reading.amount and reading.currency and reading.date:
        converted = rates.to_euros(reading.amount.value, reading.currency.value,
                                   reading.date.value)
        if isinstance(converted, Conversion):
            row |= {"eur": str(converted.eur), "rate": str(converted.rate),
                    "rate_date": converted.rate_date.isoformat()}
    return row


def main(argv: list[str] | None = None) -> int:
    """Print one JSON line per receipt, or the rates' date; 2 on a file it cannot read."""
    parser = argparse.ArgumentParser(prog="python -m bot.receipts")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rates", type=Path, help="a newer ECB eurofxref-hist.zip or .csv")
    parser.add_argument("--rates-info", action="store_true", help="print the rates' date")
    parser.add_argument("--engine", choices=sorted(ENGINES), default="tesseract")
    parser.add_argument("--timeout", type=float, help="seconds of OCR per file at most")
    args = parser.parse_args(argv)
    catalog = get_catalog("fr")
    try:
        rates = Rates(args.rates)
    except Exception:  # a missing or malformed ECB file
        sys.stderr.write(catalog.text("receipts.read.unreadable", file=args.rates) + "\n")
        return 2
    if args.rates_info:
        sys.stdout.write(json.dumps({"rates_date": rates.last_date.isoformat()}) + "\n")
        return 0
    status = 0
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        reading = read_receipt(data, ENGINES[args.engine](), timeout=args.timeout)
        if reading.failure == "unreadable_file":
            sys.stderr.write(catalog.text("receipts.read.unreadable", file=path.name) + "\n")
            status = 2
            continue
        row = _row(path.name, reading, rates)
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
