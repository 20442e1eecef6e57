"""Receipts and documents into files the online claim accepts (RULES.md FIL-01…FIL-07, DOC-09).

Photos (JPEG, PNG, HEIC/HEIF, WebP…) and PDFs become A4 portrait PDFs of at most 500 000
bytes that stay legible; ``plan_files`` names and merges them into at most 10 files.
No Telegram here: pure, synchronous functions; the bot runs each conversion in a worker
process bounded in memory and time (``bot.documents.isolation``).

Usage:
    doc = convert(photo_bytes)            # one upload -> one compliant PDF
    plan = plan_files([PlanItem("facture", doc.pdf, source="clinique-bangkok")])
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from bot.documents.errors import DocumentRejected
from bot.domain.limits import MAX_DOWNLOAD_BYTES as MAX_UPLOAD_BYTES
from bot.domain.limits import MAX_FILES, MAX_PDF_BYTES

if TYPE_CHECKING:
    from bot.documents.pipeline import ConvertedDocument, convert, convert_many, page_dpi
    from bot.documents.plan import (
        FilePlan,
        OutputFile,
        PlanItem,
        categories,
        merge,
        plan_files,
    )

# Pillow, pypdf and OpenCV take longer to import than the bot to start: the pipeline is
# imported on first use (a conversion), not when the bot starts.
_LAZY = {"ConvertedDocument": "pipeline", "convert": "pipeline", "convert_many": "pipeline",
         "page_dpi": "pipeline", "FilePlan": "plan", "OutputFile": "plan",
         "PlanItem": "plan", "categories": "plan", "merge": "plan", "plan_files": "plan"}


def __getattr__(name: str) -> Any:
    """Import the conversion modules when one of their names is first used."""
    if name in _LAZY:
        return getattr(import_module(f"bot.documents.{_LAZY[name]}"), name)
    raise AttributeError(name)


__all__ = [
    "MAX_FILES",
    "MAX_PDF_BYTES",
    "MAX_UPLOAD_BYTES",
    "ConvertedDocument",
    "DocumentRejected",
    "FilePlan",
    "OutputFile",
    "PlanItem",
    "categories",
    "convert",
    "convert_many",
    "merge",
    "page_dpi",
    "plan_files",
]
