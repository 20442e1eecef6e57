"""Generate realistic receipt photos with known text: 12 MP, skewed, in perspective on a darker
table, unevenly lit, EXIF-rotated.

Usage:
    python -c "from bench.receipts import generate; print(generate(1)[0].text)"
"""

from __future__ import annotations

import io
import random
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageStat

PHOTO_SIZE = (4032, 3024)  # what a 12 MP phone sensor stores, landscape
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
_ITEMS = (
    "Consultation generaliste",
    "Paracetamol 500 mg",
    "Amoxicilline 1 g",
    "Radiographie thorax",
    "Analyse sanguine",
    "Pansements steriles",
    "Ibuprofene 400 mg",
    "Kinesitherapie seance",
    "Echographie abdominale",
    "Vaccin antitetanique",
    "Bandage elastique 10 cm",
    "Sirop antitussif 200 ml",
    "Consultation urgences",
    "Serum physiologique x30",
)
_CLINICS = ("CLINICA SAN JOSE", "FARMACIA CENTRAL", "HOSPITAL DEL MAR", "PHARMACY ROYAL")
# (EXIF orientation, scene is a landscape frame): phones mostly store 6 for portrait shots.
_SHOTS = ((6, False), (1, True), (8, False), (3, False), (6, False), (1, False))


@dataclass(frozen=True)
class ReceiptPhoto:
    """One generated photo (JPEG bytes) and the text printed on the receipt."""

    name: str
    jpeg: bytes
    text: str
    orientation: int


@cache
def _font_path() -> str | None:
    return next((p for p in _FONT_CANDIDATES if Path(p).exists()), None)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _receipt_lines(rng: random.Random) -> list[str]:
    lines = [
        rng.choice(_CLINICS),
        "Calle Mayor 12, 28013 Madrid",
        f"Factura n. {rng.randrange(10**6):06d}",
    ]
    day, month, minute = rng.randrange(20, 28), rng.randrange(1, 10), rng.randrange(60)
    lines.append(f"Fecha {day}/0{month}/2025 10:{minute:02d}")
    total = 0
    for item in rng.sample(_ITEMS, rng.randrange(8, 14)):
        cents = rng.randrange(250, 9000)
        total += cents
        lines.append(f"{item}  {cents // 100},{cents % 100:02d} EUR")
    lines += [
        f"TOTAL  {total // 100},{total % 100:02d} EUR",
        "Pagado con tarjeta VISA ****4821",
        "Gracias por su visita",
    ]
    return lines


def _ticket_lines(rng: random.Random) -> list[str]:
    """A card-payment or pharmacy till ticket: short lines, as a 58 mm printer sets them."""
    lines = [rng.choice(_CLINICS), "Calle Mayor 12", "28013 Madrid"]
    day, month, minute = rng.randrange(20, 28), rng.randrange(1, 10), rng.randrange(60)
    lines.append(f"{day}/0{month}/2025 10:{minute:02d}")
    total = 0
    for item in rng.sample([i for i in _ITEMS if len(i) <= 20], rng.randrange(3, 6)):
        cents = rng.randrange(250, 9000)
        total += cents
        lines += [item, f"{cents // 100},{cents % 100:02d} EUR"]
    lines += [f"TOTAL {total // 100},{total % 100:02d} EUR", "CARTE BANCAIRE",
              "VISA ****4821", f"Terminal {rng.randrange(10**6):06d}", "TICKET CLIENT",
              "A CONSERVER"]
    return lines


def _paper(lines: list[str], rng: random.Random, layout: str = "sheet") -> Image.Image:
    narrow = layout in ("narrow", "ticket")
    font = _font(rng.randrange(20, 24) if narrow else rng.randrange(30, 40))
    line_h = round(font.size * 1.6) if isinstance(font, ImageFont.FreeTypeFont) else 60
    width = {"narrow": 600, "ticket": 360}.get(layout, 1150)
    # A sheet cut by the frame: blank paper above and below the text is what gets cut.
    top = 420 if layout == "cut" else 80
    paper = Image.new("L", (width, 2 * top + line_h * len(lines)), 246)
    draw = ImageDraw.Draw(paper)
    for i, line in enumerate(lines):
        left = 40 if narrow else 70
        draw.text((left, top + i * line_h), line, fill=rng.randrange(20, 60), font=font)
    return paper.rotate(90, expand=True) if layout == "sideways" else paper


def _perspective(scene: Image.Image, rng: random.Random, fill: int) -> Image.Image:
    """Tilt the phone by 6–15°: the scene seen by a pinhole camera turned about one axis.

    A camera turned in place sees the image H = K·R·K⁻¹ of what it saw straight on (K: focal
    length of a phone's main camera, 0.8 × the long side, centred); one side of the frame
    then looks further away (keystone), as in a real shot of a sheet on a table.
    """
    w, h = scene.size
    focal = 0.8 * max(w, h)
    camera = np.array([[focal, 0, w / 2], [0, focal, h / 2], [0, 0, 1]])
    angle = np.radians(rng.uniform(6, 15)) * rng.choice((-1, 1))
    c, s = np.cos(angle), np.sin(angle)
    turn = rng.choice(
        (
            np.array([[1, 0, 0], [0, c, -s], [0, s, c]]),  # about the horizontal axis
            np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]),  # about the vertical axis
        )
    )
    seen = camera @ turn @ np.linalg.inv(camera)
    # Aimed at the sheet: the sheet, in the middle, is first moved to where the turned camera
    # looks at the middle of its frame (a shift of the scene keeps the camera a pinhole one).
    x, y, z = np.linalg.solve(seen, [w / 2, h / 2, 1])
    seen = seen @ np.array([[1, 0, x / z - w / 2], [0, 1, y / z - h / 2], [0, 0, 1]])
    # Image.transform maps each output pixel back to the input: the inverse homography.
    back = np.linalg.inv(seen)
    back /= back[2, 2]
    return scene.transform(
        scene.size,
        Image.Transform.PERSPECTIVE,
        tuple(back.flatten()[:8]),
        Image.Resampling.BICUBIC,
        fillcolor=fill,
    )


def _scene(
    paper: Image.Image,
    landscape: bool,
    rng: random.Random,
    tilt: random.Random,
    layout: str = "sheet",
) -> Image.Image:
    size = PHOTO_SIZE if landscape else PHOTO_SIZE[::-1]
    table = Image.new("L", size, rng.randrange(70, 120))
    table = Image.blend(table, Image.effect_noise(size, 30).convert("L"), 0.25)
    grain = round(ImageStat.Stat(table).mean[0])
    fit = min(1.4, size[0] * 0.8 / paper.width, size[1] * 0.9 / paper.height)
    if layout == "cut":  # held close: the sheet runs out of the frame at the top and bottom
        fit = size[1] * 1.1 / paper.height
    elif layout in ("narrow", "ticket"):  # a card ticket filling the frame's height
        fit = size[1] * 0.85 / paper.height
    paper = paper.resize(
        (round(paper.width * fit), round(paper.height * fit)), Image.Resampling.LANCZOS
    )
    angle = rng.uniform(-4, 4)  # skew: the phone is never square to the sheet
    mask = Image.new("L", paper.size, 255).rotate(angle, expand=True)
    paper = paper.rotate(angle, expand=True, fillcolor=0)
    table.paste(paper, ((size[0] - paper.width) // 2, (size[1] - paper.height) // 2), mask)
    # Beyond the photographed table: the same grey, without its grain.
    return _perspective(table, tilt, grain)


def _lighting(scene: Image.Image, rng: random.Random) -> Image.Image:
    # A lamp on one side, the phone's shadow across the sheet, warm light, sensor noise.
    turn = rng.choice((0, 90, 180, 270))
    light = Image.linear_gradient("L").rotate(turn).resize(scene.size, Image.Resampling.BILINEAR)
    light = light.point(lambda v: 140 + v * 115 // 255)
    shadow = Image.new("L", scene.size, 255)
    w, h = scene.size
    x = rng.randrange(w // 4, w // 2)
    polygon = [(x, 0), (x + w // 3, 0), (x + w // 5, h), (x - w // 6, h)]
    ImageDraw.Draw(shadow).polygon(polygon, fill=rng.randrange(130, 170))
    shadow = shadow.filter(ImageFilter.BoxBlur(60))
    lit = ImageChops.multiply(ImageChops.multiply(scene, light), shadow)
    lit = lit.filter(ImageFilter.GaussianBlur(1.1))  # optics are never perfectly sharp
    red, green, blue = (lit.point(lambda v, k=k: v * k // 100) for k in (100, 95, 86))
    warm = Image.merge("RGB", (red, green, blue))
    noise = Image.merge("RGB", [Image.effect_noise(scene.size, 40) for _ in range(3)])
    return Image.blend(warm, noise, 0.12)


def _store(scene: Image.Image, orientation: int, thumbnail: bool = False) -> bytes:
    # Store the pixels as the sensor saw them, and the EXIF tag that turns them upright.
    undo = {
        1: None,
        3: Image.Transpose.ROTATE_180,
        6: Image.Transpose.ROTATE_90,
        8: Image.Transpose.ROTATE_270,
    }
    raw = scene.transpose(undo[orientation]) if undo[orientation] is not None else scene
    exif = exif_block(raw, orientation, thumbnail)
    out = io.BytesIO()
    raw.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def exif_block(raw: Image.Image, orientation: int, thumbnail: bool = True) -> bytes:
    """Return an EXIF block with ``orientation`` and, if ``thumbnail``, the 160 × 120 JPEG
    thumbnail a phone stores in IFD1 (of the stored pixels, as cameras write it)."""
    if not thumbnail:
        exif = Image.Exif()
        exif[0x0112] = orientation
        return exif.tobytes()
    small = io.BytesIO()
    raw.resize((160, 120) if raw.width >= raw.height else (120, 160)).convert("RGB").save(
        small, "JPEG", quality=80)
    jpeg = small.getvalue()
    # TIFF header, IFD0 (orientation) pointing to IFD1 at 26, which points to the JPEG at 56.
    tiff = b"II*\x00" + struct.pack("<I", 8)
    tiff += struct.pack("<HHHIHHI", 1, 0x0112, 3, 1, orientation, 0, 26)
    tiff += struct.pack("<H", 2) + struct.pack("<HHII", 0x0201, 4, 1, 56)
    tiff += struct.pack("<HHII", 0x0202, 4, 1, len(jpeg)) + struct.pack("<I", 0)
    return b"Exif\x00\x00" + tiff + jpeg


# Layouts other than a whole sheet: a narrow card ticket in a landscape frame, a sheet cut by
# the frame, a sheet lying sideways in the frame (text running down, EXIF saying upright).
LAYOUTS = ("sheet", "narrow", "cut", "sideways")
# Not among them (not in the unseen set): "ticket", a till-roll strip shot in a portrait frame.
_LAYOUT_SHOTS = {"narrow": (1, True), "cut": (6, False), "sideways": (1, True),
                 "ticket": (6, False)}


def generate(
    count: int = 6, seed: int = 7, layouts: tuple[str, ...] = ("sheet",), thumbnail: bool = True
) -> list[ReceiptPhoto]:
    """Return ``count`` receipt photos, reproducible for a given ``seed``.

    ``layouts`` are used in turn (see LAYOUTS); the default gives the photos of earlier runs.
    Each carries the EXIF thumbnail a phone stores, unless not ``thumbnail``.
    """
    rng = random.Random(seed)
    photos = []
    for i in range(count):
        layout = layouts[i % len(layouts)]
        orientation, landscape = _LAYOUT_SHOTS.get(layout, _SHOTS[i % len(_SHOTS)])
        lines = _ticket_lines(rng) if layout == "ticket" else _receipt_lines(rng)
        # Its own generator, so the texts stay those of the photos without perspective.
        tilt = random.Random(seed * 1000 + i)
        paper = _paper(lines, rng, layout)
        scene = _lighting(_scene(paper, landscape, rng, tilt, layout), rng)
        prefix = "receipt" if layout == "sheet" else layout
        photos.append(
            ReceiptPhoto(
                f"{prefix}{i + 1}_exif{orientation}",
                _store(scene, orientation, thumbnail),
                "\n".join(lines),
                orientation,
            )
        )
    return photos
