"""Make a photo read like a scan: even lighting, dark text on white paper.

The paper's brightness is estimated on a small copy (ink lifted away, shadows and gradients
kept), then each pixel is divided by it and the levels stretched so paper is white and ink
dark. OpenCV does the full-size passes (one division, one lookup), in SIMD C code.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from bot.documents.images import reduce_by

_SMALL_SIDE = 160  # the lighting estimate needs no more than this


def _background(pixels: np.ndarray) -> np.ndarray:
    height, width = pixels.shape
    factor = max(1, min(height, width) // _SMALL_SIDE)
    small = reduce_by(pixels, factor)
    # Ink strokes are 1–2 px on the small copy: a 3×3 max filter lifts the paper over them,
    # the blur follows shadows and gradients smoothly.
    small = cv2.GaussianBlur(cv2.dilate(small, np.ones((3, 3), np.uint8)), (0, 0), 3)
    return cv2.resize(np.maximum(small, 1), (width, height), interpolation=cv2.INTER_LINEAR)


def _levels(flat: np.ndarray) -> np.ndarray:
    """Return the lookup table that makes the paper (the bulk of the page) white, ink dark."""
    cumulative = np.cumsum(cv2.calcHist([flat], [0], None, [256], [0, 256]).ravel())
    total = int(cumulative[-1])
    black = int(np.searchsorted(cumulative, total * 0.005, side="right")) - 1
    white = int(np.searchsorted(cumulative, total * 0.5, side="right")) - 1
    # Clamp both points so a blank or nearly blank page is not stretched into grey noise.
    black = min(max(black, 0), 96)
    white = max(white - 8, 160)
    levels = (np.arange(256) - black) * 255 // (white - black)
    return np.clip(levels, 0, 255).astype(np.uint8)


def lighten(pixels: np.ndarray) -> np.ndarray:
    """Divide by the estimated paper brightness, then stretch so paper is white and ink dark."""
    flat = cv2.divide(pixels, _background(pixels), scale=255)  # saturates at 255: paper
    return np.asarray(cv2.LUT(flat, _levels(flat)))


def even_lighting(grey: Image.Image) -> Image.Image:
    """Return ``grey`` ("L") evenly lit, as ``lighten`` does to pixels."""
    return Image.fromarray(lighten(np.asarray(grey)))
