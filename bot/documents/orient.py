"""Which way the text runs, and where it lies, on an evenly lit page (dark ink on white).

Used when no sheet was found in the photo: the frame's width and height say nothing about the
page (a receipt photographed in a landscape frame is still a portrait page), the text does.

- Direction: across text lines the ink profile is peaked (lines, gaps), along them it is
  even. The profiles are taken over a few small tilts (the best one counts), so a page a few
  degrees askew still shows its lines. The page is turned only when the lines clearly run
  down the page; a page whose text is already level is never turned.
- Which quarter turn: Latin print has a flat baseline and a ragged top (capitals, ascenders),
  so each line's ink ends more sharply below than above; the turn that puts the sharp edges
  below is upright.
- Bounds: the box holding the ink, so a narrow ticket fills the page instead of the frame.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

_INK = 128  # darker than this on an evenly lit page is ink
_TILTS = np.radians(np.arange(-6, 7, 1.5))  # the page may be a little askew
_TURN_EVIDENCE = 1.25  # down-the-page lines must be this much more marked than level ones
_MIN_INK = 0.002  # below this share of ink there is nothing to read: leave the page be
_MAX_POINTS = 12_000  # ink pixels sampled for the profiles
_MARGIN = 0.03  # of the page's long side, kept around the ink
_PAPER = 245  # mean brightness of blank paper once lit: a table or a shadow stays below


def _ink(lit: Image.Image) -> np.ndarray:
    return np.asarray(lit) < _INK


def _strokes(lit: Image.Image) -> np.ndarray:
    """Return the thin ink (print), without the large dark areas (a table, a shadow left)."""
    ink = _ink(lit).astype(np.uint8)
    size = max(7, max(lit.size) // 150) | 1
    blobs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((size, size), np.uint8))
    return (ink > blobs)


def _profile(across: np.ndarray) -> np.ndarray:
    """Return the ink profile of points at coordinates ``across`` (1-px bins)."""
    return np.bincount((across - across.min()).astype(np.intp)).astype(np.float64)


def _peakiness(profile: np.ndarray) -> float:
    # Lines and gaps: the ink gathers in few bins, the sum of squares is high.
    return float((profile * profile).sum() / max(1.0, profile.sum()) ** 2 * profile.size)


def _best_profile(ys: np.ndarray, xs: np.ndarray, turned: bool) -> tuple[float, np.ndarray]:
    """Return the best peakiness over small tilts of lines level (or running down if turned)."""
    best = (-1.0, np.zeros(1))
    for tilt in _TILTS:
        cosine, sine = np.cos(tilt), np.sin(tilt)
        across = xs * cosine + ys * sine if turned else ys * cosine - xs * sine
        profile = _profile(across)
        score = _peakiness(profile)
        if score > best[0]:
            best = (score, profile)
    return best


def _sharper_edge_after(profile: np.ndarray) -> bool:
    """Tell whether the profile's lines end more sharply than they start (baselines after)."""
    step = np.diff(np.convolve(profile, np.ones(2) / 2, mode="same"))
    return float((np.clip(-step, 0, None) ** 2).sum()) > float((np.clip(step, 0, None) ** 2).sum())


def upright_turn(lit: Image.Image) -> Image.Transpose | None:
    """Return the quarter turn that makes the text level and upright, or None to leave it."""
    ink = _strokes(lit)
    ys, xs = np.nonzero(ink)
    if ys.size < _MIN_INK * ink.size:
        return None
    step = max(1, ys.size // _MAX_POINTS)
    ys, xs = ys[::step].astype(np.float64), xs[::step].astype(np.float64)
    level, _ = _best_profile(ys, xs, turned=False)
    down, across = _best_profile(ys, xs, turned=True)
    if down <= _TURN_EVIDENCE * level:
        return None
    # Lines running down: baselines towards +x means the tops of the letters face left,
    # so a clockwise quarter turn (ROTATE_270) brings them to the top.
    return Image.Transpose.ROTATE_270 if _sharper_edge_after(across) else Image.Transpose.ROTATE_90


def ink_bounds(lit: Image.Image) -> tuple[int, int, int, int] | None:
    """Return the box (left, top, right, bottom) around the ink with a margin, or None.

    None too when what lies around the ink is blank paper: the frame is the document (a scan,
    a screenshot), its margins are kept.
    """
    box = _ink_box(lit)
    if box is None:
        return None
    pixels = np.asarray(lit)
    around = np.ones(pixels.shape, bool)
    around[box[1] : box[3], box[0] : box[2]] = False
    if not around.any() or float(pixels[around].mean()) >= _PAPER:
        return None
    return box


def _ink_box(lit: Image.Image) -> tuple[int, int, int, int] | None:
    ink = _ink(lit)
    # Rows and columns with a little ink, not a speck of noise, count.
    rows = np.flatnonzero(ink.mean(axis=1) > 0.004)
    columns = np.flatnonzero(ink.mean(axis=0) > 0.004)
    if rows.size == 0 or columns.size == 0:
        return None
    margin = round(_MARGIN * max(lit.size))
    return (
        max(0, int(columns[0]) - margin),
        max(0, int(rows[0]) - margin),
        min(lit.width, int(columns[-1]) + 1 + margin),
        min(lit.height, int(rows[-1]) + 1 + margin),
    )
