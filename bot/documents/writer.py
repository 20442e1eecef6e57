"""Minimal PDF writer: JPEG images placed on A4 portrait pages (FIL-04).

Writing the PDF ourselves lets each JPEG be embedded as encoded (DCTDecode), so the size we
measure while fitting is the size we ship, and no image is re-encoded on the way.
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


def _placement(width: int, height: int) -> tuple[float, float, float, float]:
    scale = min(A4_WIDTH_PT / width, A4_HEIGHT_PT / height)
    shown_w, shown_h = width * scale, height * scale
    return shown_w, shown_h, (A4_WIDTH_PT - shown_w) / 2, (A4_HEIGHT_PT - shown_h) / 2


def _objects(pages: Sequence[JpegPage]) -> list[bytes]:
    kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
    ]
    for i, page in enumerate(pages):
        content_id, image_id = 4 + 3 * i, 5 + 3 * i
        shown_w, shown_h, x, y = _placement(page.width, page.height)
        content = b"q %.3f 0 0 %.3f %.3f %.3f cm /Im0 Do Q" % (shown_w, shown_h, x, y)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
            % (A4_WIDTH_PT, A4_HEIGHT_PT, image_id, content_id)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
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


def write_pdf(pages: Sequence[JpegPage]) -> bytes:
    """Return a PDF with one A4 portrait page per image, in order."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(_objects(pages), start=1):
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


def overhead(page_count: int) -> int:
    """Return an upper bound of the bytes a PDF adds around its images."""
    return 400 + 450 * page_count
