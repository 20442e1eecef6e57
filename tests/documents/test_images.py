"""Photos to pages: every input kind, EXIF orientation, landscape, 12 MP within limits."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps
from pypdf import PdfReader

from bot.documents import MAX_PDF_BYTES, convert, convert_many, page_dpi
from bot.documents.images import upright
from tests.documents.conftest import (
    assert_compliant,
    encode,
    first_page,
    jpeg_with_orientation,
    mean_of,
    receipt,
)

# The transpose that, applied to the upright scene, gives the stored pixels for each tag.
_STORE = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def _upright_scene() -> Image.Image:
    """A portrait page hatched with ink at the top and on the left, plain paper elsewhere."""
    scene = Image.new("RGB", (600, 900), (235, 230, 220))
    draw = ImageDraw.Draw(scene)
    # Thin strokes like print: large solid areas are taken for background and whitened.
    for y in range(0, 120, 8):
        draw.line((0, y, 599, y), fill="black", width=3)
    for x in range(0, 80, 8):
        draw.line((x, 0, x, 899), fill="black", width=3)
    return scene




@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_fil04(orientation: int) -> None:
    transpose = _STORE[orientation]
    scene = _upright_scene()
    stored = scene.transpose(transpose) if transpose is not None else scene
    doc = convert(jpeg_with_orientation(stored, orientation))
    assert_compliant(doc.pdf)
    page = first_page(doc.pdf)
    assert page.height > page.width
    assert mean_of(page, (0.3, 0.0, 1.0, 0.1)) < 170  # ink on top
    assert mean_of(page, (0.3, 0.5, 1.0, 0.6)) > 230  # paper below
    assert mean_of(page, (0.0, 0.3, 0.1, 1.0)) < 170  # ink on the left


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "JPEG"])
def test_image_kinds_become_a4_pdf_fil02(fmt: str) -> None:
    doc = convert(encode(receipt(), fmt), filename="wrong-name.docx")
    assert doc.source_kind == {"PNG": "png", "WEBP": "webp", "JPEG": "jpeg"}[fmt]
    assert doc.page_count == 1
    assert_compliant(doc.pdf)


def test_png_with_transparency_is_paper_not_black() -> None:
    image = Image.new("RGBA", (400, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((20, 20), "TOTAL 12 EUR", fill=(0, 0, 0, 255))
    page = first_page(convert(encode(image, "PNG")).pdf)
    assert mean_of(page, (0, 0.5, 1, 1)) > 200


def test_heic_is_read() -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    doc = convert(encode(receipt(), "HEIF", quality=80))
    assert doc.source_kind == "heif"
    assert_compliant(doc.pdf)


def _printed(size: tuple[int, int]) -> Image.Image:
    """Lines of varied words, left-aligned and of varied lengths, as on a real receipt."""
    rng = random.Random(4)
    words = ["Consultation", "Paracetamol", "TOTAL", "EUR", "42,50", "Farmacia", "tarjeta",
             "Factura", "Radiographie", "12,80", "Ibuprofene", "visita", "Madrid", "Fecha"]
    image = Image.new("L", size, 245)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("DejaVuSans.ttf", 30) if _dejavu() else ImageFont.load_default(30)
    for row in range(50, size[1] - 60, 48):
        line = " ".join(rng.choice(words) for _ in range(rng.randrange(2, 6)))
        draw.text((40, row), line, fill=25, font=font)
    return image


def _dejavu() -> bool:
    try:
        ImageFont.truetype("DejaVuSans.ttf", 10)
    except OSError:
        return False
    return True


def test_landscape_frame_with_level_text_is_not_turned_fil04() -> None:
    # The frame's shape says nothing: level text stays level (it used to be turned sideways).
    page = first_page(convert(encode(_printed((1600, 1000)), "PNG")).pdf)
    assert page.width > page.height


@pytest.mark.parametrize("turn", [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270])
def test_text_running_down_the_page_is_turned_upright(turn: Image.Transpose) -> None:
    upright = _printed((1000, 1400))
    page = first_page(convert(encode(upright.transpose(turn), "PNG")).pdf)
    assert page.size == upright.size
    # Upright, not upside down: the lines start on the left, the right edge is paper.
    assert mean_of(page, (0.02, 0.1, 0.15, 0.9)) < mean_of(page, (0.85, 0.1, 0.98, 0.9)) - 10


def test_small_image_is_never_upscaled() -> None:
    page = first_page(convert(encode(receipt((300, 420)), "PNG")).pdf)
    assert page.size == (300, 420)


def test_12mp_photo_fits_fil03(photo_12mp: bytes) -> None:
    assert len(photo_12mp) > MAX_PDF_BYTES
    doc = convert(photo_12mp)
    assert_compliant(doc.pdf)
    page = first_page(doc.pdf)
    assert page.height > page.width
    assert page_dpi(*page.size) >= 150  # still legible (FIL-07)


def test_animated_keeps_first_frame_with_notice() -> None:
    frames = [receipt(mode="L").convert("P"), Image.new("P", (1200, 1600), 0)]
    gif = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    doc = convert(gif)
    assert_compliant(doc.pdf)
    assert any("première image" in notice for notice in doc.notices)


def test_several_photos_make_one_multipage_pdf(photo_12mp: bytes) -> None:
    doc = convert_many([photo_12mp, encode(receipt(), "PNG"), photo_12mp])
    assert doc.page_count == 3
    assert len(PdfReader(io.BytesIO(doc.pdf)).pages) == 3
    assert_compliant(doc.pdf)


def test_page_dpi_uses_long_side() -> None:
    assert page_dpi(1169, 827) == pytest.approx(100, rel=0.01)
    assert page_dpi(4032, 3024) > 300


@pytest.mark.parametrize("orientation", range(1, 9))
def test_pixel_turns_are_pillows_exif_turns(orientation: int) -> None:
    # The pipeline turns arrays with OpenCV; they must be the turns Pillow's EXIF support makes.
    pixels = np.arange(12, dtype=np.uint8).reshape(3, 4)
    tagged = Image.open(io.BytesIO(encode(Image.fromarray(pixels), "TIFF")))
    exif = tagged.getexif()
    exif[0x0112] = orientation
    tagged.info["exif"] = exif.tobytes()
    expected = np.asarray(ImageOps.exif_transpose(tagged))
    assert np.array_equal(upright(pixels, orientation), expected)
