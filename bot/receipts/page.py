"""The page to OCR: the photo upright, in grey, cropped to the sheet, evenly lit.

Receipts are small in the frame and the sheet finder of ``bot/documents`` needs a contrasted
edge all round; here the paper is simply the bright part of the photo, found on a small copy,
and cropped from a decode at a scale where printed text stays 20 px or more high.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from bot.documents.enhance import even_lighting
from bot.documents.images import MAX_PIXELS

OCR_LONG_SIDE = 2200  # decode the photo at about this size (12 MP: half scale)
_MARGIN = 0.03
_SMALL = 200


def _bright_box(grey: Image.Image) -> tuple[int, int, int, int] | None:
    small = grey.copy()
    small.thumbnail((_SMALL, _SMALL))
    small = small.filter(ImageFilter.MedianFilter(5))
    extrema = small.getextrema()  # "L": one (min, max) pair
    low, high = int(extrema[0]), int(extrema[1])  # type: ignore[arg-type]  # a pair for "L"
    if high - low < 40:
        return None  # no contrast: keep the whole frame
    threshold = (low + high) // 2 + (high - low) // 6
    box = small.point(lambda v: 255 if v > threshold else 0).getbbox()
    if box is None:
        return None
    scale_x, scale_y = grey.width / small.width, grey.height / small.height
    margin_x, margin_y = grey.width * _MARGIN, grey.height * _MARGIN
    return (max(0, round(box[0] * scale_x - margin_x)), max(0, round(box[1] * scale_y - margin_y)),
            min(grey.width, round(box[2] * scale_x + margin_x)),
            min(grey.height, round(box[3] * scale_y + margin_y)))


def _skew(page: Image.Image) -> float:
    """Return the angle that makes the text rows horizontal (projection profile, ±6°)."""
    small = page.copy()
    small.thumbnail((_SMALL * 2, _SMALL * 2))
    ink = ImageOps.invert(small).point(lambda v: 255 if v > 96 else 0)

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, Image.Resampling.BILINEAR), dtype=np.float64)
        return float(np.var(rows.sum(axis=1)))

    angles = [a / 2 for a in range(-12, 13)]  # half-degree steps
    return max(angles, key=sharpness)


def load_page(data: bytes) -> Image.Image:
    """Decode ``data`` (an image) into the grey page to OCR; raises on unreadable bytes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValueError("too many pixels")
        image.draft("L", (OCR_LONG_SIDE, OCR_LONG_SIDE))
        upright = ImageOps.exif_transpose(image).convert("L")
    upright.thumbnail((OCR_LONG_SIDE, OCR_LONG_SIDE))
    box = _bright_box(upright)
    page = even_lighting(upright.crop(box) if box else upright)
    angle = _skew(page)
    if angle:
        page = page.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return page
