"""First-page previews of stored documents, as small PNGs.

A PDF's first page is rendered with PDFium (``bot.documents.render``), text and drawings
included, as a viewer shows it; a photo is shown itself; anything else, or a PDF over the
documents' bounds (pages, objects), gets a blank-page placeholder. Runs in a worker thread:
decoding and rendering are CPU work.
"""

from __future__ import annotations

import io
import warnings
from functools import cache

from PIL import Image, ImageDraw, ImageOps

from bot.documents.pdfs import open_pdf
from bot.documents.render import render_pages
from bot.documents.sniff import IMAGE_KINDS, sniff

THUMBNAIL = (360, 500)
_MAX_PIXELS = 60_000_000  # beyond this a preview is not worth the memory: placeholder


@cache
def register_heif() -> None:
    """Let Pillow open HEIF photos (iPhones'); pillow-heif plugs in globally, on first use."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def _open_image(data: bytes) -> Image.Image | None:
    register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > _MAX_PIXELS:
                return None
            image.draft("RGB", THUMBNAIL)  # JPEG: decode at a reduced size, much faster
            image.load()
    except Exception:  # Pillow raises many types for bad bytes; a preview is optional
        return None
    return image


def _first_pdf_page(data: bytes) -> Image.Image | None:
    try:
        open_pdf(data)  # the same bounds as conversion: nothing unbounded is rendered
        pages = render_pages(data, (THUMBNAIL[0] * 2, THUMBNAIL[1] * 2), pages=1)
    except Exception:  # a malformed PDF has no preview, it is still downloadable
        return None
    return pages[0] if pages else None


def _png(image: Image.Image) -> bytes:
    image = ImageOps.exif_transpose(image) or image
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    image.thumbnail(THUMBNAIL)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@cache
def placeholder_png() -> bytes:
    """Return a blank page with a folded corner, for documents without a preview."""
    width, height = 180, 250
    image = Image.new("L", (width, height), 245)
    draw = ImageDraw.Draw(image)
    fold = 40
    draw.polygon([(10, 10), (width - fold, 10), (width - 10, fold), (width - 10, height - 10),
                  (10, height - 10)], outline=120, fill=255)
    draw.line([(width - fold, 10), (width - fold, fold), (width - 10, fold)], fill=120)
    for row in range(70, height - 30, 22):
        draw.line([(35, row), (width - 35, row)], fill=200, width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def has_preview(data: bytes) -> bool:
    """Tell whether ``data`` gets a real preview rather than the placeholder."""
    return preview_png(data) != placeholder_png()


def preview_png(data: bytes) -> bytes:
    """Return a PNG of the first page of ``data`` (a photo or a PDF), or the placeholder."""
    kind = sniff(data)
    image = None
    if kind == "pdf":
        image = _first_pdf_page(data)
    elif kind in IMAGE_KINDS:
        image = _open_image(data)
    return _png(image) if image is not None else placeholder_png()
