"""Full-size pages of stored documents, as JPEGs the console shows in the page (and zooms).

A PDF page is rendered in colour by PDFium (stamps and signatures stay visible), a photo is
shown itself; both are fitted in ``FULL_SIZE`` (A4 at 200 dpi: print readable at 200 %).
The stored files passed conversion, so their pages and pixels are within its bounds; at most
``RENDERS`` pages are rendered at once. CPU work: call from a worker thread.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from bot.documents.images import MAX_PIXELS
from bot.documents.pdfs import open_pdf
from bot.documents.render import render_page
from bot.documents.sniff import IMAGE_KINDS, sniff
from bot.operator.previews import register_heif

FULL_SIZE = (1654, 2339)
RENDERS = 2
"""Pages rendered at once, across requests (a page costs ~15 MB and ~0.1 s of CPU)."""


def page_count(data: bytes) -> int:
    """Return how many pages ``data`` shows: a PDF's pages, 1 for a photo, 0 otherwise."""
    kind = sniff(data)
    if kind == "pdf":
        try:
            return len(open_pdf(data).pages)
        except Exception:  # a malformed PDF shows no page; it is still downloadable
            return 0
    return 1 if kind in IMAGE_KINDS else 0


def _photo(data: bytes) -> Image.Image | None:
    register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:  # conversion's bound: never reached
                return None
            image.draft("RGB", FULL_SIZE)  # JPEG: decode at the size shown, faster
            image.load()
    except Exception:  # Pillow raises many types for bad bytes
        return None
    return ImageOps.exif_transpose(image) or image


def page_jpeg(data: bytes, number: int) -> bytes | None:
    """Return page ``number`` (from 1) of ``data`` as a JPEG, or None if it has none."""
    kind = sniff(data)
    image: Image.Image | None = None
    if kind == "pdf":
        try:
            open_pdf(data)  # the same bounds as conversion: nothing unbounded is rendered
            image = render_page(data, number - 1, FULL_SIZE, grey=False)
        except Exception:  # malformed, or no such page
            image = None
    elif kind in IMAGE_KINDS and number == 1:
        image = _photo(data)
    if image is None:
        return None
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    image.thumbnail(FULL_SIZE)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
