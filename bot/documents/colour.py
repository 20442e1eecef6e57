"""Colour where it matters: coloured ink that grey would lose (issue 11 point 5).

A page is grey: half the bytes, and print reads as well. But a red or blue stamp turned grey
looks like a smudge, and a blue signature like a printed line, and caseworkers ask again. So a
page keeps its colour when its paper carries coloured ink: darker than the paper and of a
clearly different hue, over an area a stamp or a signature covers. The paper's own tint (warm
light, a shadow) is measured and taken away first; the table around the sheet does not count.

Decoding a 12 MP JPEG's chroma costs a third more than its luma alone, so a large photo is
decoded with its colours only when the small copy the camera stored beside it (the EXIF
thumbnail) shows coloured ink on its sheet (``thumbnail_bears_colour``); without one (an app
that strips EXIF, a scan's page inside a PDF) a copy decoded at 1/8 scale and reduced to the
same size stands in for it, for a few milliseconds more. Smaller images are always decoded
in colour, which costs a few milliseconds; a PDF page that is not a JPEG is decoded whole, in
colour when it has any.

A kept colour page is the grey page's luma, lit the same way, with the chroma of the ink only:
the paper and black print stay neutral, which costs the JPEG almost nothing.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from bot.documents.enhance import lighten
from bot.documents.sheet import locate

_PAPER_ABOVE = 200  # lit luma: paper, where its tint is measured
_INK_BELOW = 215  # lit luma: ink, or the pale ink of a stamp
_CHROMA_STEP = 18  # from the paper's Cb or Cr: coloured (noise and the light's tint are < 8)
_MIN_SHARE = 0.0005  # of the paper: a signature's strokes on the small copy the sheet is found on
_MIN_PIXELS = 40
_TINT_SAMPLES = 20_000
_HINT_STEP, _HINT_PIXELS = 10, 4  # on a 160 px thumbnail
_GAIN = 1.4  # the luma is stretched by the lighting: the ink's chroma is, a little


def _tint(planes: list[np.ndarray], lit: np.ndarray, paper: np.ndarray) -> list[int]:
    """Return the paper's Cb and Cr: their medians where ``paper`` is lit as paper."""
    stride = max(1, int(np.sqrt(lit.size / _TINT_SAMPLES)))  # a median needs no more
    where = paper[::stride, ::stride] & (lit[::stride, ::stride] > _PAPER_ABOVE)
    if not where.any():
        return [128, 128]
    return [int(np.median(plane[::stride, ::stride][where])) for plane in planes]


def _coloured(
    planes: list[np.ndarray], tint: list[int], lit: np.ndarray, step: int = _CHROMA_STEP
) -> np.ndarray:
    """Return where the chroma is ``step`` or more from the paper's, on ink (uint8 0/255)."""
    far = [
        cv2.absdiff(plane, np.full_like(plane, value))
        for plane, value in zip(planes, tint, strict=True)
    ]
    coloured = np.asarray(cv2.max(far[0], far[1])) >= step
    return (coloured & (lit < _INK_BELOW)).astype(np.uint8) * 255


def _count_on(coloured: np.ndarray, paper: np.ndarray) -> int:
    return int(np.count_nonzero(coloured.astype(bool) & paper))


def has_coloured_ink(grey: np.ndarray, chroma: np.ndarray, paper: np.ndarray) -> bool:
    """Tell whether the ``paper`` area of a small copy (luma, chroma) bears coloured ink."""
    lit = lighten(grey)
    planes = list(cv2.split(cv2.blur(chroma, (3, 3))))  # noise averages out, strokes stay
    count = _count_on(_coloured(planes, _tint(planes, lit, paper), lit), paper)
    return count >= max(_MIN_PIXELS, _MIN_SHARE * int(np.count_nonzero(paper)))


def thumbnail_bears_colour(thumbnail: Image.Image) -> bool:
    """Tell whether a photo's thumbnail may show coloured ink on its sheet (or its frame).

    A hint only, so a generous one: at 160 px a stamp's ring is a pixel wide and half its
    hue is the paper's. A wrong yes costs a colour decode; the page is then judged in full.
    """
    grey, *planes = (np.asarray(plane) for plane in thumbnail.convert("YCbCr").split())
    paper = np.ones(grey.shape, np.uint8)
    sheet = locate(grey)
    if sheet is not None:  # the table around the sheet (wood is coloured) does not count
        paper[:] = 0
        cv2.fillConvexPoly(paper, np.round(sheet.corners).astype(np.int32), 1)
    lit, on_paper = lighten(grey), paper.astype(bool)
    coloured = _coloured(planes, _tint(planes, lit, on_paper), lit, _HINT_STEP)
    return _count_on(coloured, on_paper) >= _HINT_PIXELS


def lighten_colour(ycc: np.ndarray) -> np.ndarray:
    """Return a YCbCr page lit like a grey one, chroma kept on coloured ink only."""
    luma, *planes = cv2.split(ycc)
    lit = lighten(luma)
    tint = _tint(planes, lit, np.ones(lit.shape, bool))
    # The strokes' anti-aliased rims carry the hue too: widen the ink by a pixel.
    ink = cv2.dilate(_coloured(planes, tint, lit), np.ones((3, 3), np.uint8))
    kept = []
    for plane, value in zip(planes, tint, strict=True):
        neutral = np.full_like(plane, 128)
        # 128 + (C - tint) × gain, saturated to 0..255: the ink's hue, away from the paper's.
        stretched = cv2.addWeighted(plane, _GAIN, plane, 0.0, 128 - value * _GAIN)
        kept.append(cv2.copyTo(stretched, ink, neutral))
    return np.asarray(cv2.merge([lit, *kept]))
