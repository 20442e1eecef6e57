"""Colour kept where it matters: a red stamp and a blue signature stay coloured (issue 11 pt 5).

Photos made in code: a sheet of black print on a darker table under a warm lamp, with sensor
noise; some carry a red stamp and a blue signature. Read back as a viewer shows the PDF.
"""

from __future__ import annotations

import io
import math
import shutil
import struct

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bot.documents import convert, convert_many
from bot.documents.colour import thumbnail_bears_colour
from bot.documents.images import load_photo
from bot.documents.photo import photo_page
from tests.documents.conftest import assert_compliant, jpeg_with_orientation

LINES = [
    "CLINICA SAN JOSE",
    "Calle Mayor 12, 28013 Madrid",
    "Factura n. 004217",
    "Fecha 24/03/2025",
    "Consultation generaliste  45,00 EUR",
    "Radiographie thorax  80,00 EUR",
    "Analyse sanguine  32,50 EUR",
    "TOTAL  157,50 EUR",
]
STAMP_CENTRE = (760, 1000)  # on the sheet, below the text
SIGNATURE = [(180 + 12 * i, 1120 + round(40 * math.sin(i / 3))) for i in range(30)]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def _sheet(stamped: bool) -> Image.Image:
    sheet = Image.new("RGB", (1100, 1400), (246, 246, 244))
    draw = ImageDraw.Draw(sheet)
    for row, line in enumerate(LINES):
        draw.text((80, 90 + 70 * row), line, fill=(25, 25, 25), font=_font(40))
    if stamped:
        x, y = STAMP_CENTRE
        draw.ellipse((x - 150, y - 150, x + 150, y + 150), outline=(200, 30, 40), width=12)
        draw.text((x - 90, y - 30), "PAGADO", fill=(200, 30, 40), font=_font(52))
        draw.line(SIGNATURE, fill=(30, 50, 170), width=6, joint="curve")
    return sheet


def stamped_photo(stamped: bool = True, scale: float = 1.0, thumbnail: bool = False) -> bytes:
    """A 2000×1500 JPEG (× ``scale``): the sheet, a little turned, on a table, warm light,
    noise; with the 160 × 120 EXIF thumbnail a phone stores if ``thumbnail``."""
    table = Image.new("RGB", (2000, 1500), (95, 85, 75))
    sheet = _sheet(stamped).rotate(3, expand=True, fillcolor=(0, 0, 0))
    mask = Image.new("L", _sheet(False).size, 255).rotate(3, expand=True)
    sheet, mask = sheet.resize((sheet.width * 9 // 10, sheet.height * 9 // 10)), mask.resize(
        (mask.width * 9 // 10, mask.height * 9 // 10))
    table.paste(sheet, ((2000 - sheet.width) // 2, (1500 - sheet.height) // 2), mask)
    lamp = np.asarray(Image.linear_gradient("L").rotate(90).resize((2000, 1500)), np.float32)
    warm = np.array([1.0, 0.93, 0.82], np.float32)
    lit = np.asarray(table, np.float32) * (0.6 + 0.4 * lamp[:, :, None] / 255) * warm
    noisy = lit + np.random.default_rng(3).normal(0, 6, lit.shape)
    photo = Image.fromarray(noisy.clip(0, 255).astype(np.uint8))
    photo = photo.filter(ImageFilter.GaussianBlur(1))
    if scale != 1.0:
        photo = photo.resize((round(2000 * scale), round(1500 * scale)), Image.Resampling.BICUBIC)
    if not thumbnail:
        return jpeg_with_orientation(photo, 1)
    return _with_thumbnail(photo)


def _with_thumbnail(photo: Image.Image) -> bytes:
    """A JPEG whose EXIF block holds a thumbnail in IFD1, laid out as a camera writes it."""
    small = io.BytesIO()
    photo.resize((160, 120)).save(small, "JPEG", quality=80)
    thumbnail = small.getvalue()
    # TIFF header, IFD0 (orientation 1) pointing to IFD1 at 26, which points to the JPEG at 56.
    tiff = b"II*\x00" + struct.pack("<I", 8)
    tiff += struct.pack("<HHHIHHI", 1, 0x0112, 3, 1, 1, 0, 26)
    tiff += struct.pack("<H", 2) + struct.pack("<HHII", 0x0201, 4, 1, 56)
    tiff += struct.pack("<HHII", 0x0202, 4, 1, len(thumbnail)) + struct.pack("<I", 0)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90, exif=b"Exif\x00\x00" + tiff + thumbnail)
    return out.getvalue()


def _rendered(pdf: bytes) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=100 / 72).to_pil().convert("RGB")
    finally:
        document.close()


def _reds_and_blues(page: Image.Image) -> tuple[int, int]:
    rgb = np.asarray(page).astype(int)
    red = (rgb[:, :, 0] - rgb[:, :, 1] > 60) & (rgb[:, :, 0] - rgb[:, :, 2] > 60)
    blue = (rgb[:, :, 2] - rgb[:, :, 0] > 60) & (rgb[:, :, 2] - rgb[:, :, 1] > 40)
    return int(red.sum()), int(blue.sum())


def test_red_stamp_and_blue_signature_keep_their_colour() -> None:
    doc = convert(stamped_photo())
    assert_compliant(doc.pdf)
    reds, blues = _reds_and_blues(_rendered(doc.pdf))
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
    rgb = np.asarray(_rendered(coloured)).astype(int)
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
        # The stamp and signature are below the text: read the text's part of the page.
        text_part = page.crop((0, 0, page.width, page.height * 45 // 100))
        scores.append(similarity(pytesseract.image_to_string(text_part, lang="fra"), expected))
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
