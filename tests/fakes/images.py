"""Test images: invoice-like pages, drawn on the fly (no binary fixtures in git)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def make_jpeg(width: int = 1654, height: int = 2339, seed: int = 0) -> bytes:
    """Draw an invoice-like page (lines of dark blocks on white) as a JPEG."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    step = max(height // 40, 8)
    for row, top in enumerate(range(step * 2, height - step * 2, step)):
        length = width // 3 + ((row * 37 + seed * 11) % (width // 2))
        draw.rectangle((width // 12, top, width // 12 + length, top + step // 2), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def make_pdf(pages: int = 1, seed: int = 0) -> bytes:
    """Make an A4 PDF of ``pages`` scanned-looking pages."""
    images = [Image.open(io.BytesIO(make_jpeg(1240, 1754, seed + n))) for n in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=150.0, save_all=True, append_images=images[1:])
    return buffer.getvalue()
