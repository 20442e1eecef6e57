"""The file plan: at most 10 named files, one PDF per category, split only when too large.

FIL-01 allows 10 files; FIL-05 lets a PDF hold many pages and proofs, so documents of one
category are merged first; FIL-06 says what to do when even that is more than 10 files.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pypdf import PdfWriter

from bot.documents.errors import DocumentRejected
from bot.documents.pdfs import open_pdf
from bot.domain.catalog import get_catalog
from bot.domain.categories import category_ids, category_label
from bot.domain.filenames import sources
from bot.domain.limits import MAX_FILES, MAX_PDF_BYTES

_FALLBACK_CATEGORY = "autre"


class PlanItem(NamedTuple):
    """One document to plan: its category, its compliant PDF, and where it comes from."""

    category: str
    pdf: bytes
    source: str = ""
    """A slug of its origin (``bot.domain.filenames``), or empty when unknown."""


@dataclass(frozen=True)
class OutputFile:
    """One file to upload: its name says its order, category and origin.

    ``03_facture-2.pdf``, ``01_facture_clinique-bangkok.pdf``; ``documents`` counts the
    documents merged into it.
    """

    name: str
    category: str
    pdf: bytes
    page_count: int
    documents: int = 1


@dataclass(frozen=True)
class FilePlan:
    """The files to upload; ``message`` is the French FIL-06 text when they are too many."""

    files: tuple[OutputFile, ...]
    fits: bool
    message: str | None


def categories(language: str = "fr") -> list[tuple[str, str]]:
    """Return (id, label) of each document category, in config/documents.toml order."""
    return [(category, category_label(category, language)) for category in category_ids()]


def _concatenate(pdfs: Sequence[bytes]) -> tuple[bytes, int]:
    writer = PdfWriter()
    try:
        for pdf in pdfs:
            writer.append(open_pdf(pdf))
        writer.compress_identical_objects()
        out = io.BytesIO()
        writer.write(out)
    except DocumentRejected:
        raise
    except Exception as exc:  # pypdf failing on a page it parsed: treat the file as corrupt
        raise DocumentRejected("corrupt") from exc
    return out.getvalue(), len(writer.pages)


def _merge_counted(pdfs: Sequence[bytes]) -> list[tuple[bytes, int, int]]:
    """Return each merged file, its pages and how many of ``pdfs`` it holds, in order."""
    groups: list[list[bytes]] = []
    merged: list[tuple[bytes, int]] = []
    for pdf in pdfs:
        candidate = _concatenate([*groups[-1], pdf]) if groups else None
        # Greedy keeps the order and, sizes being nearly additive, gives the fewest files.
        if candidate is not None and len(candidate[0]) <= MAX_PDF_BYTES:
            groups[-1].append(pdf)
            merged[-1] = candidate
        else:
            groups.append([pdf])
            merged.append(_concatenate([pdf]))
    # A file merged with nothing is passed on untouched: same bytes, no rewrite.
    return [
        (group[0], pages, 1) if len(group) == 1 else (pdf, pages, len(group))
        for group, (pdf, pages) in zip(groups, merged, strict=True)
    ]


def merge(pdfs: Sequence[bytes]) -> list[bytes]:
    """Concatenate compliant PDFs, in order, into as few files of ≤ 500 000 bytes as possible."""
    return [pdf for pdf, _, _ in _merge_counted(pdfs)]


def plan_files(items: Sequence[PlanItem]) -> FilePlan:
    """Group the items by category, merge each group and name the files."""
    order = [category for category, _ in categories()]
    grouped: dict[str, list[PlanItem]] = {}
    for item in items:
        category = item.category if item.category in order else _FALLBACK_CATEGORY
        grouped.setdefault(category, []).append(item)
    files: list[OutputFile] = []
    for category in order:
        group = grouped.get(category, [])
        start = 0
        for part, (pdf, pages, count) in enumerate(_merge_counted([i.pdf for i in group]),
                                                   start=1):
            suffix = f"-{part}" if part > 1 else ""
            origin = sources(item.source for item in group[start:start + count])
            name = f"{len(files) + 1:02d}_{category}{suffix}{'_' if origin else ''}{origin}.pdf"
            files.append(OutputFile(name, category, pdf, pages, count))
            start += count
    fits = len(files) <= MAX_FILES
    message = None
    if not fits:
        message = get_catalog("fr").text(
            "documents.plan.too_many_files", count=len(files), limit=MAX_FILES
        )
    return FilePlan(tuple(files), fits, message)
