"""Minimal PDF writer: JPEG images placed on A4 portrait pages (FIL-04).

Writing the PDF ourselves lets each JPEG be embedded as encoded (DCTDecode), so the size we
measure while fitting is the size we ship, and no image is re-encoded on the way. A page holds
one image, centred and as large as fits, or several placed in given boxes (``tickets``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

A4_WIDTH_PT = 595
A4_HEIGHT_PT = 842
_COLOR_SPACES = {1: b"/DeviceGray", 3: b"/DeviceRGB"}


@dataclass(frozen=True)
class JpegPage:
    """One encoded image, shown centred and as large as fits on an A4 portrait page."""

    jpeg: bytes
    width: int
    height: int
    components: int = 1


Box = tuple[float, float, float, float]
"""Where an image is shown on a page: x, y of its lower-left corner, width, height (points)."""
Layout = Sequence[Sequence[tuple[int, Box]]]
"""Per page, the images it shows (their index in the list of images) and where."""


def placement(width: int, height: int) -> Box:
    """Return the box of an image shown alone: centred, as large as fits on the page."""
    scale = min(A4_WIDTH_PT / width, A4_HEIGHT_PT / height)
    shown_w, shown_h = width * scale, height * scale
    return (A4_WIDTH_PT - shown_w) / 2, (A4_HEIGHT_PT - shown_h) / 2, shown_w, shown_h


def _objects(images: Sequence[JpegPage], layout: Layout) -> list[bytes]:
    # Objects: catalog, page tree, then a page and its content per page, then the images.
    first_image = 3 + 2 * len(layout)
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(len(layout)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(layout)),
    ]
    for i, shown in enumerate(layout):
        names = b" ".join(b"/Im%d %d 0 R" % (k, first_image + k) for k, _ in shown)
        content = b" ".join(
            b"q %.3f 0 0 %.3f %.3f %.3f cm /Im%d Do Q" % (w, h, x, y, k)
            for k, (x, y, w, h) in shown
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /XObject << %s >> >> /Contents %d 0 R >>"
            % (A4_WIDTH_PT, A4_HEIGHT_PT, names, 4 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    for page in images:
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
            % (
                page.width,
                page.height,
                _COLOR_SPACES[page.components],
                len(page.jpeg),
                page.jpeg,
            )
        )
    return objects


def write_pdf(images: Sequence[JpegPage], layout: Layout | None = None) -> bytes:
    """Return a PDF of A4 portrait pages: one per image, in order, unless ``layout`` says."""
    if layout is None:
        layout = [[(i, placement(page.width, page.height))] for i, page in enumerate(images)]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(_objects(images, layout), start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    return bytes(out)


def overhead(image_count: int) -> int:
    """Return an upper bound of the bytes a PDF adds around its images (one page or fewer each)."""
    return 400 + 450 * image_count
