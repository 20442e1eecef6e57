"""Stamped sheets for ``bench.documents`` and the colour tests: coloured ink on a photo.

A sheet of black print on a darker table under a warm lamp, with sensor noise, made in code;
``stamped`` adds a red stamp and a blue signature; ``thumbnail`` the 160 × 120 EXIF thumbnail
a phone stores. ``run_stamps`` prints whether each page kept its colour, its size, the OCR of
its print and its time against the floor pipeline, in the same run.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.documents import best_time, compliant, floor_pipeline, read, similarity
from bench.receipts import exif_block
from bot.documents import convert
from bot.documents.photo import photo_page

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
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90, **({"exif": exif_block(photo, 1)} if thumbnail else {}))
    return out.getvalue()


def rendered_colour(pdf: bytes) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=100 / 72).to_pil().convert("RGB")  # 100 dpi
    finally:
        document.close()


def reds_and_blues(page: Image.Image) -> tuple[int, int]:
    rgb = np.asarray(page).astype(int)
    red = (rgb[:, :, 0] - rgb[:, :, 1] > 60) & (rgb[:, :, 0] - rgb[:, :, 2] > 60)
    blue = (rgb[:, :, 2] - rgb[:, :, 0] > 60) & (rgb[:, :, 2] - rgb[:, :, 1] > 40)
    return int(red.sum()), int(blue.sum())




def text_part(page: Image.Image) -> Image.Image:
    """Return the part of a page that holds the print (the stamp and signature are below)."""
    return page.crop((0, 0, page.width, page.height * 45 // 100))


def run_stamps(ocr: bool, repeat: int) -> None:
    """Print, for stamped and plain sheets, whether colour was kept, size, OCR and time."""
    print("\n== stamped sheets: colour kept where it matters, one core ==")
    cases = [
        ("3 MP, stamp + signature", stamped_photo()),
        ("12 MP + thumbnail, stamp + signature", stamped_photo(scale=2.0, thumbnail=True)),
        ("12 MP + thumbnail, plain", stamped_photo(False, scale=2.0, thumbnail=True)),
        ("12 MP no thumbnail, stamp + signature", stamped_photo(scale=2.0)),
        ("12 MP no thumbnail, plain", stamped_photo(False, scale=2.0)),
        ("3 MP, plain", stamped_photo(False)),
    ]
    for label, data in cases:
        seconds, pdf = best_time(lambda data=data: convert(data).pdf, repeat)
        floor_seconds, _ = best_time(lambda data=data: floor_pipeline(data), repeat)
        mode = photo_page(data).image.mode
        reds, blues = reds_and_blues(rendered_colour(pdf))
        line = (f"  {label:<38} {'colour' if mode != 'L' else 'grey  '} red {reds:5d} px, "
                f"blue {blues:4d} px; {len(pdf) / 1000:4.0f} kB ok={compliant(pdf)}; "
                f"{seconds * 1000:4.0f} ms = {seconds / floor_seconds:4.2f} x floor")
        if ocr:
            page = text_part(rendered_colour(pdf).convert("L"))
            line += f"; OCR of the print {similarity(read(page), chr(10).join(LINES)):.3f}"
        print(line)
