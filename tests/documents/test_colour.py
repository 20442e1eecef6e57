"""Colour kept where it matters: a red stamp and a blue signature stay coloured (issue 11 pt 5).

Photos made in code (``bench.documents_stamps``): black print on a sheet on a darker table,
under a warm lamp, with noise; some carry a red stamp and a blue signature. Read back as a
viewer shows the PDF.
"""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest
from PIL import Image

from bench.documents_stamps import (
    LINES,
    reds_and_blues,
    rendered_colour,
    stamped_photo,
    text_part,
)
from bot.documents import convert, convert_many
from bot.documents.colour import thumbnail_bears_colour
from bot.documents.images import load_photo
from bot.documents.photo import photo_page
from tests.documents.conftest import assert_compliant


def test_red_stamp_and_blue_signature_keep_their_colour() -> None:
    doc = convert(stamped_photo())
    assert_compliant(doc.pdf)
    reds, blues = reds_and_blues(rendered_colour(doc.pdf))
    # The ring of the stamp and the signature's stroke, at 100 dpi: hundreds of pixels each.
    assert reds > 1500
    assert blues > 300


def test_page_without_coloured_ink_stays_grey_under_a_warm_light() -> None:
    page = photo_page(stamped_photo(stamped=False))
    assert page.sheet_found
    assert page.image.mode == "L"


def test_colour_page_keeps_the_paper_neutral_and_costs_little() -> None:
    grey = convert(stamped_photo(stamped=False)).pdf
    coloured = convert(stamped_photo()).pdf
    rgb = np.asarray(rendered_colour(coloured)).astype(int)
    paper = rgb[40:120, 40:400]  # a margin of the page: paper, no ink
    assert np.abs(paper - paper.mean(axis=2, keepdims=True)).max() < 12
    assert len(coloured) < 1.5 * len(grey)


def test_album_of_stamped_pages_fits_one_file() -> None:
    doc = convert_many([stamped_photo()] * 10)
    assert_compliant(doc.pdf)
    assert doc.page_count == 10


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract")
def test_print_reads_as_well_on_the_colour_page() -> None:
    import pytesseract

    from bench.documents import similarity

    expected = "\n".join(LINES)
    scores = []
    for stamped in (False, True):
        page = photo_page(stamped_photo(stamped)).image.convert("L")
        read = pytesseract.image_to_string(text_part(page), lang="fra")
        scores.append(similarity(read, expected))
    assert scores[0] >= 0.93
    assert scores[1] >= scores[0] - 0.02


@pytest.mark.parametrize("stamped", [True, False])
def test_large_photo_is_decoded_in_colour_when_its_thumbnail_shows_coloured_ink(
    stamped: bool,
) -> None:
    # 12 MP: the chroma costs a third more decoding, so the camera's thumbnail decides.
    data = stamped_photo(stamped, scale=2.0, thumbnail=True)
    photo = load_photo(data, colour_hint=thumbnail_bears_colour)
    assert (photo.chroma is not None) is stamped
    page = photo_page(data)
    assert page.image.mode == ("YCbCr" if stamped else "L")


def test_colour_is_read_once_from_the_jpeg() -> None:
    # The luma is the grey page's; the chroma only adds: a grey JPEG makes a grey page.
    out = io.BytesIO()
    Image.open(io.BytesIO(stamped_photo())).convert("L").save(out, "JPEG", quality=90)
    assert photo_page(out.getvalue()).image.mode == "L"


@pytest.mark.parametrize("stamped", [True, False])
def test_large_photo_without_thumbnail_decides_from_an_eighth_scale_copy(stamped: bool) -> None:
    # An app that strips EXIF: no thumbnail to ask, a 1/8-scale decode stands in for it.
    data = stamped_photo(stamped, scale=2.0)
    assert b"Exif" not in data[:200]
    doc = convert(data)
    assert_compliant(doc.pdf)
    reds, blues = reds_and_blues(rendered_colour(doc.pdf))
    if stamped:
        assert reds > 1500
        assert blues > 300
    else:
        assert photo_page(data).image.mode == "L"
        assert (reds, blues) == (0, 0)


def _image_pdf(image: bytes) -> bytes:
    import img2pdf

    a4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
    return bytes(img2pdf.convert(image, layout_fun=img2pdf.get_layout_fun(a4)))


@pytest.mark.parametrize("stream", ["jpeg", "png"])
@pytest.mark.parametrize("stamped", [True, False])
def test_scan_page_of_an_image_pdf_keeps_its_stamp_in_colour(stream: str, stamped: bool) -> None:
    # A scanner app's PDF, over 500 000 bytes: its page goes through the photo path.
    photo = stamped_photo(stamped, scale=2.0 if stream == "jpeg" else 1.0)
    if stream == "png":
        out = io.BytesIO()
        Image.open(io.BytesIO(photo)).save(out, "PNG")  # a Flate stream in the PDF
        photo = out.getvalue()
    source = _image_pdf(photo)
    assert len(source) > 500_000
    doc = convert(source)
    assert_compliant(doc.pdf)
    assert "pdf_recompressed" in doc.notice_keys
    reds, blues = reds_and_blues(rendered_colour(doc.pdf))
    if stamped:
        assert reds > 1500
        assert blues > 300
    else:
        assert (reds, blues) == (0, 0)
