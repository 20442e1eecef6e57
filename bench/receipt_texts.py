"""Receipts with a known total, currency, date and provider, in several languages, number
formats and layouts, photographed as phones do (bench/receipts.py's simulation) and as
Telegram sends them (1280 px JPEG).

Usage:
    python -c "from bench.receipt_texts import generate; print(generate(1)[0].lines)"

The default seed gives the receipts of every earlier run (each locale and layout in turn);
any other seed draws each receipt's locale among more countries, its layout and its shot, and
sometimes prints the currency on the item lines and a VAT line: receipts the reader never saw.
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
    vat: str = ""  # the VAT line's label, rate in per cent last (« DPH 21 % »)


DEFAULT_SEED = 11
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
# Drawn only with another seed, with the locales above: more currencies, labels and marks.
MORE_LOCALES = (
    Locale("HUF", " ", "", "Ft", False, "FIZETENDŐ", "Dátum", "%Y.%m.%d.", "PATIKA BUDA",
           ("Orvosi vizsgálat", "Gyógyszer", "Kötszer", "Szirup"), "ÁFA 27 %"),
    Locale("SEK", " ", ",", "kr", False, "ATT BETALA", "Datum", "%Y-%m-%d", "APOTEK HJARTAT",
           ("Läkarbesök", "Alvedon", "Plåster", "Hostmedicin"), "Moms 25 %"),
    Locale("DKK", ".", ",", "kr.", False, "I ALT", "Dato", "%d.%m.%Y", "APOTEKET NORREPORT",
           ("Konsultation", "Panodil", "Plaster", "Hostesaft"), "Moms 25 %"),
    Locale("RON", ".", ",", "lei", False, "TOTAL DE PLATĂ", "Data", "%d.%m.%Y",
           "FARMACIA CATENA", ("Consultație", "Paracetamol", "Pansament", "Sirop"), "TVA 9 %"),
    Locale("TRY", ".", ",", "TL", False, "TOPLAM", "Tarih", "%d.%m.%Y", "ECZANE MERKEZ",
           ("Muayene", "Parol", "Sargı bezi", "Şurup"), "KDV 10 %"),
    Locale("BRL", ".", ",", "R$", True, "VALOR TOTAL", "Data", "%d/%m/%Y", "DROGARIA POPULAR",
           ("Consulta", "Dipirona", "Curativo", "Xarope")),
    Locale("CZK", " ", ",", "CZK", False, "CELKEM", "Datum", "%d.%m.%Y", "LEKARNA U ANDELA",
           ("Vyšetření", "Léky", "Obvaz", "Sirup"), "DPH 12 %"),
    Locale("PLN", " ", ",", "zł", False, "RAZEM", "Data", "%d.%m.%Y", "APTEKA ZDROWIE",
           ("Porada", "Ibuprom", "Bandaż", "Witaminy"), "PTU 8 %"),
    Locale("EUR", ".", ",", "€", False, "TOTAAL", "Datum", "%d-%m-%Y", "APOTHEEK CENTRUM",
           ("Consult", "Paracetamol", "Verband", "Hoestdrank"), "BTW 9 %"),
    Locale("GBP", ",", ".", "£", True, "BALANCE DUE", "Date", "%d/%m/%Y", "ST MARY CLINIC",
           ("Consultation", "Dressing", "Blood test", "Ibuprofen"), "VAT 20 %"),
    Locale("THB", ",", ".", "฿", True, "TOTAL", "Date", "%d/%m/%Y", "PHUKET CLINIC",
           ("Doctor fee", "Medicine", "Dressing", "Service charge"), "VAT 7 %"),
    Locale("CHF", "'", ".", "Fr.", False, "TOTAL", "Date", "%d.%m.%Y", "PHARMACIE DU LAC",
           ("Consultation", "Dafalgan", "Pansement", "Sirop"), "TVA 2.6 %"),
)


@dataclass(frozen=True)
class Draw:
    """What one receipt looks like: its locale, layout, shot and where the mark is printed."""

    locale: Locale
    layout: str
    shot: tuple[int, bool]
    marked_items: bool = False  # the mark on every item's amount, not only the total's
    vat_line: bool = False  # a VAT line below the total, its amount with the mark


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
    scale = {"JPY": 100, "THB": 400, "CZK": 300, "HUF": 3000, "SEK": 10, "DKK": 7,
             "RON": 5, "TRY": 30, "BRL": 5}.get(locale.currency, 1)
    values = [Decimal(rng.randrange(300, 12000) * scale) / 100 for _ in range(count)]
    return [v.quantize(Decimal(1)) if not locale.decimal else v for v in values]


def _vat(total: Decimal, label: str, locale: Locale) -> Decimal:
    """Return the VAT included in ``total`` at the rate ending ``label``, rounded as printed."""
    rate = Decimal(label.split()[-2].replace(",", "."))
    places = Decimal("0.01") if locale.decimal else Decimal(1)
    return (total * rate / (100 + rate)).quantize(places)


def _lines(rng: random.Random, draw: Draw, day: date) -> tuple[list, Decimal, int]:
    """Return (text, amount text or None) rows, the total and the index of its row."""
    locale, layout = draw.locale, draw.layout
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
        printed_amount = format_amount(amount, locale)
        rows.append((item, _with_mark(printed_amount, locale) if draw.marked_items
                     else printed_amount))
        total += amount
    total_row = len(rows)
    rows.append((locale.total, _with_mark(format_amount(total, locale), locale)))
    if layout == "ticket":
        rows.append(("CARD ****4821", format_amount(total, locale)))
    if draw.vat_line and locale.vat:
        vat = format_amount(_vat(total, locale.vat, locale), locale)
        rows.append((locale.vat, _with_mark(vat, locale)))
    rows.append(("Merci / Thank you", None))
    return rows, total, total_row


def _paper(rows: list, layout: str, rng: random.Random, total_row: int | None = None
           ) -> Image.Image:
    """Print the rows; ``total_row`` (default: the row before the last, or the card's) is the
    one a handwritten layout writes by hand."""
    if total_row is None:
        total_row = len(rows) - (3 if layout == "ticket" else 2)
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
        face = font
        if layout == "handwritten" and i == total_row:
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


def _draw(index: int, seed: int, rng: random.Random) -> Draw:
    """Return receipt ``index``'s look: in turn for the default seed, else drawn by ``rng``."""
    if seed == DEFAULT_SEED:  # the receipts of earlier runs, so their figures compare
        return Draw(LOCALES[index % len(LOCALES)], LAYOUTS[index % len(LAYOUTS)],
                    _SHOTS[index % len(_SHOTS)])
    return Draw(rng.choice(LOCALES + MORE_LOCALES), rng.choice(LAYOUTS), rng.choice(_SHOTS),
                marked_items=rng.random() < 0.3, vat_line=rng.random() < 0.5)


def generate(count: int = 24, seed: int = DEFAULT_SEED) -> list[Receipt]:
    """Return ``count`` receipts, reproducible by ``seed`` (the default covers every locale
    and layout in turn)."""
    rng = random.Random(seed)
    receipts = []
    for i in range(count):
        draw = _draw(i, seed, rng)
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
        rows, total, total_row = _lines(rng, draw, day)
        orientation, landscape = draw.shot
        tilt = random.Random(seed * 1000 + i)
        paper = _paper(rows, draw.layout, rng, total_row)
        scene = _lighting(_scene(paper, landscape, rng, tilt), rng)
        photo = _store(scene, orientation)
        lines = tuple(f"{t}  {a}" if a else t for t, a in rows)
        currency = draw.locale.currency
        receipts.append(Receipt(f"{i + 1:02d}_{currency}_{draw.layout}", draw.layout, lines,
                                total, currency, day, draw.locale.provider, photo,
                                telegram_copy(photo)))
    return receipts
