"""Make a photo read like a scan: portrait, even lighting, dark text on white paper.

Only Pillow's C operations are used (no numpy): the work happens on a small copy of the image
wherever the full resolution is not needed.
"""

from __future__ import annotations

import math

from PIL import Image, ImageChops, ImageFilter

from bot.documents.images import fit_size
from bot.documents.writer import A4_HEIGHT_PT, A4_WIDTH_PT

_SMALL_SIDE = 160  # the lighting estimate needs no more than this
# Turn only when it makes the content clearly larger: a squarish sheet reads better upright.
_TURN_GAIN = 1.2
# log/exp lookup tables: dividing by the background is subtracting logarithms, in 8 bits.
_LOG_SCALE = 255 / math.log(256)
_LOG = [round(math.log(v + 1) * _LOG_SCALE) for v in range(256)]
_EXP = [min(255, round(math.exp((v - 255) / _LOG_SCALE) * 255)) for v in range(256)]


def _small(grey: Image.Image) -> Image.Image:
    factor = max(1, min(grey.size) // _SMALL_SIDE)
    return grey.reduce(factor) if factor > 1 else grey.copy()


def _turn_gains(width: int, height: int) -> float:
    upright = min(A4_WIDTH_PT / width, A4_HEIGHT_PT / height)
    turned = min(A4_WIDTH_PT / height, A4_HEIGHT_PT / width)
    return turned / upright


def to_page(grey: Image.Image) -> Image.Image:
    """Turn a landscape image to portrait and shrink it to the page resolution (never enlarge)."""
    if _turn_gains(*grey.size) > _TURN_GAIN:
        grey = grey.transpose(Image.Transpose.ROTATE_90)  # turned, not shrunk (FIL-04)
    size = fit_size(*grey.size)
    if size != grey.size:
        grey = grey.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    return grey


def even_lighting(grey: Image.Image) -> Image.Image:
    """Divide by the estimated paper brightness, then stretch so paper is white and ink dark."""
    small = _small(grey)
    # Ink strokes are 1–2 px on the small copy: a 3×3 max filter lifts the paper over them,
    # the blur follows shadows and gradients smoothly.
    background = small.filter(ImageFilter.MaxFilter(3)).filter(ImageFilter.GaussianBlur(3))
    background = background.resize(grey.size, Image.Resampling.BILINEAR)
    return _levels(_divide(grey, background))


def _divide(image: Image.Image, by: Image.Image) -> Image.Image:
    """Return image / by, scaled so that equal pixels give 255 (clipped above)."""
    return ImageChops.subtract(image.point(_LOG), by.point(_LOG), offset=255).point(_EXP)


def _levels(flat: Image.Image) -> Image.Image:
    histogram = flat.histogram()
    total = sum(histogram)
    seen, black, white = 0, 0, 255
    for level, count in enumerate(histogram):
        seen += count
        if seen <= total * 0.005:
            black = level
        if seen <= total * 0.5:
            white = level
    # Paper is the bulk of the page: make it pure white. Clamp both points so a blank or
    # nearly blank page is not stretched into grey noise.
    black = min(black, 96)
    white = max(white - 8, 160)
    span = white - black
    return flat.point(lambda v: max(0, min(255, (v - black) * 255 // span)))
