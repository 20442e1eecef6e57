"""Receipts and documents into files the online claim accepts (RULES.md FIL-01…FIL-07, DOC-09).

Photos (JPEG, PNG, HEIC/HEIF, WebP…) and PDFs become A4 portrait PDFs of at most 500 000
bytes that stay legible; ``plan_files`` names and merges them into at most 10 files.
No Telegram here: adapters call these pure, synchronous functions in a thread.

Usage:
    doc = convert(photo_bytes)            # one upload -> one compliant PDF
    plan = plan_files([("facture", doc.pdf)])
"""

from bot.documents.errors import DocumentRejected
from bot.documents.pipeline import (
    MAX_UPLOAD_BYTES,
    ConvertedDocument,
    convert,
    convert_many,
    page_dpi,
)
from bot.documents.plan import (
    FilePlan,
    OutputFile,
    categories,
    merge,
    plan_files,
)
from bot.domain.limits import MAX_FILES, MAX_PDF_BYTES

__all__ = [
    "MAX_FILES",
    "MAX_PDF_BYTES",
    "MAX_UPLOAD_BYTES",
    "ConvertedDocument",
    "DocumentRejected",
    "FilePlan",
    "OutputFile",
    "categories",
    "convert",
    "convert_many",
    "merge",
    "page_dpi",
    "plan_files",
]
