"""Photo decoding: safely, once, grey, EXIF-upright, at the reduced scale the page needs.

JPEGs are decoded at 1/2, 1/4 or 1/8 scale (``Image.draft``, luma only) when the photo is
larger than the page needs, which is several times faster than a full decode; nothing is ever
upscaled (FIL-04, FIL-07). What becomes of the pixels is ``photo``'s job.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from PIL import ExifTags, Image, ImageOps

from bot.documents.errors import DocumentRejected
from bot.documents.writer import A4_HEIGHT_PT, A4_WIDTH_PT

MAX_PIXELS = 60_000_000  # above this we refuse before decoding (decompression bomb)
MAX_DECODED_BYTES = 150_000_000  # a full decode (not JPEG) larger than this is refused
MIN_SIDE_PX = 100  # below this nothing printed can be read
MAX_DPI = 200  # enough for 6-pt print; more only costs bytes
PAGE_MAX_PX = (round(A4_WIDTH_PT / 72 * MAX_DPI), round(A4_HEIGHT_PT / 72 * MAX_DPI))
# Up to this size a JPEG's chroma is decoded without asking: a few ms (a Telegram photo).
_COLOUR_ALWAYS_PIXELS = 3_500_000
_THUMBNAIL_MAX = 640  # an EXIF thumbnail is 160 × 120 or so; larger is not one
_HINT_SIDE = 160  # without one, a copy of about that size stands in for it


@dataclass(frozen=True)
class Photo:
    """A decoded photo ("L", as stored: ``orientation`` is the EXIF turn still to apply).

    ``chroma``: its Cb and Cr at half the resolution (as a JPEG stores them), when it was
    decoded in colour (see ``load_photo`` and ``colour``).
    """

    image: Image.Image
    orientation: int
    animated: bool
    chroma: np.ndarray | None = None


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
    if image.format != "JPEG" and width * height * len(image.getbands()) > MAX_DECODED_BYTES:
        # Only JPEG decodes at a reduced scale: the others are refused from their header
        # when their full decode would not fit the memory a conversion may use.
        pixels = MAX_DECODED_BYTES // len(image.getbands())
        raise DocumentRejected("bomb", limit=pixels // 1_000_000)
    if min(width, height) < MIN_SIDE_PX:
        raise DocumentRejected("too_small", minimum=MIN_SIDE_PX)
    return image


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a broken EXIF block must not cost the picture
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def grey_of(image: Image.Image) -> Image.Image:
    """Return ``image`` in grey ("L"), transparent areas as white paper."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        # Transparent areas would turn black; show them as paper. Grey first, alpha as a
        # mask: a byte or two per pixel more, not three RGBA copies.
        alpha = image.convert("RGBA").getchannel("A")
        paper = Image.new("L", image.size, 255)
        paper.paste(image.convert("L"), mask=alpha)
        return paper
    if image.mode in {"I", "I;16", "I;16B", "I;16L", "F"}:
        return ImageOps.autocontrast(image.convert("F").convert("L", dither=None))
    return image if image.mode == "L" else image.convert("L")


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


# What each EXIF orientation asks, as OpenCV turns (one pass, no copy through Pillow).
_TURNS: dict[int, Callable[[np.ndarray], np.ndarray]] = {
    2: lambda a: cv2.flip(a, 1),
    3: lambda a: cv2.rotate(a, cv2.ROTATE_180),
    4: lambda a: cv2.flip(a, 0),
    5: cv2.transpose,
    6: lambda a: cv2.rotate(a, cv2.ROTATE_90_CLOCKWISE),
    7: lambda a: cv2.flip(cv2.transpose(a), -1),
    8: lambda a: cv2.rotate(a, cv2.ROTATE_90_COUNTERCLOCKWISE),
}


def upright(pixels: np.ndarray, orientation: int) -> np.ndarray:
    """Return ``pixels`` turned as their EXIF ``orientation`` says (as ``exif_transpose``)."""
    turn = _TURNS.get(orientation)
    return pixels if turn is None else np.asarray(turn(pixels))


def _decode(
    image: Image.Image, draft: tuple[int, int], colour: bool
) -> tuple[Image.Image, np.ndarray | None]:
    """Return the luma and, if ``colour``, Cb and Cr at half resolution."""
    if image.format == "JPEG":
        # At a reduced scale when that is enough; the luma only (chroma costs a third more
        # time), or YCbCr as stored, without a conversion to RGB.
        image.draft("YCbCr" if colour else "L", draft)
    image.load()
    if not colour:
        return grey_of(image), None
    return colour_planes(image)


def colour_planes(image: Image.Image) -> tuple[Image.Image, np.ndarray]:
    """Return the luma of a decoded colour image, and its Cb and Cr at half resolution."""
    ycc = image if image.mode == "YCbCr" else image.convert("YCbCr")
    # Pillow's box reduction halves the three planes in one pass; the luma stays whole.
    half = np.asarray(ycc.reduce(2)) if min(ycc.size) >= 2 else np.asarray(ycc)
    return ycc.getchannel(0), np.ascontiguousarray(half[:, :, 1:])


def _thumbnail(image: Image.Image) -> Image.Image | None:
    """Return the small JPEG a camera stores in the EXIF block (IFD1), or None."""
    try:
        ifd = image.getexif().get_ifd(ExifTags.IFD.IFD1)
        offset, length = int(ifd[0x0201]), int(ifd[0x0202])
        block = image.info["exif"]
        start = 6 + offset  # the offsets count from the TIFF header, after "Exif\0\0"
        thumbnail = Image.open(io.BytesIO(block[start : start + length]))
        if max(thumbnail.size) > _THUMBNAIL_MAX or min(thumbnail.size) < 16:
            return None
        thumbnail.load()
    except Exception:  # no thumbnail, or a broken one: it is only a hint
        return None
    return thumbnail


def _eighth(data: bytes) -> Image.Image | None:
    """Return a thumbnail-sized colour copy of a JPEG, decoded at 1/8 scale (a few ms)."""
    try:
        small = Image.open(io.BytesIO(data))
        small.draft("YCbCr", (small.width // 8, small.height // 8))
        small.load()
        factor = max(1, max(small.size) // _HINT_SIDE)
        return small.reduce(factor) if factor > 1 else small
    except Exception:  # it decoded in full a moment ago: only a hint is lost
        return None


def _decode_colour(
    image: Image.Image, data: bytes, hint: Callable[[Image.Image], bool] | None
) -> bool:
    if hint is None or image.mode not in ("RGB", "YCbCr") or "transparency" in image.info:
        return False
    if image.format != "JPEG" or image.width * image.height <= _COLOUR_ALWAYS_PIXELS:
        return True  # the chroma costs a few milliseconds here
    # The camera's thumbnail, else (no EXIF one, a scan's page in a PDF) an eighth-scale decode.
    small = _thumbnail(image) or _eighth(data)
    return small is not None and hint(small)


def load_photo(
    data: bytes, exif: bool = True, colour_hint: Callable[[Image.Image], bool] | None = None
) -> Photo:
    """Decode ``data`` once, at the scale the page needs; EXIF read if ``exif``.

    With ``colour_hint``, a colour image's chroma is decoded too, unless it is a large JPEG
    whose EXIF thumbnail (or, without one, an eighth-scale copy reduced to thumbnail size)
    ``colour_hint`` finds without colour that matters.
    """
    image = _open(data)
    animated = bool(getattr(image, "is_animated", False))
    orientation = _orientation(image) if exif else 1
    colour = _decode_colour(image, data, colour_hint)
    try:
        grey, chroma = _decode(image, _draft_size(*image.size), colour)
    except Exception as exc:  # truncated data, broken codec stream…
        raise DocumentRejected("corrupt") from exc
    return Photo(grey, orientation, animated, chroma)


def reduce_by(pixels: np.ndarray, factor: int) -> np.ndarray:
    """Return ``pixels`` averaged down by an integer ``factor`` (the last pixels cropped)."""
    if factor <= 1:
        return pixels
    height, width = pixels.shape[0] // factor, pixels.shape[1] // factor
    # An exact integer factor takes OpenCV's fast averaging path.
    whole = pixels[: height * factor, : width * factor]
    return np.asarray(cv2.resize(whole, (width, height), interpolation=cv2.INTER_AREA))
