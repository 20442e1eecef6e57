"""Incoming PDFs: compliant ones kept byte for byte, others brought to A4 portrait, ≤ 500 000 B."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from bot.documents import DocumentRejected, convert
from tests.documents.conftest import assert_compliant, blank_pdf, image_pdf, page_sizes


def test_compliant_pdf_is_kept_byte_identical_fil04() -> None:
    original = blank_pdf([(595, 842), (595.5, 841.5)])
    doc = convert(original)
    assert doc.pdf == original
    assert doc.page_count == 2
    assert doc.source_kind == "pdf"
    assert doc.notices == ()


@pytest.mark.parametrize(
    ("sizes", "rotate"),
    [
        ([(612, 792)], 0),  # US Letter
        ([(842, 595)], 0),  # A4 landscape
        ([(595, 842)], 90),  # A4 shown landscape through /Rotate
        ([(1191, 842), (300, 400), (612, 1008)], 0),  # A3 landscape, small, Legal
    ],
    ids=["letter", "a4-landscape", "rotated", "mixed"],
)
def test_pages_brought_to_a4_portrait_fil04(sizes: list[tuple[float, float]], rotate: int) -> None:
    doc = convert(blank_pdf(sizes, rotate=rotate))
    assert_compliant(doc.pdf)
    assert page_sizes(doc.pdf) == [(595, 842)] * len(sizes)
    assert doc.notices


def test_landscape_content_is_turned_not_shrunk_fil04() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    out = io.BytesIO()
    writer.write(out)
    page = PdfReader(io.BytesIO(convert(out.getvalue()).pdf)).pages[0]
    # 842 × 595 turned fits 595 × 842 exactly: the transformation has no shrinking.
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (595, 842)


def test_image_heavy_pdf_is_recompressed_fil03() -> None:
    heavy = image_pdf()
    assert len(heavy) > 500_000
    doc = convert(heavy)
    assert_compliant(doc.pdf)
    assert doc.page_count == 3
    images = PdfReader(io.BytesIO(doc.pdf)).pages[0].images
    assert images[0].image.width >= 1000  # still a readable page, not a thumbnail


def test_encrypted_pdf_is_rejected() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="RC4-128")  # noqa: S106
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(DocumentRejected) as caught:
        convert(out.getvalue())
    assert caught.value.code == "encrypted"
    assert "mot de passe" in caught.value.message


def test_corrupt_pdf_is_rejected() -> None:
    with pytest.raises(DocumentRejected) as caught:
        convert(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref")
    assert caught.value.code in {"corrupt", "empty_pdf"}


def test_empty_pdf_is_rejected() -> None:
    out = io.BytesIO()
    PdfWriter().write(out)
    with pytest.raises(DocumentRejected) as caught:
        convert(out.getvalue())
    assert caught.value.code == "empty_pdf"
    assert "aucune page" in str(caught.value)
