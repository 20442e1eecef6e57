"""Points of a stored photo and of its upright view (EXIF orientation), both ways.

Turning 12 million pixels costs more than the rest of a page's work; the page needs only a
few of them, so the stored pixels stay as they are and the turn is folded into the warp that
makes the page (or applied to a reduced copy). The mapping is read off the turn applied to the
pixels (``upright``) on a tiny probe, so it matches it exactly for the eight orientations.
"""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np

from bot.documents.images import upright

_PROBE_VALUES = np.array([[1, 0, 2], [0, 0, 0], [4, 0, 3]], np.uint8)  # corners TL TR BR BL


@cache
def _corner_moves(orientation: int) -> tuple[tuple[int, int], ...]:
    """Return where the stored TL, TR and BL corners land, as (column, row) in 0..1 units."""
    turned = upright(_PROBE_VALUES, orientation)
    places = []
    for value in (1, 2, 4):
        row, column = np.argwhere(turned == value)[0]
        places.append((int(column) // 2, int(row) // 2))
    return tuple(places)


def upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """Return the (width, height) of a stored ``size`` once turned upright."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def to_stored(points: np.ndarray, stored: tuple[int, int], orientation: int) -> np.ndarray:
    """Map points of the upright view back onto the stored pixels (same order)."""
    width, height = upright_size(stored, orientation)
    moved = [(u * width, v * height) for u, v in _corner_moves(orientation)]
    source = np.array([(0, 0), (stored[0], 0), (0, stored[1])], np.float32)
    # The affine map stored -> upright, inverted.
    forward = cv2.getAffineTransform(source, np.array(moved, np.float32))
    backward = cv2.invertAffineTransform(forward)
    ones = np.ones((len(points), 1), np.float32)
    return (np.hstack([points.astype(np.float32), ones]) @ backward.T).astype(np.float32)
