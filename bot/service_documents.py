"""Uploads into documents and receipt readings, in the bounded worker processes.

Every conversion and every OCR run is a job of ``bot.documents.isolation``: one file can
cost its worker, never the bot. A chat's jobs run one after the other (its turns do), so
one user holds at most one worker, whatever they send.
"""

from __future__ import annotations

import threading
from datetime import date
from functools import cache

from bot import documents
from bot.documents.isolation import Isolation, Limits
from bot.domain.catalog import get_catalog
from bot.domain.claim import ReceiptRead
from bot.domain.io import Upload
from bot.service_receipts import read_receipts, unread

# What the workers import once, in their server, beside the conversion pipeline: the OCR
# (the reader itself: ``bot.service_receipts`` imports it only when it reads).
WARM_MODULES = ("bot.service_receipts", "bot.receipts.reader")


async def start_conversions(limits: Limits) -> Isolation:
    """Return conversion workers under ``limits``, warming in the background meanwhile.

    The bot starts polling without waiting for them (a restart after a crash answers sooner:
    0.7 s of a 2 s start); a file that comes first waits for its worker's warm start only.
    """
    pool = Isolation(limits, warm=WARM_MODULES)
    threading.Thread(target=pool.start, name="conversions-warm", daemon=True).start()
    return pool


@cache
def shared_conversions() -> Isolation:
    """Return the process's conversion workers with the default limits, started on first use."""
    return Isolation(Limits(), warm=WARM_MODULES)


async def convert_uploads(
    pool: Isolation, items: tuple[Upload, ...], language: str
) -> tuple[documents.ConvertedDocument, list[str]]:
    """Convert a file, or an album into one document, leaving out the album items that fail.

    Returns the document and one notice per item left out; raises ``DocumentRejected`` when
    nothing is usable (a limit hit included: ``too_slow``, ``too_heavy``).
    """
    if len(items) == 1:
        return await pool.call(documents.convert, items[0].data, items[0].filename), []
    try:
        return await pool.call(documents.convert_many, [item.data for item in items]), []
    except documents.DocumentRejected as whole:
        failure = whole
    # Only now look for the culprits, one by one: the good photos are kept.
    kept: list[bytes] = []
    rejected: list[str] = []
    catalog = get_catalog(language)
    for number, item in enumerate(items, start=1):
        try:
            await pool.call(documents.convert, item.data, item.filename)
        except documents.DocumentRejected as refused:
            rejected.append(catalog.text("documents_step.album_item_left_out", number=number,
                                         reason=refused.text(language)))
        else:
            kept.append(item.data)
    if not kept or not rejected:
        raise failure
    return await pool.call(documents.convert_many, kept), rejected


async def read_uploads(
    pool: Isolation, items: tuple[Upload, ...], today: date
) -> tuple[ReceiptRead, ...]:
    """Return what the reader read on each file, one job each; past a limit, nothing read."""
    readings: list[ReceiptRead] = []
    for item in items:
        try:
            readings += await pool.call(read_receipts, (item,), today)
        except documents.DocumentRejected:
            readings += unread((item,))
    return tuple(readings)
