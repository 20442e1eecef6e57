"""The page to OCR: the photo upright, in grey, cropped to the sheet, evenly lit.

Receipts are often small in the frame, below what the sheet finder of ``bot/documents``
accepts; here the receipt is the box around the edges of its paper and print, found on a small
copy, cropped from a decode at a scale where printed text stays 20 px or more high, then
turned so its rows are level.
"""

from __future__ import annotations

import io
import math
import warnings

import cv2
import numpy as np
from PIL import Image, ImageOps

from bot.documents.enhance import even_lighting
from bot.documents.images import MAX_PIXELS

OCR_LONG_SIDE = 2200  # decode the photo at about this size (12 MP: half scale)
_MARGIN = 0.02  # of the long side, around the edges found
_SMALL = 200  # the skew estimate needs no more
_DETECT_SIDE = 640
_LOG = np.array([round(math.log1p(v) * 255 / math.log(256)) for v in range(256)], np.uint8)


def _sheet_box(grey: Image.Image) -> tuple[int, int, int, int] | None:
    """Return the box around the paper's outline and print, found as edges on a small copy.

    Edges are taken in the logarithm of brightness, where the step from table to paper is the
    same under the lamp as in the phone's shadow; the table's grain is blurred away first.
    Every edge blob at least a tenth the size of the largest belongs to the receipt.
    """
    small = grey.copy()
    small.thumbnail((_DETECT_SIDE, _DETECT_SIDE))
    logged = cv2.GaussianBlur(_LOG[np.asarray(small)], (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(logged, 20, 60), np.ones((9, 9), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(edges)
    if count < 2:
        return None
    blobs = stats[1:]
    kept = blobs[blobs[:, cv2.CC_STAT_AREA] >= blobs[:, cv2.CC_STAT_AREA].max() * 0.1]
    scale = grey.width / small.width
    left, top = kept[:, 0].min(), kept[:, 1].min()
    right, bottom = (kept[:, 0] + kept[:, 2]).max(), (kept[:, 1] + kept[:, 3]).max()
    margin = _MARGIN * max(grey.size)
    return (max(0, round(left * scale - margin)), max(0, round(top * scale - margin)),
            min(grey.width, round(right * scale + margin)),
            min(grey.height, round(bottom * scale + margin)))


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
    box = _sheet_box(upright)
    page = even_lighting(upright.crop(box) if box else upright)
    angle = _skew(page)
    if angle:
        page = page.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return page
