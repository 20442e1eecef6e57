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

_INK = 128  # darker than this on an evenly lit page is ink
_TILTS = np.radians(np.arange(-6, 7, 1.5))  # the page may be a little askew
_TURN_EVIDENCE = 1.25  # down-the-page lines must be this much more marked than level ones
_MIN_INK = 0.002  # below this share of ink there is nothing to read: leave the page be
_MAX_POINTS = 12_000  # ink pixels sampled for the profiles
_MARGIN = 0.03  # of the page's long side, kept around the ink
_PAPER = 245  # mean brightness of blank paper once lit: a table or a shadow stays below


def _ink(lit: np.ndarray) -> np.ndarray:
    """Return 1 where ``lit`` is ink, 0 elsewhere (uint8, for OpenCV)."""
    return np.asarray(cv2.threshold(lit, _INK - 1, 1, cv2.THRESH_BINARY_INV)[1])


def _strokes(lit: np.ndarray) -> np.ndarray:
    """Return the thin ink (print), without the large dark areas (a table, a shadow left)."""
    ink = _ink(lit)
    size = max(7, max(lit.shape) // 150) | 1
    blobs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((size, size), np.uint8))
    return np.asarray(cv2.subtract(ink, blobs))


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


def upright_turn(lit: np.ndarray) -> int | None:
    """Return the quarter turn (a ``cv2.rotate`` code) that makes the text level and upright,
    or None to leave the page as it is."""
    points = cv2.findNonZero(_strokes(lit))
    if points is None or len(points) < _MIN_INK * lit.size:
        return None
    step = max(1, len(points) // _MAX_POINTS)
    sample = points.reshape(-1, 2)[::step].astype(np.float64)
    xs, ys = sample[:, 0], sample[:, 1]
    level, _ = _best_profile(ys, xs, turned=False)
    down, across = _best_profile(ys, xs, turned=True)
    if down <= _TURN_EVIDENCE * level:
        return None
    # Lines running down: baselines towards +x means the tops of the letters face left,
    # so a clockwise quarter turn brings them to the top.
    if _sharper_edge_after(across):
        return cv2.ROTATE_90_CLOCKWISE
    return cv2.ROTATE_90_COUNTERCLOCKWISE


def ink_bounds(lit: np.ndarray) -> tuple[int, int, int, int] | None:
    """Return the box (left, top, right, bottom) around the ink with a margin, or None.

    None too when what lies around the ink is blank paper: the frame is the document (a scan,
    a screenshot), its margins are kept.
    """
    box = _ink_box(lit)
    if box is None:
        return None
    around = np.ones(lit.shape, bool)
    around[box[1] : box[3], box[0] : box[2]] = False
    if not around.any() or float(lit[around].mean()) >= _PAPER:
        return None
    return box


def _ink_box(lit: np.ndarray) -> tuple[int, int, int, int] | None:
    ink = _ink(lit)
    height, width = lit.shape
    # Rows and columns with a little ink, not a speck of noise, count.
    rows = np.flatnonzero(cv2.reduce(ink, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S) > 0.004 * width)
    columns = np.flatnonzero(cv2.reduce(ink, 0, cv2.REDUCE_SUM, dtype=cv2.CV_32S) > 0.004 * height)
    if rows.size == 0 or columns.size == 0:
        return None
    margin = round(_MARGIN * max(height, width))
    return (
        max(0, int(columns[0]) - margin),
        max(0, int(rows[0]) - margin),
        min(width, int(columns[-1]) + 1 + margin),
        min(height, int(rows[-1]) + 1 + margin),
    )


def line_pitch(lit: np.ndarray) -> float | None:
    """Return the distance between text lines of an upright lit page, in pixels, or None.

    Rows holding print form bands; the median step from one band's middle to the next is the
    pitch (a blank line between two counts as two). None below three lines: no pitch to tell.
    """
    strokes = _strokes(lit)
    counts = cv2.reduce(strokes, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel()
    inked = (counts > 0.004 * lit.shape[1]).astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], inked, [0]))))
    starts, ends = edges[::2], edges[1::2]
    if starts.size < 3:
        return None
    middles = (starts + ends) / 2
    return float(np.median(np.diff(middles)))
