"""Read one receipt: the photo or PDF page, upright and straightened, then OCR, then the
values. Never raises: an unreadable file or an OCR failure is a reading with ``failure`` set.

CPU-bound and synchronous (about a second a page): call it off the event loop.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from PIL import Image

from bot.documents.errors import DocumentRejected
from bot.documents.pdfs import open_pdf
from bot.documents.sniff import sniff
from bot.receipts.amounts import read_total, split_lines
from bot.receipts.config import receipts_config
from bot.receipts.currency import read_currency
from bot.receipts.fields import read_date, read_provider
from bot.receipts.model import ReceiptReading, image_hash
from bot.receipts.ocr import OcrEngine, OcrFailed, Tesseract
from bot.receipts.page import load_page

_LOGGER = logging.getLogger(__name__)


def _page(data: bytes) -> Image.Image:
    """Return the first page as an upright grey image (photos: the sheet, straightened)."""
    if sniff(data) == "pdf":
        reader = open_pdf(data)
        images = reader.pages[0].images if reader.pages else []
        picture = images[0].image if images else None
        if picture is None:
            raise DocumentRejected("corrupt")  # a text PDF: no photo to read
        return picture.convert("L")
    return load_page(data)


def read_lines(
    lines: list[str], today: date | None = None, digest: str = ""
) -> ReceiptReading:
    """Return what the OCR ``lines`` of one receipt say."""
    parsed = split_lines(lines)
    total = read_total(parsed)
    currency = read_currency(total[1] if total else None, total[0].value if total else None,
                             parsed)
    day = today or datetime.now(UTC).date()
    when = read_date(parsed, currency.value if currency else None, day)
    return ReceiptReading(
        amount=total[0] if total else None,
        currency=currency,
        date=when,
        provider=read_provider(parsed),
        text="\n".join(lines),
        image_hash=digest,
    )


def read_receipt(
    data: bytes,
    engine: OcrEngine | None = None,
    today: date | None = None,
    timeout: float | None = None,
) -> ReceiptReading:
    """Read the total, currency, date and provider of the receipt in ``data`` (photo or PDF).

    ``timeout`` (seconds, default ``[reader] timeout_seconds``) bounds the OCR run.
    """
    digest = image_hash(data)
    try:
        page = _page(data)
    except DocumentRejected as exc:
        _LOGGER.info("receipt %s unreadable: %s", digest[:12], exc.code)
        return ReceiptReading(image_hash=digest, failure="unreadable_file")
    except Exception:  # hostile bytes: whatever the decoders raise, nothing is read
        _LOGGER.info("receipt %s could not be decoded", digest[:12])
        return ReceiptReading(image_hash=digest, failure="unreadable_file")
    engine = engine or Tesseract()
    try:
        lines = engine.read_lines(page, timeout or receipts_config().reader.timeout_seconds)
    except OcrFailed as exc:
        _LOGGER.warning("receipt %s: OCR %s (%s)", digest[:12], exc, engine.name)
        return ReceiptReading(image_hash=digest, failure=f"ocr_{exc}")
    return read_lines(lines, today, digest)
