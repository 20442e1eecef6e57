"""Issue 18, point 3: no input can tie up the converter (PDF page trees, object counts, pixels)."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, NameObject, NumberObject

from bot.documents import DocumentRejected, convert
from bot.documents.pdfs import MAX_PDF_PAGES
from tests.documents.conftest import blank_pdf, encode


def _one_page_listed(times: int) -> bytes:
    """A small PDF whose page tree lists the same page ``times`` times, /Count saying 1."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    pages = writer.root_object["/Pages"].get_object()
    reference = page.indirect_reference
    pages[NameObject("/Kids")] = ArrayObject([reference] * times)
    pages[NameObject("/Count")] = NumberObject(1)  # a lying count
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_listing_one_page_100000_times_is_refused_before_rendering() -> None:
    data = _one_page_listed(100_000)
    assert len(data) < 1_500_000
    with pytest.raises(DocumentRejected) as caught:
        convert(data)
    assert caught.value.code == "too_many_pages"
    assert f"{MAX_PDF_PAGES} pages" in caught.value.message


def test_pdf_of_many_pages_is_refused_with_a_french_message() -> None:
    with pytest.raises(DocumentRejected) as caught:
        convert(blank_pdf([(595, 842)] * (MAX_PDF_PAGES + 1)))
    assert caught.value.code == "too_many_pages"
    assert "pages utiles" in caught.value.message
    assert "pages that matter" in caught.value.text("en")


def test_pdf_at_the_page_limit_is_converted() -> None:
    doc = convert(blank_pdf([(612, 792)] * MAX_PDF_PAGES))
    assert doc.page_count == MAX_PDF_PAGES


def test_pdf_claiming_too_many_objects_is_refused() -> None:
    forged = re.sub(rb"/Size \d+", b"/Size 9999999", blank_pdf([(612, 792)]))
    with pytest.raises(DocumentRejected) as caught:
        convert(forged)
    assert caught.value.code == "too_complex"


def _png_header(width: int, height: int, colour_type: int) -> bytes:
    """A PNG that announces ``width`` × ``height`` pixels: its header, no pixel data."""
    fields = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    chunk = b"IHDR" + fields
    ihdr = struct.pack(">I", len(fields)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    iend = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + iend


def test_huge_transparent_png_is_refused_from_its_header() -> None:
    # 59.9 million RGBA pixels (240 MB decoded, 1.1 GB with copies): refused before decoding.
    with pytest.raises(DocumentRejected) as caught:
        convert(_png_header(7740, 7740, 6))
    assert caught.value.code == "bomb"
    assert "millions de pixels" in caught.value.message


def test_transparent_png_of_a_phone_screen_is_converted() -> None:
    image = Image.new("RGBA", (1170, 2532), (0, 0, 0, 0))
    doc = convert(encode(image, "PNG"))
    assert doc.page_count == 1
