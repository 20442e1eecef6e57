"""Fit pages under the size limit from one or two trial encodes, not a ladder.

At a given quality a JPEG's size is close to proportional to its pixels, and the size ratio
between two qualities is close to the same from one text page to the next (``_RELATIVE``).
So the first encode, at a quality that keeps letters sharp, tells how far over the budget the
pages are; the next setting is computed from it: lower quality first, down to a floor that
still keeps letters clean, then fewer pixels (FIL-03, FIL-07). The next encode nearly always
fits; if it misses, its measured size corrects the estimate. No ``optimize=True``: it costs a
third more time for a few per cent of bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import partial

import cv2
import numpy as np
from PIL import Image

from bot.documents.errors import DocumentRejected
from bot.documents.parallel import map_bounded
from bot.documents.writer import JpegPage, Layout, overhead, write_pdf

_BEST_QUALITY = 80
_FLOOR_QUALITY = 50  # below, ringing blurs small print: resolution goes first
_LAST_QUALITY = 30  # only at the smallest scale, rather than refusing
_MIN_SCALE = 0.35
_MAX_ENCODES = 5
_MARGIN = 0.97  # aim a little under the limit: the estimate is within a few per cent
# Size at each quality relative to quality 80, same pixels (grey pages of text, measured).
_RELATIVE = {80: 1.0, 75: 0.88, 70: 0.79, 65: 0.72, 60: 0.66, 55: 0.61, 50: 0.57, 30: 0.42}


def encode(image: Image.Image, scale: float, quality: int) -> JpegPage:
    """Encode ``image`` (mode L, RGB or YCbCr) as a JPEG page at ``scale`` and ``quality``."""
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = Image.fromarray(
            cv2.resize(np.asarray(image), size, interpolation=cv2.INTER_AREA), image.mode
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return JpegPage(out.getvalue(), image.width, image.height, 1 if image.mode == "L" else 3)


def _encode_at(setting: tuple[float, int], image: Image.Image) -> JpegPage:
    return encode(image, *setting)


def next_setting(scale: float, quality: int, over: float) -> tuple[float, int] | None:
    """Return the (scale, quality) expected to shrink the pages by ``over`` (< 1), or None."""
    wanted = _RELATIVE[quality] * scale * scale * over * _MARGIN
    fitting = [q for q, rel in _RELATIVE.items() if q >= _FLOOR_QUALITY and rel <= wanted]
    if fitting and scale == 1.0:
        return 1.0, max(fitting)
    if quality == _FLOOR_QUALITY and scale < 1.0:
        # Already shrinking and still over: noisy pixels do not shrink in proportion (their
        # size goes more like the side than the area), so correct by the side.
        new_scale = scale * over * _MARGIN
    else:
        new_scale = math.sqrt(wanted / _RELATIVE[_FLOOR_QUALITY])
    if new_scale >= _MIN_SCALE:
        return new_scale, _FLOOR_QUALITY
    if quality == _LAST_QUALITY:
        return None  # already the last resort
    return _MIN_SCALE, _LAST_QUALITY


def fit_pages(images: Sequence[Image.Image], budget: int) -> list[JpegPage]:
    """Return the best-quality pages whose PDF stays within ``budget`` bytes."""
    limit = budget - overhead(len(images))
    setting: tuple[float, int] | None = (1.0, _BEST_QUALITY)
    for _ in range(_MAX_ENCODES):
        if setting is None or limit <= 0:
            break
        pages = map_bounded(partial(_encode_at, setting), images)
        total = sum(len(page.jpeg) for page in pages)
        if total <= limit:
            return pages
        setting = next_setting(*setting, limit / total)
    raise DocumentRejected("cannot_fit", limit="500 ko")


def fit_pdf(images: Sequence[Image.Image], budget: int, layout: Layout | None = None) -> bytes:
    """Return a PDF of ``images`` on A4 portrait pages (as ``layout`` places them), at most
    ``budget`` bytes."""
    pdf = write_pdf(fit_pages(images, budget), layout)
    if len(pdf) > budget:  # overhead() is an upper bound, so this guards a broken invariant
        raise DocumentRejected("cannot_fit", limit="500 ko")
    return pdf
