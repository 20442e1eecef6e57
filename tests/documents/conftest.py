"""Inputs made in code: receipt-like images, PDFs of any page size, broken files."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw, ImageFont, ImageStat
from pypdf import PdfReader, PdfWriter

TEXT = "FARMACIA CENTRAL  TOTAL 42,50 EUR"


def receipt(size: tuple[int, int] = (1200, 1600), mode: str = "RGB") -> Image.Image:
    """Return a receipt-like image: light paper, dark lines of text, a lighting gradient."""
    grey = Image.linear_gradient("L").resize(size).point(lambda v: 150 + v * 100 // 255)
    draw = ImageDraw.Draw(grey)
    font = ImageFont.load_default(size=max(12, size[1] // 40))
    for row in range(60, size[1] - 60, max(20, size[1] // 25)):
        draw.text((40, row), TEXT, fill=30, font=font)
    return grey.convert(mode)


def noisy_photo(size: tuple[int, int] = (4032, 3024)) -> Image.Image:
    """Return a 12 MP photo-like image: text plus sensor noise (hard to compress)."""
    base = receipt(size)
    noise = Image.merge("RGB", [Image.effect_noise(size, 40) for _ in range(3)])
    return Image.blend(base, noise, 0.15)


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    """Return ``image`` saved in ``fmt``."""
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def jpeg_with_orientation(image: Image.Image, orientation: int) -> bytes:
    """Return ``image`` as a JPEG whose EXIF orientation tag is ``orientation``."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(image, "JPEG", quality=90, exif=exif)


def blank_pdf(sizes: list[tuple[float, float]], rotate: int = 0) -> bytes:
    """Return a PDF with one blank page per (width, height) in points."""
    writer = PdfWriter()
    for width, height in sizes:
        page = writer.add_blank_page(width=width, height=height)
        if rotate:
            page.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_pdf(pages: int = 3, size: tuple[int, int] = (2480, 3508)) -> bytes:
    """Return a PDF of noisy high-quality scans: several MB, over the 500 000 byte limit."""
    images = [noisy_photo(size) for _ in range(pages)]
    return encode(
        images[0], "PDF", save_all=True, append_images=images[1:], quality=95, resolution=300
    )


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Return the (width, height) of each page's MediaBox."""
    return [
        (float(p.mediabox.width), float(p.mediabox.height))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def assert_compliant(pdf: bytes) -> None:
    """Check FIL-03 and FIL-04: at most 500 000 bytes, every page exactly 595×842 pt."""
    assert len(pdf) <= 500_000
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (595, 842)
        assert page.rotation % 360 == 0


@pytest.fixture(scope="session")
def photo_12mp() -> bytes:
    """A 12 MP noisy JPEG, stored sideways with EXIF orientation 6, as phones do."""
    random.seed(1)
    return jpeg_with_orientation(noisy_photo(), 6)


def first_page(pdf: bytes) -> Image.Image:
    """Return the image of a converted PDF's first page, in grey."""
    return PdfReader(io.BytesIO(pdf)).pages[0].images[0].image.convert("L")


def mean_of(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """Return the mean grey of a region given in fractions of the image (x0, y0, x1, y1)."""
    w, h = image.size
    crop = image.crop((round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h)))
    return ImageStat.Stat(crop).mean[0]
