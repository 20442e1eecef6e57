"""PDF pages as pixels, with PDFium (pypdfium2 ships its own binary: nothing to install).

Used where a PDF's pages must become images: a vector PDF too large to keep as it is, and the
operator console's previews. PDFium is not thread-safe: one rendering at a time.
"""

from __future__ import annotations

import threading

import pypdfium2 as pdfium
from PIL import Image

_LOCK = threading.Lock()


def render_pages(
    data: bytes, max_size: tuple[int, int], pages: int | None = None
) -> list[Image.Image]:
    """Return the first ``pages`` pages (all if None) in grey, each fitted in ``max_size`` px."""
    with _LOCK:
        document = pdfium.PdfDocument(data)
        try:
            count = len(document) if pages is None else min(pages, len(document))
            rendered = [_render(document[i], max_size) for i in range(count)]
        finally:
            document.close()
    return rendered


def render_page(
    data: bytes, index: int, max_size: tuple[int, int], *, grey: bool = True
) -> Image.Image:
    """Return page ``index`` (from 0) fitted in ``max_size`` px; IndexError past the last."""
    with _LOCK:
        document = pdfium.PdfDocument(data)
        try:
            if not 0 <= index < len(document):
                raise IndexError(index)
            return _render(document[index], max_size, grey=grey)
        finally:
            document.close()


def _render(page: pdfium.PdfPage, max_size: tuple[int, int], *, grey: bool = True) -> Image.Image:
    try:
        width, height = page.get_size()  # points, page rotation included
        scale = min(max_size[0] / width, max_size[1] / height)
        # Grey, as a scanner would: half the bytes of colour for text pages.
        bitmap = page.render(scale=scale, grayscale=grey)
        image: Image.Image = bitmap.to_pil().convert("L" if grey else "RGB")
        return image
    finally:
        page.close()
