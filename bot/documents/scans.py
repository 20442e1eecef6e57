"""A PDF of scans or photos (one image per page) into page images, through the photo path.

Each page's image is taken once: a JPEG stream (DCTDecode) is handed over as it is, so it is
decoded at the reduced scale the page needs, like a photo; other images are decoded by pypdf
after their size is checked. Then the same lighting, straightening and orientation as photos,
and the same colour where it matters (``colour``): a JPEG stream carries no EXIF thumbnail,
so an eighth-scale copy tells whether its chroma is worth decoding.
A viewer ignores EXIF in a PDF, so the stream's EXIF is ignored too.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject, StreamObject

from bot.documents.errors import DocumentRejected
from bot.documents.images import MAX_PIXELS, colour_planes, grey_of
from bot.documents.parallel import map_bounded
from bot.documents.photo import page_of, photo_page


def _single_image(page: PageObject) -> StreamObject | None:
    resources = page.get("/Resources")
    if resources is None:
        return None
    xobjects = resources.get_object().get("/XObject")
    if not isinstance(xobjects, DictionaryObject) or len(xobjects) != 1:
        return None
    stream = next(iter(xobjects.values())).get_object()
    if not isinstance(stream, StreamObject) or stream.get("/Subtype") != "/Image":
        return None
    return stream


Decoded = tuple[Image.Image, np.ndarray | None]  # luma, and chroma at half size if coloured


def _source(page: PageObject, stream: StreamObject) -> bytes | Decoded:
    """Return the JPEG stream as it is, or the image decoded by pypdf once its size is known."""
    width, height = int(stream.get("/Width", 0)), int(stream.get("/Height", 0))
    if width * height > MAX_PIXELS:
        raise DocumentRejected("bomb", limit=MAX_PIXELS // 1_000_000)
    if stream.get("/Filter") in ("/DCTDecode", ["/DCTDecode"]):
        return bytes(stream.get_data())
    decoded = page.images[0].image
    if decoded is None:
        raise DocumentRejected("corrupt")
    if decoded.mode in ("RGB", "YCbCr") and "transparency" not in decoded.info:
        return colour_planes(decoded)  # the page decides whether its ink keeps colour
    return grey_of(decoded), None


def _page(source: bytes | Decoded) -> Image.Image:
    if isinstance(source, bytes):
        return photo_page(source, exif=False).image
    return page_of(source[0], chroma=source[1]).image


def scan_pages(reader: PdfReader) -> list[Image.Image] | None:
    """Return the lit page images of a PDF of scans, or None if a page is not a single image."""
    streams = [_single_image(page) for page in reader.pages]
    if any(stream is None for stream in streams):
        return None
    pairs = list(zip(reader.pages, streams, strict=True))
    # pypdf reads objects lazily from one file: take the streams in order, decode in parallel.
    sources = [_source(page, stream) for page, stream in pairs if stream is not None]
    return map_bounded(_page, sources)
