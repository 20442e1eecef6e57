"""PDFs over 500 000 bytes: scans go through the photo path, other PDFs are rendered (PDFium)."""

from __future__ import annotations

import io
import random

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from bot.documents import convert, convert_many
from bot.operator.previews import has_preview
from tests.documents.conftest import assert_compliant, encode, first_page, mean_of, receipt


def _vector_pdf(pages: int = 2, strokes: int = 40_000) -> bytes:
    """A letter-size PDF of random line drawings, uncompressed and incompressible: > 500 kB."""
    rng = random.Random(2)
    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(width=612, height=792)
        ops = [
            f"{rng.uniform(0, 612):.2f} {rng.uniform(0, 792):.2f} m "
            f"{rng.uniform(0, 612):.2f} {rng.uniform(0, 792):.2f} l S"
            for _ in range(strokes)
        ]
        stream = DecodedStreamObject()
        stream.set_data(("0.2 w\n" + "\n".join(ops)).encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scan_pdf() -> bytes:
    """Three pages, each one grey-lit JPEG scan of a receipt (a phone scanner's PDF)."""
    scans = [receipt((1700, 2300)) for _ in range(3)]
    return encode(scans[0], "PDF", save_all=True, append_images=scans[1:], quality=97)


def test_vector_pdf_over_500_kb_is_rendered_not_refused_fil03() -> None:
    data = _vector_pdf()
    assert len(data) > 500_000
    doc = convert(data)
    assert_compliant(doc.pdf)
    assert doc.page_count == 2
    page = first_page(doc.pdf)
    assert page.height > 1000  # a page at a readable resolution
    assert mean_of(page, (0.1, 0.1, 0.9, 0.9)) < 250  # the drawings are there


def test_scanned_pdf_goes_through_the_photo_path() -> None:
    data = _scan_pdf()
    assert len(data) > 500_000
    doc = convert(data)
    assert_compliant(doc.pdf)
    reader = PdfReader(io.BytesIO(doc.pdf))
    assert len(reader.pages) == 3
    for page in reader.pages:
        (image,) = page.images
        assert image.name.endswith(".jpg")  # the JPEG written straight out
    # The lighting gradient of the scan is evened: paper white at both ends.
    lit = first_page(doc.pdf)
    assert mean_of(lit, (0.6, 0.0, 1.0, 0.05)) > 240
    assert mean_of(lit, (0.6, 0.95, 1.0, 1.0)) > 240


def test_album_pages_keep_their_order_when_converted_in_parallel() -> None:
    sizes = [(600, 800), (700, 900), (800, 1000), (900, 1100)]
    doc = convert_many([encode(receipt(size), "PNG") for size in sizes])
    reader = PdfReader(io.BytesIO(doc.pdf))
    shown = [page.images[0].image.size for page in reader.pages]
    assert shown == [Image.new("L", s).size for s in sizes]


def test_notices_are_given_in_english_too() -> None:
    doc = convert(_vector_pdf(pages=1, strokes=60_000))
    assert doc.notice_keys == ("pdf_recompressed",)
    assert doc.notice_texts("en") == ("The PDF pages were compressed to get under 500 KB.",)
    assert doc.notices == doc.notice_texts("fr")


def test_console_preview_renders_a_pdf_without_images() -> None:
    assert has_preview(_vector_pdf(pages=1, strokes=200))
