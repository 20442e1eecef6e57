"""Incoming PDFs: keep them when compliant, else A4 portrait pages and recompressed images.

Pages are reshaped with pypdf transformations (no rasterising: that would need a PDF renderer
we do not depend on). Images are re-encoded from their decoded pixels, once per candidate
setting, and the setting is found by bisection like for photos (FIL-03, FIL-04).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, RectangleObject

from bot.documents.errors import DocumentRejected
from bot.documents.fitting import LADDER
from bot.documents.images import PAGE_MAX_PX
from bot.documents.writer import A4_HEIGHT_PT, A4_WIDTH_PT

_LOGGER = logging.getLogger(__name__)
_TOLERANCE_PT = 1.0
_A4_BOX = RectangleObject([0, 0, A4_WIDTH_PT, A4_HEIGHT_PT])
_BOXES = ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox")


_Pixels = dict[tuple[int, str], Image.Image]


@dataclass(frozen=True)
class PdfResult:
    """A compliant PDF and what was done to it."""

    pdf: bytes
    page_count: int
    kept: bool


def open_pdf(data: bytes) -> PdfReader:
    """Parse ``data``, refusing encrypted, corrupt and empty PDFs with a clear message."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentRejected("encrypted")
        count = len(reader.pages)
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


def _decoded_images(reader: PdfReader) -> _Pixels:
    """Decode each page image once, grey, no larger than an A4 page needs."""
    pixels: _Pixels = {}
    for number, page in enumerate(reader.pages):
        for image in page.images:
            try:
                decoded = image.image
            except Exception:  # an image pypdf cannot decode is kept as it is
                _LOGGER.debug("undecodable image kept", exc_info=True)
                continue
            if decoded is None:
                continue
            grey = decoded.convert("L")
            grey.thumbnail((max(PAGE_MAX_PX), max(PAGE_MAX_PX)), Image.Resampling.LANCZOS)
            pixels[(number, image.name)] = grey
    return pixels


def _rebuild(reader: PdfReader, pixels: _Pixels, step: int | None) -> bytes:
    writer = PdfWriter(clone_from=reader)
    for number, page in enumerate(writer.pages):
        _to_a4(page)
        if step is not None:
            scale, quality = LADDER[step]
            for image in page.images:
                grey = pixels.get((number, image.name))
                if grey is None:
                    continue
                if scale < 1.0:
                    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
                    grey = grey.resize(size, Image.Resampling.LANCZOS)
                image.replace(grey, quality=quality)
        page.compress_content_streams()
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def normalise_pdf(data: bytes, budget: int) -> PdfResult:
    """Return ``data`` unchanged if compliant, else reshaped and recompressed within ``budget``."""
    reader = open_pdf(data)
    count = len(reader.pages)
    if is_compliant(reader, len(data), budget):
        return PdfResult(data, count, kept=True)
    try:
        pdf = _rebuild(reader, {}, None)
        if len(pdf) > budget:
            pdf = _shrink(reader, budget)
    except DocumentRejected:
        raise
    except Exception as exc:  # a page pypdf cannot rewrite
        raise DocumentRejected("corrupt") from exc
    return PdfResult(pdf, count, kept=False)


def _shrink(reader: PdfReader, budget: int) -> bytes:
    pixels = _decoded_images(reader)
    if not pixels:
        raise DocumentRejected("pdf_too_large", limit="500 ko")
    results: dict[int, bytes] = {}

    def size_at(step: int) -> int:
        if step not in results:
            results[step] = _rebuild(reader, pixels, step)
        return len(results[step])

    low, high = -1, len(LADDER) - 1  # low: known not to fit (or before the ladder)
    if size_at(high) > budget:
        raise DocumentRejected("pdf_too_large", limit="500 ko")
    while high - low > 1:
        middle = (low + high) // 2
        if size_at(middle) <= budget:
            high = middle
        else:
            low = middle
    return results[high]
