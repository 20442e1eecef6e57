"""Incoming PDFs: bounded, cleaned of active content, kept when compliant, else remade.

- Bounds first, before any rendering: at most ``MAX_PDF_PAGES`` pages, counted by walking the
  page tree (its /Count may lie, a page may be listed 100 000 times) and at most
  ``MAX_PDF_OBJECTS`` objects.
- A compliant PDF without active content is passed on byte for byte.
- Otherwise its pages are brought to A4 portrait with pypdf transformations and its active
  content removed (``active``). If that is still over the budget: a PDF of scans (one image
  per page) goes through the photo path, each page image extracted once, lit and fitted, its
  JPEG written straight out; any other PDF is rendered with PDFium and fitted the same way
  (FIL-03, FIL-04).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DictionaryObject, NameObject, PdfObject, RectangleObject

from bot.documents.active import has_active_content, remove_active_content
from bot.documents.errors import DocumentRejected
from bot.documents.fitting import fit_pdf
from bot.documents.images import PAGE_MAX_PX
from bot.documents.render import render_pages
from bot.documents.scans import scan_pages
from bot.documents.writer import A4_HEIGHT_PT, A4_WIDTH_PT

MAX_PDF_PAGES = 50
MAX_PDF_OBJECTS = 100_000
_MAX_TREE_NODES = 4 * MAX_PDF_PAGES  # intermediate /Pages nodes included
_TOLERANCE_PT = 1.0
_A4_BOX = RectangleObject([0, 0, A4_WIDTH_PT, A4_HEIGHT_PT])
_BOXES = ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox")


@dataclass(frozen=True)
class PdfResult:
    """A compliant PDF and what was done to it (notice keys, see documents.notice)."""

    pdf: bytes
    page_count: int
    kept: bool
    notices: tuple[str, ...] = ()


def _count_pages(reader: PdfReader) -> int:
    """Count the page tree's leaves, refusing more than MAX_PDF_PAGES before reading them."""
    pages, nodes = 0, 0
    stack: list[PdfObject] = [reader.root_object["/Pages"]]
    while stack:
        node = stack.pop().get_object()
        nodes += 1
        if nodes > _MAX_TREE_NODES:
            raise DocumentRejected("too_many_pages", limit=MAX_PDF_PAGES)
        if not isinstance(node, DictionaryObject):
            raise DocumentRejected("corrupt")
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            stack.extend(node.get("/Kids", []))
        else:
            pages += 1
            if pages > MAX_PDF_PAGES:
                raise DocumentRejected("too_many_pages", limit=MAX_PDF_PAGES)
    return pages


def open_pdf(data: bytes) -> PdfReader:
    """Parse ``data``, refusing encrypted, corrupt, empty and oversized PDFs clearly."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentRejected("encrypted")
        if int(reader.trailer.get("/Size", 0)) > MAX_PDF_OBJECTS:
            raise DocumentRejected("too_complex")
        count = _count_pages(reader)
    except DocumentRejected:
        raise
    except Exception as exc:  # pypdf raises many types on broken files and failed decryption
        if "encrypt" in str(exc).lower() or "decrypt" in str(exc).lower():
            raise DocumentRejected("encrypted") from exc
        raise DocumentRejected("corrupt") from exc
    if count == 0:
        raise DocumentRejected("empty_pdf")
    return reader


def _shown_size(page: PageObject) -> tuple[float, float]:
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    return (height, width) if page.rotation % 180 else (width, height)


def is_compliant(reader: PdfReader, size: int, budget: int) -> bool:
    """Tell whether every page is A4 portrait (±1 pt) and the file within ``budget``."""
    if size > budget:
        return False
    for page in reader.pages:
        width, height = _shown_size(page)
        if abs(width - A4_WIDTH_PT) > _TOLERANCE_PT or abs(height - A4_HEIGHT_PT) > _TOLERANCE_PT:
            return False
    return True


def _to_a4(page: PageObject) -> None:
    """Bake rotation into the content, turn landscape, scale and centre onto an A4 box."""
    page.transfer_rotation_to_content()
    box = page.cropbox
    x0, y0 = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    move = Transformation().translate(-x0, -y0)
    if width > height:  # landscape: turned, not shrunk
        move = move.rotate(90).translate(height, 0)
        width, height = height, width
    scale = min(A4_WIDTH_PT / width, A4_HEIGHT_PT / height)
    move = move.scale(scale, scale).translate(
        (A4_WIDTH_PT - width * scale) / 2, (A4_HEIGHT_PT - height * scale) / 2
    )
    page.add_transformation(move)
    for name in _BOXES:
        page[NameObject(name)] = _A4_BOX


def _reshaped(reader: PdfReader) -> tuple[bytes, bool]:
    """Return the PDF on A4 portrait pages without active content, and whether any was cut."""
    writer = PdfWriter(clone_from=reader)
    removed = remove_active_content(writer.root_object)
    for page in writer.pages:
        _to_a4(page)
        page.compress_content_streams()
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), removed


def normalise_pdf(data: bytes, budget: int) -> PdfResult:
    """Return ``data`` unchanged if compliant and inert, else remade within ``budget``."""
    reader = open_pdf(data)
    count = len(reader.pages)
    active = has_active_content(reader.trailer)
    if not active and is_compliant(reader, len(data), budget):
        return PdfResult(data, count, kept=True)
    notices = ("active_removed",) if active else ()
    try:
        pdf, _ = _reshaped(reader)
        if len(pdf) <= budget:
            return PdfResult(pdf, count, kept=False, notices=("pdf_reshaped", *notices))
        pages = scan_pages(reader)
        if pages is None:  # text or drawings: the reshaped pages, rendered
            pages = render_pages(pdf, PAGE_MAX_PX)
        shrunk = fit_pdf(pages, budget)
    except DocumentRejected as refused:
        if refused.code == "cannot_fit":
            raise DocumentRejected("pdf_too_large", limit="500 ko") from refused
        raise
    except Exception as exc:  # a page pypdf or PDFium cannot handle
        raise DocumentRejected("corrupt") from exc
    return PdfResult(shrunk, count, kept=False, notices=("pdf_recompressed", *notices))
