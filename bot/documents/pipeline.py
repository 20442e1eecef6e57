"""One upload or several into one compliant PDF: A4 portrait pages, at most 500 000 bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from bot.documents.errors import DocumentRejected
from bot.documents.fitting import fit_pages, fit_pdf
from bot.documents.parallel import map_bounded
from bot.documents.pdfs import normalise_pdf
from bot.documents.photo import photo_page
from bot.documents.plan import merge
from bot.documents.sniff import require_supported
from bot.documents.writer import write_pdf
from bot.domain.catalog import get_catalog
from bot.domain.limits import MAX_DOWNLOAD_BYTES, MAX_PDF_BYTES

MAX_UPLOAD_BYTES = MAX_DOWNLOAD_BYTES  # what Telegram can hand over, and no more
_A4_LONG_SIDE_IN = 11.69


@dataclass(frozen=True)
class ConvertedDocument:
    """A compliant PDF, its page count, what it was made from and French remarks.

    ``notice_keys`` are the remarks' catalog keys (``documents.notice.*``), for another
    language: ``notice_texts("en")``.
    """

    pdf: bytes
    page_count: int
    source_kind: str
    notices: tuple[str, ...] = ()
    notice_keys: tuple[str, ...] = ()

    def notice_texts(self, language: str = "fr") -> tuple[str, ...]:
        """Return the remarks in ``language``."""
        catalog = get_catalog(language)
        return tuple(catalog.text(f"documents.notice.{key}") for key in self.notice_keys)


def _document(
    pdf: bytes, page_count: int, kind: str, keys: Sequence[str] = ()
) -> ConvertedDocument:
    unique = tuple(dict.fromkeys(keys))
    return ConvertedDocument(pdf, page_count, kind, tuple(map(_notice, unique)), unique)


def page_dpi(width_px: int, height_px: int) -> float:
    """Return the resolution an image of this size gives over an A4 page (long side)."""
    return max(width_px, height_px, 0) / _A4_LONG_SIDE_IN


def _notice(key: str) -> str:
    return get_catalog("fr").text(f"documents.notice.{key}")


def _check(data: bytes) -> str:
    if not data:
        raise DocumentRejected("empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocumentRejected("too_large", limit="20 Mo")
    return require_supported(data)


def _page(data: bytes) -> tuple[Image.Image, tuple[str, ...]]:
    page = photo_page(data)
    return page.image, ("animated",) if page.animated else ()


def _convert_pdf(data: bytes) -> ConvertedDocument:
    result = normalise_pdf(data, MAX_PDF_BYTES)
    return _document(result.pdf, result.page_count, "pdf", result.notices)


def convert(data: bytes, filename: str = "") -> ConvertedDocument:
    """Turn one upload (photo or PDF, told apart by content, not ``filename``) into a PDF."""
    del filename  # the name is only a hint from the user's phone; the bytes decide
    kind = _check(data)
    if kind == "pdf":
        return _convert_pdf(data)
    page, notices = _page(data)
    return _document(fit_pdf([page], MAX_PDF_BYTES), 1, kind, notices)


def convert_many(items: Sequence[bytes]) -> ConvertedDocument:
    """Turn several uploads of one document (a long receipt, an album) into one PDF, in order."""
    if not items:
        raise DocumentRejected("no_input")
    kinds = [_check(data) for data in items]
    if len(items) == 1:
        return convert(items[0])
    # Each item is independent until the size search: convert them at once, on every core.
    parts = map_bounded(
        lambda i: _convert_pdf(items[i]) if kinds[i] == "pdf" else _page(items[i]),
        range(len(items)),
    )
    pdf_parts = {i: part for i, part in enumerate(parts) if isinstance(part, ConvertedDocument)}
    photos = {i: part for i, part in enumerate(parts) if not isinstance(part, ConvertedDocument)}
    notices = [n for part in pdf_parts.values() for n in part.notice_keys]
    notices += [n for _, remarks in photos.values() for n in remarks]
    images = [page for page, _ in photos.values()]
    if not pdf_parts:
        pdf = fit_pdf(images, MAX_PDF_BYTES)
    else:
        # Photos share what the PDFs leave; merging costs a little, hence the 2 % margin.
        budget = int((MAX_PDF_BYTES - sum(len(part.pdf) for part in pdf_parts.values())) * 0.98)
        if images and budget <= 0:
            raise DocumentRejected("cannot_fit", limit="500 ko")
        encoded = dict(zip(photos, fit_pages(images, budget), strict=True)) if images else {}
        ordered = [
            pdf_parts[i].pdf if i in pdf_parts else write_pdf([encoded[i]])
            for i in range(len(items))
        ]
        merged = merge(ordered)
        if len(merged) != 1:
            raise DocumentRejected("cannot_fit", limit="500 ko")
        pdf = merged[0]
    kind = kinds[0] if len(set(kinds)) == 1 else "mixed"
    pages = sum(part.page_count for part in pdf_parts.values()) + len(photos)
    return _document(pdf, pages, kind, notices)
