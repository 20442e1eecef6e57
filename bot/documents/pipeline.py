"""One upload or several into one compliant PDF: A4 portrait pages, at most 500 000 bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from PIL import Image

from bot.documents.errors import DocumentRejected
from bot.documents.fitting import fit_pages, fit_pdf
from bot.documents.parallel import map_bounded
from bot.documents.pdfs import normalise_pdf
from bot.documents.photo import photo_page
from bot.documents.plan import merge
from bot.documents.sniff import require_supported
from bot.documents.tickets import PageLayout, lay_out, shown_at_most
from bot.documents.writer import write_pdf
from bot.domain.catalog import get_catalog
from bot.domain.limits import MAX_DOWNLOAD_BYTES, MAX_PDF_BYTES

MAX_UPLOAD_BYTES = MAX_DOWNLOAD_BYTES  # what Telegram can hand over, and no more
_A4_LONG_SIDE_IN = 11.69


@dataclass(frozen=True)
class ConvertedDocument:
    """A compliant PDF, its page count, what it was made from and French remarks.

    ``notice_keys`` are the remarks' catalog keys (``documents.notice.*``), for another
    language: ``notice_texts("en")``. ``shared``: how many tickets were put together, on how
    many pages (DOC-09, ``tickets``).
    """

    pdf: bytes
    page_count: int
    source_kind: str
    notices: tuple[str, ...] = ()
    notice_keys: tuple[str, ...] = ()
    shared: tuple[int, int] = (0, 0)

    def notice_texts(self, language: str = "fr") -> tuple[str, ...]:
        """Return the remarks in ``language``."""
        return tuple(_notice(key, self.shared, language) for key in self.notice_keys)


def _document(
    pdf: bytes, page_count: int, kind: str, keys: Sequence[str] = (),
    shared: tuple[int, int] = (0, 0),
) -> ConvertedDocument:
    unique = (*dict.fromkeys(keys), *(("tickets_shared",) if shared[0] else ()))
    texts = tuple(_notice(key, shared) for key in unique)
    return ConvertedDocument(pdf, page_count, kind, texts, unique, shared)


def page_dpi(width_px: int, height_px: int) -> float:
    """Return the resolution an image of this size gives over an A4 page (long side)."""
    return max(width_px, height_px, 0) / _A4_LONG_SIDE_IN


def _notice(key: str, shared: tuple[int, int], language: str = "fr") -> str:
    tickets, pages = shared
    return get_catalog(language).text(f"documents.notice.{key}", tickets=tickets, pages=pages)


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
    # Photos in a row (no PDF between them) are laid out together: small tickets share pages.
    runs = [list(run) for is_pdf, run in groupby(range(len(items)), key=pdf_parts.__contains__)
            if not is_pdf]
    layouts = [lay_out([photos[i][0] for i in run]) for run in runs]
    images = [image for run, lay in zip(runs, layouts, strict=True)
              for image in shown_at_most([photos[i][0] for i in run], lay)]
    shared = (sum(lay.tickets_shared for lay in layouts), sum(lay.shared_pages for lay in layouts))
    if not pdf_parts:
        pdf = fit_pdf(images, MAX_PDF_BYTES, layouts[0].pages)
    else:
        pdf = _with_pdfs(items, pdf_parts, images, runs, layouts)
    kind = kinds[0] if len(set(kinds)) == 1 else "mixed"
    pages = sum(part.page_count for part in pdf_parts.values())
    pages += sum(len(lay.pages) for lay in layouts)
    return _document(pdf, pages, kind, notices, shared)


def _with_pdfs(
    items: Sequence[bytes], pdf_parts: dict[int, ConvertedDocument], images: list[Image.Image],
    runs: list[list[int]], layouts: list[PageLayout],
) -> bytes:
    """Return the PDFs and the photos' pages, in order, in one file within the size limit."""
    # Photos share what the PDFs leave; merging costs a little, hence the 2 % margin.
    budget = int((MAX_PDF_BYTES - sum(len(part.pdf) for part in pdf_parts.values())) * 0.98)
    if images and budget <= 0:
        raise DocumentRejected("cannot_fit", limit="500 ko")
    encoded = iter(fit_pages(images, budget) if images else [])
    photo_parts = {run[0]: write_pdf([next(encoded) for _ in run], layout.pages)
                   for run, layout in zip(runs, layouts, strict=True)}
    ordered = [pdf_parts[i].pdf if i in pdf_parts else photo_parts[i]
               for i in range(len(items)) if i in pdf_parts or i in photo_parts]
    merged = merge(ordered)
    if len(merged) != 1:
        raise DocumentRejected("cannot_fit", limit="500 ko")
    return merged[0]
