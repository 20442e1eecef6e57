"""How Tesseract reads each currency mark the receipts print, next to an amount: the evidence
for ``[misread]`` in config/receipts_currencies.toml.

Each trial prints every mark after (or before, as its locale does) an amount on one sheet, in
one of the receipts' faces, photographed as phones do and as Telegram sends it; the reader's
own OCR reads it. For each mark: what OCR printed in its place, how often, and whether the
receipt reader takes that reading for the right currency (« ok ») or not (« -- »).

Usage:
    python -m bench.mark_misreads [--trials 24] [--seed 5]
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter, defaultdict
from datetime import date

from PIL import Image, ImageDraw, ImageFont

from bench.receipt_texts import _HAND, _MONO, _PRINT, LOCALES, MORE_LOCALES, telegram_copy
from bench.receipts import _SHOTS, _lighting, _scene, _store
from bot.receipts.amounts import split_lines
from bot.receipts.reader import read_receipt

_FACES = (_PRINT, _MONO, _HAND)


def _marks() -> list[tuple[str, bool, str]]:
    """Return (mark, printed before the amount, currency) for every locale and ISO code."""
    locales = LOCALES + MORE_LOCALES
    found = {(loc.mark, loc.mark_first, loc.currency) for loc in locales}
    found |= {(loc.currency, False, loc.currency) for loc in locales}
    return sorted(found)


def _sheet(marks: list[tuple[str, bool, str]], rng: random.Random, face: str
           ) -> tuple[Image.Image, list[str]]:
    font = ImageFont.truetype(face, rng.randrange(30, 44))
    line_h = round(font.size * 1.7)
    paper = Image.new("L", (1300, 160 + line_h * len(marks)), 246)
    draw = ImageDraw.Draw(paper)
    amounts = []
    for i, (mark, first, _) in enumerate(marks):
        amount = f"{rng.randrange(10, 9999)},{rng.randrange(100):02d}"
        text = f"{mark} {amount}" if first else f"{amount} {mark}"
        draw.text((50, 80 + i * line_h), "Total", fill=30, font=font)
        draw.text((1250 - draw.textlength(text, font=font), 80 + i * line_h), text, fill=25,
                  font=font)
        amounts.append(amount)
    return paper, amounts


def _reading(lines: list[str], amount: str, first: bool) -> tuple[str, str | None]:
    """Return what OCR printed on the mark's side of ``amount``, and its whole line."""
    # The amount's digits, with or without its separator, spaces or specks between them.
    printed = re.compile(r"(?<!\d)" + r"\W{0,2}".join(re.sub(r"\D", "", amount)) + r"(?!\d)")
    for line in lines:
        if found := printed.search(line):
            side = line[:found.start()].split() if first else line[found.end():].split()
            return ((side[-1] if first else side[0]) if side else ""), line
    return "<line lost>", None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=24)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    marks = _marks()
    seen: dict[tuple[str, bool, str], Counter[tuple[str, bool]]] = defaultdict(Counter)
    for trial in range(args.trials):
        rng = random.Random(args.seed * 1000 + trial)
        paper, amounts = _sheet(marks, rng, _FACES[trial % len(_FACES)])
        orientation, landscape = _SHOTS[trial % len(_SHOTS)]
        photo = _store(_lighting(_scene(paper, landscape, rng, rng), rng), orientation)
        for data in (photo, telegram_copy(photo)):
            lines = read_receipt(data, today=date(2026, 1, 1), timeout=60).text.splitlines()
            for (mark, first, currency), amount in zip(marks, amounts, strict=True):
                reading, line = _reading(lines, amount, first)
                parsed = split_lines([line])[0] if line else None
                understood = bool(parsed and any(
                    currency in (m.currency.code, *m.currency.alternatives)
                    for m in parsed.marks))
                seen[(mark, first, currency)][(reading, understood)] += 1
    for (mark, first, currency), readings in seen.items():
        shown = ", ".join(f"{reading!r}×{count} {'ok' if ok else '--'}"
                          for (reading, ok), count in readings.most_common())
        print(f"{mark + ' …' if first else '… ' + mark:<8} {currency}  {shown}")


if __name__ == "__main__":
    main()
