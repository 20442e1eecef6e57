"""Photo to page: decode safely, orient, grey, find the sheet, A4 portrait at a legible size.

Every step works on the smallest pixels that still carry the text: JPEGs are decoded at a
reduced scale (``Image.draft``) when the photo is larger than the page needs, and nothing is
ever upscaled (FIL-04, FIL-07). When the sheet is found in the frame (``sheet``), only the
sheet is kept, straightened; if it is small in the frame, the JPEG is decoded once more at a
finer scale so the sheet gets the pixels the page can show.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageOps

from bot.documents.errors import DocumentRejected
from bot.documents.sheet import Quad, locate, sheet_size, straighten
from bot.documents.writer import A4_HEIGHT_PT, A4_WIDTH_PT

MAX_PIXELS = 60_000_000  # above this we refuse before decoding (decompression bomb)
MIN_SIDE_PX = 100  # below this nothing printed can be read
MAX_DPI = 200  # enough for 6-pt print; more only costs bytes
PAGE_MAX_PX = (round(A4_WIDTH_PT / 72 * MAX_DPI), round(A4_HEIGHT_PT / 72 * MAX_DPI))


@dataclass(frozen=True)
class Photo:
    """A decoded page image ("L", portrait, at most PAGE_MAX_PX) and remarks for the user."""

    image: Image.Image
    animated: bool


@cache
def _register_heif() -> None:
    # pillow-heif plugs into Pillow globally; do it once, on first use, not at import time.
    from pillow_heif import register_heif_opener

    register_heif_opener()


def _open(data: bytes) -> Image.Image:
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DocumentRejected("bomb", limit=MAX_PIXELS // 1_000_000) from exc
    except Exception as exc:  # Pillow raises many types for bad bytes
        raise DocumentRejected("corrupt") from exc
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise DocumentRejected("bomb", limit=MAX_PIXELS // 1_000_000)
    if min(width, height) < MIN_SIDE_PX:
        raise DocumentRejected("too_small", minimum=MIN_SIDE_PX)
    return image


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block must not cost the picture
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_grey(image: Image.Image) -> Image.Image:
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        # Transparent areas would turn black; show them as paper.
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, "white")
        return Image.alpha_composite(paper, rgba).convert("L")
    if image.mode in {"I", "I;16", "I;16B", "I;16L", "F"}:
        return ImageOps.autocontrast(image.convert("F").convert("L", dither=None))
    return image if image.mode == "L" else image.convert("L")


_ORIENT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def fit_size(width: int, height: int) -> tuple[int, int]:
    """Return the size of a portrait image fitted to the page, never larger than it is."""
    scale = min(1.0, PAGE_MAX_PX[0] / width, PAGE_MAX_PX[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _draft_size(width: int, height: int) -> tuple[int, int]:
    # The page is portrait whatever the frame, so the short side meets the page width.
    want_short, want_long = fit_size(min(width, height), max(width, height))
    # Accept 10 % less than the page resolution when it lets the decoder halve the scale.
    want_short, want_long = round(want_short * 0.9), round(want_long * 0.9)
    return (want_long, want_short) if width > height else (want_short, want_long)


def _decode(image: Image.Image, orientation: int, draft: tuple[int, int] | None) -> Image.Image:
    if draft is not None and image.format == "JPEG":
        # Decode the luma only, at 1/2, 1/4 or 1/8 scale: several times faster.
        image.draft("L", draft)
    image.load()
    grey = _to_grey(image)
    if orientation in _ORIENT:
        grey = grey.transpose(_ORIENT[orientation])
    return grey


def _finer_draft(
    decoded: tuple[int, int], stored: tuple[int, int], quad: Quad
) -> tuple[int, int] | None:
    """Return the draft size that gives the sheet the page's resolution, if finer is needed."""
    scale = max(decoded) / max(stored)  # of the decode made, the same on both axes
    short, long = sorted(sheet_size(quad, decoded))
    gain = min(PAGE_MAX_PX[0] / short, PAGE_MAX_PX[1] / long)
    # The same 10 % allowance as the first decode, so it can stop at a coarser scale.
    wanted = min(1.0, scale * gain * 0.9)
    if scale >= 0.999 or wanted <= scale:
        return None
    return math.ceil(stored[0] * wanted), math.ceil(stored[1] * wanted)


def _sheet(
    data: bytes, grey: Image.Image, stored: tuple[int, int], orientation: int
) -> Image.Image:
    quad = locate(grey)
    if quad is None:
        return grey  # no sheet for sure: the whole frame, as taken
    draft = _finer_draft(grey.size, stored, quad)
    if draft is not None:
        try:
            finer = _decode(Image.open(io.BytesIO(data)), orientation, draft)
        except Exception:  # decoded once already: keep that decode rather than fail
            finer = None
        if finer is not None and finer.width > grey.width:
            quad = quad * [finer.width / grey.width, finer.height / grey.height]
            grey = finer
    return straighten(grey, quad)


def load_photo(data: bytes) -> Photo:
    """Decode ``data`` into an upright grey image of the sheet (or the whole frame)."""
    image = _open(data)
    animated = bool(getattr(image, "is_animated", False))
    orientation = _orientation(image)
    stored = image.size
    try:
        grey = _decode(image, orientation, _draft_size(*stored))
    except Exception as exc:  # truncated data, broken codec stream…
        raise DocumentRejected("corrupt") from exc
    return Photo(image=_sheet(data, grey, stored, orientation), animated=animated)
