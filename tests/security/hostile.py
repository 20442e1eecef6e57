"""Hostile files that pass every check on their bytes and still cost too much to convert.

- ``slow_pdf``: one letter page of 20 000 random strokes and 600 KB of incompressible data
  (so it must be drawn, not kept): PDFium spends about 5 s of CPU in C code on it, and
  five pages would be 25 s. Every page and object check passes.
- ``large_png``: a 25 million pixel RGB receipt, 0.7 MB, under every pixel cap: decoding
  and lighting it needs about 500 MB.
"""

from __future__ import annotations

import io
import os
import random
from functools import cache

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from tests.documents.conftest import encode, receipt


@cache
def slow_pdf(strokes: int = 20_000) -> bytes:
    """Return a small PDF whose only page takes seconds of CPU to draw."""
    rng = random.Random(1)
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    body = "".join(f"{rng.randint(0, 612)} {rng.randint(0, 792)} m "
                   f"{rng.randint(0, 612)} {rng.randint(0, 792)} l S\n" for _ in range(strokes))
    content = DecodedStreamObject()
    content.set_data(body.encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    page.compress_content_streams()
    ballast = DecodedStreamObject()  # never shown: only makes the file too large to keep
    ballast.set_data(os.urandom(600_000))
    writer.root_object[NameObject("/Ballast")] = writer._add_object(ballast)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def large_png() -> bytes:
    """Return a 5000 × 5000 RGB receipt as a PNG (0.7 MB)."""
    return encode(receipt((5000, 5000)), "PNG")
