"""Fit pages under the size limit: bisection over a ladder of (scale, JPEG quality) settings.

Every candidate is encoded from the same decoded pixels, so no JPEG is ever re-encoded twice.
The ladder goes from best to smallest: first quality drops at full resolution, then the
resolution drops at a quality that still keeps letters sharp (FIL-03, FIL-07).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image

from bot.documents.errors import DocumentRejected
from bot.documents.writer import JpegPage, overhead, write_pdf

_QUALITIES = tuple(range(85, 39, -3))
_SCALES = (0.9, 0.8, 0.7, 0.6, 0.5, 0.42, 0.35)
LADDER: tuple[tuple[float, int], ...] = (
    tuple((1.0, q) for q in _QUALITIES)
    + tuple((s, _QUALITIES[-1]) for s in _SCALES)
    + ((_SCALES[-1], 30), (_SCALES[-1], 20))
)


def encode(image: Image.Image, scale: float, quality: int) -> JpegPage:
    """Encode ``image`` (mode L or RGB) as a JPEG page at ``scale`` and ``quality``."""
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return JpegPage(out.getvalue(), image.width, image.height, 3 if image.mode == "RGB" else 1)


def fit_pages(images: Sequence[Image.Image], budget: int) -> list[JpegPage]:
    """Return the best-quality pages whose PDF stays within ``budget`` bytes."""
    limit = budget - overhead(len(images))
    cache: dict[int, list[JpegPage]] = {}

    def pages_at(step: int) -> list[JpegPage]:
        if step not in cache:
            scale, quality = LADDER[step]
            cache[step] = [encode(image, scale, quality) for image in images]
        return cache[step]

    def fits(step: int) -> bool:
        return sum(len(page.jpeg) for page in pages_at(step)) <= limit

    if fits(0):
        return pages_at(0)
    low, high = 0, len(LADDER) - 1  # invariant: low does not fit, high is the candidate
    if not fits(high):
        raise DocumentRejected("cannot_fit", limit="500 ko")
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return pages_at(high)


def fit_pdf(images: Sequence[Image.Image], budget: int) -> bytes:
    """Return a PDF of ``images`` on A4 portrait pages, at most ``budget`` bytes."""
    pdf = write_pdf(fit_pages(images, budget))
    if len(pdf) > budget:  # overhead() is an upper bound, so this guards a broken invariant
        raise DocumentRejected("cannot_fit", limit="500 ko")
    return pdf
