"""Colour where it matters: coloured ink that grey would lose (issue 11 point 5).

A page is grey: half the bytes, and print reads as well. But a red or blue stamp turned grey
looks like a smudge, and a blue signature like a printed line, and caseworkers ask again. So a
page keeps its colour when its paper carries coloured ink: darker than the paper and of a
clearly different hue, over an area a stamp or a signature covers. The paper's own tint (warm
light, a shadow) is measured and taken away first; the table around the sheet does not count.

Decoding a 12 MP JPEG's chroma costs a third more than its luma alone, so a large photo is
decoded with its colours only when the small copy the camera stored beside it (the EXIF
thumbnail) shows coloured ink on its sheet (``thumbnail_bears_colour``); smaller images are
always decoded in colour, which costs a few milliseconds.

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
_HINT_STEP, _HINT_PIXELS = 10, 4  # on a 160 px thumbnail
_GAIN = 1.4  # the luma is stretched by the lighting: the ink's chroma is, a little


def _deviation(chroma: np.ndarray, lit: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """Return each pixel's chroma minus the paper's (int16), measured where ``paper``."""
    samples = chroma[paper & (lit > _PAPER_ABOVE)]
    tint = np.median(samples, axis=0) if len(samples) else np.array([128.0, 128.0])
    return chroma.astype(np.int16) - np.round(tint).astype(np.int16)


def _coloured(deviation: np.ndarray, lit: np.ndarray, step: int = _CHROMA_STEP) -> np.ndarray:
    coloured: np.ndarray = (np.abs(deviation).max(axis=2) >= step) & (lit < _INK_BELOW)
    return coloured


def has_coloured_ink(grey: np.ndarray, chroma: np.ndarray, paper: np.ndarray) -> bool:
    """Tell whether the ``paper`` area of a small copy (luma, chroma) bears coloured ink."""
    lit = lighten(grey)
    smooth = cv2.blur(chroma, (3, 3))  # sensor noise averages out, ink strokes stay
    coloured = _coloured(_deviation(smooth, lit, paper), lit) & paper
    count = int(np.count_nonzero(coloured))
    return count >= max(_MIN_PIXELS, _MIN_SHARE * int(np.count_nonzero(paper)))


def thumbnail_bears_colour(thumbnail: Image.Image) -> bool:
    """Tell whether a photo's thumbnail may show coloured ink on its sheet (or its frame).

    A hint only, so a generous one: at 160 px a stamp's ring is a pixel wide and half its
    hue is the paper's. A wrong yes costs a colour decode; the page is then judged in full.
    """
    ycc = np.asarray(thumbnail.convert("YCbCr"))
    grey = np.ascontiguousarray(ycc[:, :, 0])
    paper = np.ones(grey.shape, np.uint8)
    sheet = locate(grey)
    if sheet is not None:  # the table around the sheet (wood is coloured) does not count
        paper[:] = 0
        cv2.fillConvexPoly(paper, np.round(sheet.corners).astype(np.int32), 1)
    lit = lighten(grey)
    deviation = _deviation(ycc[:, :, 1:], lit, paper.astype(bool))
    coloured = _coloured(deviation, lit, _HINT_STEP) & paper.astype(bool)
    return int(np.count_nonzero(coloured)) >= _HINT_PIXELS


def lighten_colour(ycc: np.ndarray) -> np.ndarray:
    """Return a YCbCr page lit like a grey one, chroma kept on coloured ink only."""
    lit = lighten(np.ascontiguousarray(ycc[:, :, 0]))
    chroma = ycc[:, :, 1:]
    deviation = _deviation(chroma, lit, np.ones(lit.shape, bool))
    ink = _coloured(deviation, lit).astype(np.uint8)
    # The strokes' anti-aliased rims carry the hue too: widen the ink by a pixel.
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8)).astype(bool)
    kept = np.where(ink[:, :, None], np.clip(deviation * _GAIN, -127, 127), 0)
    return np.dstack([lit, (kept + 128).astype(np.uint8)])
