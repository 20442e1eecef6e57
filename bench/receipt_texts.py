"""Receipts with a known total, currency, date and provider, in several languages, number
formats and layouts, photographed as phones do (bench/receipts.py's simulation) and as
Telegram sends them (1280 px JPEG).

Usage:
    python -c "from bench.receipt_texts import generate; print(generate(1)[0].lines)"
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont, ImageOps

from bench.receipts import _SHOTS, _lighting, _scene, _store

LAYOUTS = ("invoice", "ticket", "pharmacy", "handwritten")
_FONTS = "/usr/share/fonts/truetype/"
_PRINT = _FONTS + "dejavu/DejaVuSans.ttf"
_MONO = _FONTS + "dejavu/DejaVuSansMono.ttf"
_HAND = _FONTS + "dejavu/DejaVuSerif-Italic.ttf"


@dataclass(frozen=True)
class Locale:
    """How one country prints a receipt."""

    currency: str
    thousands: str
    decimal: str  # "" for currencies printed without cents
    mark: str  # before (``£12``) with a trailing space rule below, or after
    mark_first: bool
    total: str
    date_label: str
    date_format: str
    provider: str
    items: tuple[str, ...]


LOCALES = (
    Locale("EUR", " ", ",", "€", False, "TOTAL TTC", "Date", "%d/%m/%Y", "PHARMACIE DU PORT",
           ("Consultation", "Doliprane 1000 mg", "Pansements", "Radiographie")),
    Locale("EUR", ".", ",", "EUR", False, "TOTAL", "Fecha", "%d/%m/%Y", "CLINICA SAN JOSE",
           ("Consulta medica", "Ibuprofeno 600", "Analisis sangre", "Curas")),
    Locale("EUR", ".", ",", "EUR", False, "SUMME", "Datum", "%d.%m.%Y", "PRAXIS DR. WEBER",
           ("Untersuchung", "Verband", "Ultraschall", "Medikament")),
    Locale("EUR", ".", ",", "€", False, "TOTALE", "Data", "%d/%m/%Y", "FARMACIA ROSSI",
           ("Visita medica", "Tachipirina", "Garze sterili", "Sciroppo")),
    Locale("EUR", ".", ",", "€", False, "TOTAL A PAGAR", "Data", "%d-%m-%Y", "CLINICA LISBOA",
           ("Consulta", "Raio X", "Medicamentos", "Penso")),
    Locale("PLN", " ", ",", "zł", False, "DO ZAPŁATY", "Data", "%Y-%m-%d", "APTEKA POD LWEM",
           ("Wizyta lekarska", "Apap 500", "Opatrunek", "Syrop")),
    Locale("USD", ",", ".", "$", True, "Amount due", "Date", "%m/%d/%Y", "CITY URGENT CARE",
           ("Office visit", "X-ray", "Lab test", "Bandages")),
    Locale("GBP", ",", ".", "£", True, "TOTAL", "Date", "%d/%m/%Y", "BOOTS PHARMACY",
           ("Consultation", "Paracetamol", "Plasters", "Cough syrup")),
    Locale("THB", ",", ".", "THB", False, "TOTAL", "Date", "%d/%m/%Y", "BANGKOK HOSPITAL",
           ("Doctor fee", "Medicine", "X-ray", "Nursing service")),
    Locale("CHF", "'", ".", "CHF", True, "Total", "Datum", "%d.%m.%Y", "APOTHEKE BAHNHOF",
           ("Beratung", "Medikament", "Verband", "Salbe")),
    Locale("JPY", ",", "", "¥", True, "TOTAL", "Date", "%Y/%m/%d", "TOKYO CLINIC",
           ("Consultation", "Medicine", "Test", "Injection")),
    Locale("CZK", " ", ",", "Kč", False, "Celkem k úhradě", "Datum", "%d.%m.%Y",
           "LEKARNA PRAHA", ("Vysetreni", "Lek", "Obvaz", "Sirup")),
)


@dataclass(frozen=True)
class Receipt:
    """A generated receipt: what is printed on it and the truth a reader must find."""

    name: str
    layout: str
    lines: tuple[str, ...]
    total: Decimal
    currency: str
    day: date
    provider: str
    photo: bytes  # 12 MP JPEG, EXIF-rotated
    telegram: bytes  # what a bot receives: upright, 1280 px, recompressed


def format_amount(value: Decimal, locale: Locale) -> str:
    """Print ``value`` as the locale does (``1 234,56``, ``1,234.56``, ``1'234.50``, ``1,200``)."""
    whole, cents = divmod(int(value * 100), 100)
    grouped = f"{whole:,}".replace(",", locale.thousands)
    return f"{grouped}{locale.decimal}{cents:02d}" if locale.decimal else grouped


def _with_mark(text: str, locale: Locale) -> str:
    return f"{locale.mark}{text}" if locale.mark_first else f"{text} {locale.mark}"


def _amounts(rng: random.Random, locale: Locale, count: int) -> list[Decimal]:
    scale = {"JPY": 100, "THB": 400, "CZK": 300}.get(locale.currency, 1)
    values = [Decimal(rng.randrange(300, 12000) * scale) / 100 for _ in range(count)]
    return [v.quantize(Decimal(1)) if not locale.decimal else v for v in values]


def _lines(rng: random.Random, locale: Locale, layout: str, day: date) -> tuple[list, Decimal]:
    """Return (text, amount text or None, bold) rows and the total."""
    items = rng.sample(locale.items, rng.randrange(2, len(locale.items) + 1))
    amounts = _amounts(rng, locale, len(items))
    printed = f"{locale.date_label} {day.strftime(locale.date_format)}"
    hour = f"{rng.randrange(8, 19)}:{rng.randrange(60):02d}"
    rows: list[tuple[str, str | None]] = [(locale.provider, None),
                                          (f"{rng.randrange(1, 99)} Main Street", None),
                                          (f"{printed}  {hour}", None)]
    total = Decimal(0)
    for item, amount in zip(items, amounts, strict=True):
        if layout == "pharmacy":
            quantity = rng.randrange(1, 4)
            amount = amount * quantity
            item = f"{quantity} x {item}"
        rows.append((item, format_amount(amount, locale)))
        total += amount
    rows.append((locale.total, _with_mark(format_amount(total, locale), locale)))
    if layout == "ticket":
        rows.append(("CARD ****4821", format_amount(total, locale)))
    rows.append(("Merci / Thank you", None))
    return rows, total


def _paper(rows: list, layout: str, rng: random.Random) -> Image.Image:
    narrow = layout == "ticket"
    width = 700 if narrow else 1300
    font = ImageFont.truetype(_MONO if narrow else _PRINT, rng.randrange(30, 38))
    line_h = round(font.size * 1.7)
    paper = Image.new("L", (width, 160 + line_h * len(rows)), 246)
    draw = ImageDraw.Draw(paper)
    for i, (text, amount) in enumerate(rows):
        y = 80 + i * line_h
        draw.text((50, y), text, fill=30, font=font)
        if amount is None:
            continue
        is_total = i == len(rows) - (3 if layout == "ticket" else 2)
        face = font
        if layout == "handwritten" and is_total:
            face = ImageFont.truetype(_HAND, round(font.size * 1.3))
        draw.text((width - 50 - draw.textlength(amount, font=face), y), amount, fill=25,
                  font=face)
    return paper


def telegram_copy(photo: bytes) -> bytes:
    """Return the photo as Telegram delivers it: upright, long side 1280 px, JPEG q 80."""
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(photo)))
    image.thumbnail((1280, 1280), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def generate(count: int = 24, seed: int = 11) -> list[Receipt]:
    """Return ``count`` receipts covering every locale and layout, reproducible by ``seed``."""
    rng = random.Random(seed)
    receipts = []
    for i in range(count):
        locale, layout = LOCALES[i % len(LOCALES)], LAYOUTS[i % len(LAYOUTS)]
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
        rows, total = _lines(rng, locale, layout, day)
        orientation, landscape = _SHOTS[i % len(_SHOTS)]
        tilt = random.Random(seed * 1000 + i)
        scene = _lighting(_scene(_paper(rows, layout, rng), landscape, rng, tilt), rng)
        photo = _store(scene, orientation)
        lines = tuple(f"{t}  {a}" if a else t for t, a in rows)
        receipts.append(Receipt(f"{i + 1:02d}_{locale.currency}_{layout}", layout, lines,
                                total, locale.currency, day, locale.provider, photo,
                                telegram_copy(photo)))
    return receipts
