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

from bot.documents.colour import has_coloured_ink, lighten_colour, thumbnail_bears_colour
from bot.documents.enhance import lighten
from bot.documents.errors import DocumentRejected
from bot.documents.images import fit_size, load_photo, reduce_by, upright
from bot.documents.orient import ink_bounds, upright_turn
from bot.documents.sheet import Sheet, locate, sheet_size, straighten
from bot.documents.turns import to_stored, upright_size

_DETECT_SIDE = 640  # long side of the copy the sheet is searched on
_SMALL_CROP = 0.4  # an inked part under this share of the frame is taken at full scale


@dataclass(frozen=True)
class PhotoPage:
    """A page image ("L", or "YCbCr" for coloured ink; upright, at most PAGE_MAX_PX)."""

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


def _shrink(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if size == (pixels.shape[1], pixels.shape[0]):
        return pixels
    # INTER_AREA averages the pixels each output pixel covers: no aliasing, a few ms.
    return np.asarray(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA))


def _size(pixels: np.ndarray) -> tuple[int, int]:
    return pixels.shape[1], pixels.shape[0]


def _lit(pixels: np.ndarray) -> np.ndarray:
    """Even the lighting of grey pixels, or of YCbCr ones (a page that keeps colour)."""
    return lighten(pixels) if pixels.ndim == 2 else lighten_colour(pixels)


def _luma(pixels: np.ndarray) -> np.ndarray:
    return pixels if pixels.ndim == 2 else np.asarray(cv2.extractChannel(pixels, 0))


def _keeps_colour(
    small: np.ndarray, chroma: np.ndarray, orientation: int, sheet: Sheet | None
) -> bool:
    """Tell whether the sheet (or the frame) bears coloured ink, on the small copy."""
    stored = (small.shape[0], small.shape[1]) if orientation < 5 else small.shape[1::-1]
    reduced = cv2.resize(chroma, stored[::-1], interpolation=cv2.INTER_AREA)
    paper = np.ones(small.shape, np.uint8)
    if sheet is not None:
        paper[:] = 0
        cv2.fillConvexPoly(paper, np.round(sheet.corners).astype(np.int32), 1)
    return has_coloured_ink(small, upright(reduced, orientation), paper.astype(bool))


def _with_chroma(pixels: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    """Return YCbCr pixels: the luma and the half-resolution chroma brought to its size."""
    whole = cv2.resize(chroma, _size(pixels), interpolation=cv2.INTER_LINEAR)
    return np.asarray(cv2.merge([pixels, *cv2.split(whole)]))


def _sheet_page(raw: np.ndarray, orientation: int, sheet: Sheet, factor: int) -> np.ndarray:
    quad = sheet.corners * factor
    size = _fit_either_way(*sheet_size(quad, upright_size(_size(raw), orientation), sheet.cut))
    stored = to_stored(quad, _size(raw), orientation)
    # Linear interpolation samples, it does not average: bring the sheet within 2× first.
    factor = max(1, math.floor(max(sheet_size(quad, _size(raw))) / max(size) / 1.5))
    return straighten(reduce_by(raw, factor), stored / factor, size)


def _inked_part(raw: np.ndarray, orientation: int) -> np.ndarray:
    frame_size = upright_size(_size(raw), orientation)
    factor = max(1, math.floor(max(frame_size) / max(fit_size(*frame_size))))
    lit = _lit(upright(reduce_by(raw, factor), orientation))
    bounds = ink_bounds(_luma(lit))
    if bounds is None:
        return lit
    left, top, right, bottom = bounds
    if factor == 1 or (right - left) * (bottom - top) > _SMALL_CROP * lit.shape[0] * lit.shape[1]:
        return lit[top:bottom, left:right]
    # A narrow ticket: its own pixels from the full decode, lit again on its own.
    corners = to_stored(
        np.array([(left, top), (right, bottom)], np.float32) * factor, _size(raw), orientation
    )
    (x0, y0), (x1, y1) = np.rint(corners.min(axis=0)), np.rint(corners.max(axis=0))
    part = raw[int(y0) : int(y1), int(x0) : int(x1)]
    return _lit(upright(part, orientation))


def page_of(
    raw: Image.Image, orientation: int = 1, animated: bool = False,
    chroma: np.ndarray | None = None,
) -> PhotoPage:
    """Return the page of a decoded photo as stored (also a scan taken from a PDF).

    ``raw`` is its luma; ``chroma`` its Cb and Cr at half resolution, if it has colour.
    """
    try:
        pixels = np.asarray(raw)  # the one copy out of Pillow; arrays from here on
        factor = max(1, math.ceil(max(raw.size) / _DETECT_SIDE))
        small = upright(reduce_by(pixels, factor), orientation)
        sheet = locate(small)
        if chroma is not None and _keeps_colour(small, chroma, orientation, sheet):
            pixels = _with_chroma(pixels, chroma)  # the same geometry, on three planes
        if sheet is not None:
            lit = _lit(_sheet_page(pixels, orientation, sheet, factor))
        else:
            lit = _inked_part(pixels, orientation)
        turn = upright_turn(_luma(lit))
        if turn is not None:
            lit = cv2.rotate(lit, turn)
        page = _shrink(lit, fit_size(*_size(lit)))
    except Exception as exc:  # Pillow or OpenCV failing on pixels decoded: the file is at fault
        raise DocumentRejected("corrupt") from exc
    image = Image.fromarray(page, "YCbCr") if page.ndim == 3 else Image.fromarray(page)
    return PhotoPage(image, animated, sheet is not None, turn is not None)


def photo_page(data: bytes, exif: bool = True) -> PhotoPage:
    """Decode ``data`` and return its page: the sheet or the inked part of the frame, upright."""
    photo = load_photo(data, exif, colour_hint=thumbnail_bears_colour)
    return page_of(photo.image, photo.orientation, photo.animated, photo.chroma)
