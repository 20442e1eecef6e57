"""What the scenarios share: receipt photos, sorting an upload, finishing a claim.

Not a test module: the scenario tests and ``print_pack`` import it.
"""

from __future__ import annotations

import io
import random
from datetime import date
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pypdf import PdfReader

from bot.domain.io import Reply
from tests import claims
from tests.fakes.users import ScriptedUser
from tests.states.helpers import play

# tests/claims.AFRIQUE_DU_SUD (stay 09/05/2025–20/05/2025) is replayed as of this day.
AS_OF_2025 = date(2025, 6, 1)


@cache
def _lighting(size: tuple[int, int]) -> Image.Image:
    """Return one sensor noise and lighting gradient, shared by every photo of this size."""
    shade = Image.linear_gradient("L").rotate(90).resize(size).point(lambda v: v // 5)
    return Image.blend(shade, Image.effect_noise(size, 25), 0.35)


def _receipt(number: int, size: tuple[int, int]) -> Image.Image:
    """Return a photo of a paper receipt on a table: text, uneven light, blur and noise."""
    rng = random.Random(number)
    width, height = size
    photo = Image.new("L", size, 90)  # the table
    draw = ImageDraw.Draw(photo)
    paper = (width // 5, height // 12, width * 4 // 5, height * 11 // 12)
    draw.rectangle(paper, fill=225)
    font = ImageFont.load_default(size=max(12, height // 38))
    lines = [f"CLINIQUE SANTA MARIA  n° {1000 + number}", "Consultation urgence",
             f"Date : {rng.randint(10, 19)}/05/2025",
             *(f"Acte {i:02d}  ......  {rng.randint(10, 90)},{rng.randint(0, 99):02d} EUR"
               for i in range(1, 12)),
             f"TOTAL  {rng.randint(100, 400)},00 EUR", "PAYE PAR CARTE  ****4242",
             "Merci de votre visite"]
    left, top = paper[0] + 30, paper[1] + 30
    step = (paper[3] - paper[1] - 60) // len(lines)
    for row, line in enumerate(lines):
        draw.text((left, top + row * step), line, fill=35, font=font)
    return Image.blend(photo.filter(ImageFilter.BoxBlur(1)), _lighting(size), 0.2)


def receipt_photo(number: int = 1, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """Return a JPEG phone photo of receipt ``number`` (landscape, as phones often take them)."""
    out = io.BytesIO()
    _receipt(number, size).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def receipt_pdf(number: int = 1) -> bytes:
    """Return a small one-page PDF scan of receipt ``number`` (not A4: the bot reshapes it)."""
    out = io.BytesIO()
    _receipt(number, (800, 600)).save(out, "PDF", resolution=100)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    """Return the number of pages of ``pdf``."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def a4_portrait(pdf: bytes) -> bool:
    """Tell whether every page of ``pdf`` is A4 portrait, 595×842 pt, unrotated (FIL-04)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return bool(pages) and all(
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (595, 842)
        and p.rotation % 360 == 0 for p in pages)


def said(user: ScriptedUser) -> str:
    """Return every text the bot sent in this chat so far."""
    return "\n".join(reply.text for reply in user.replies)


async def upload_as(user: ScriptedUser, data: bytes, filename: str, category: str) -> str:
    """Send a file, then sort it with the category button the bot offers; return its id."""
    await user.upload(data, filename)
    wanted = [p for p in user.payloads if p.startswith("cat:") and p.endswith(f":{category}")]
    assert wanted, (category, user.payloads, user.text)
    await user.press(wanted[0])
    assert "ne correspond plus" not in user.text, user.text
    return wanted[0].split(":")[1]


async def finish(user: ScriptedUser) -> list[Reply]:
    """From step 4 to the end: done with documents, tick both boxes, validate.

    Returns what the user saw: the recap with the boxes, the files and the last message,
    then what « Plus d'informations » shows (next steps and checklist).
    """
    await user.press("nav:docs_done")
    if "nav:docs_continue" in user.payloads:  # some required documents are missing
        await user.press("nav:docs_continue")
    assert "Récapitulatif" in user.text, user.text
    await user.press("crt:originals:oui")
    await user.press("crt:accuracy:oui")
    recap = list(user.turn)
    await user.press("nav:validate")
    assert "est prêt" in user.text, user.text
    pack = list(user.turn)
    await user.press("nav:more_info")
    return [*recap, *pack, *user.turn]


async def south_africa_pack(user: ScriptedUser) -> list[Reply]:
    """Play the Afrique du Sud claim with two receipt photos to the end; return the pack.

    The user's clock must read ``AS_OF_2025``.
    """
    await play(user, claims.AFRIQUE_DU_SUD)
    await upload_as(user, receipt_photo(1), "facture.jpg", "facture")
    await upload_as(user, receipt_photo(2), "ticket_carte.jpg", "preuve_paiement")
    return await finish(user)
