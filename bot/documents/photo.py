"""A photo into one page image, in one pass: upright, straightened, evenly lit, page-sized.

The JPEG is decoded once (``images``); the EXIF turn is not applied to the decoded pixels
but folded into what follows (``turns``). The sheet is searched on a reduced copy; if it is
found (``sheet``), it is warped from the decoded pixels straight into the page's pixels. If
not, the frame, reduced to the page's scale and lit, is cropped to its ink, so a narrow ticket
fills the page rather than the table around it (taken again from the full decode when it is
small in the frame). Which way is up is decided from the text (``orient``), never from the
frame's width and height.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from bot.documents.enhance import even_lighting
from bot.documents.errors import DocumentRejected
from bot.documents.images import fit_size, load_photo, reduce_by, upright
from bot.documents.orient import ink_bounds, upright_turn
from bot.documents.sheet import locate, sheet_size, straighten
from bot.documents.turns import to_stored, upright_size

_DETECT_SIDE = 640  # long side of the copy the sheet is searched on
_SMALL_CROP = 0.4  # an inked part under this share of the frame is taken at full scale


@dataclass(frozen=True)
class PhotoPage:
    """A page image ("L", upright, at most PAGE_MAX_PX) and how it was obtained."""

    image: Image.Image
    animated: bool
    sheet_found: bool
    turned: bool


def _fit_either_way(width: int, height: int) -> tuple[int, int]:
    # A landscape sheet may turn out to hold sideways text: give it the page's long side.
    if width <= height:
        return fit_size(width, height)
    turned = fit_size(height, width)
    return turned[1], turned[0]


def _shrink(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if size == image.size:
        return image
    # INTER_AREA averages the pixels each output pixel covers: no aliasing, a few ms.
    return Image.fromarray(cv2.resize(np.asarray(image), size, interpolation=cv2.INTER_AREA))


def _sheet_page(raw: Image.Image, orientation: int, quad: np.ndarray) -> Image.Image:
    size = _fit_either_way(*sheet_size(quad, upright_size(raw.size, orientation)))
    stored = to_stored(quad, raw.size, orientation)
    # Linear interpolation samples, it does not average: bring the sheet within 2× first.
    factor = max(1, math.floor(max(sheet_size(quad, raw.size)) / max(size) / 1.5))
    return straighten(reduce_by(raw, factor), stored / factor, size)


def _inked_part(raw: Image.Image, orientation: int) -> Image.Image:
    frame_size = upright_size(raw.size, orientation)
    factor = max(1, math.floor(max(frame_size) / max(fit_size(*frame_size))))
    lit = even_lighting(upright(reduce_by(raw, factor), orientation))
    bounds = ink_bounds(lit)
    if bounds is None:
        return lit
    left, top, right, bottom = bounds
    if factor == 1 or (right - left) * (bottom - top) > _SMALL_CROP * lit.width * lit.height:
        return lit.crop(bounds)
    # A narrow ticket: its own pixels from the full decode, lit again on its own.
    corners = to_stored(
        np.array([(left, top), (right, bottom)], np.float32) * factor, raw.size, orientation
    )
    (x0, y0), (x1, y1) = corners.min(axis=0), corners.max(axis=0)
    part = raw.crop((round(x0), round(y0), round(x1), round(y1)))
    return even_lighting(upright(part, orientation))


def page_of(raw: Image.Image, orientation: int = 1, animated: bool = False) -> PhotoPage:
    """Return the page of a decoded grey photo as stored (also a scan taken from a PDF)."""
    try:
        factor = max(1, math.ceil(max(raw.size) / _DETECT_SIDE))
        quad = locate(upright(reduce_by(raw, factor), orientation))
        if quad is not None:
            lit = even_lighting(_sheet_page(raw, orientation, quad * factor))
        else:
            lit = _inked_part(raw, orientation)
        turn = upright_turn(lit)
        if turn is not None:
            lit = lit.transpose(turn)
        page = _shrink(lit, fit_size(*lit.size))
    except Exception as exc:  # Pillow or OpenCV failing on pixels decoded: the file is at fault
        raise DocumentRejected("corrupt") from exc
    return PhotoPage(page, animated, quad is not None, turn is not None)


def photo_page(data: bytes) -> PhotoPage:
    """Decode ``data`` and return its page: the sheet or the inked part of the frame, upright."""
    photo = load_photo(data)
    return page_of(photo.image, photo.orientation, photo.animated)
