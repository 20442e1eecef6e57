"""Several small tickets of one document on one A4 page, each still legible (DOC-09).

The official guide suggests pasting every card receipt on one sheet; a batch of tickets then
makes fewer pages and, merged with others, fewer files toward the limit of 10. A page image
is a ticket when it is a strip much narrower than A4 (``[tickets].max_aspect`` of
``config/documents.toml``). Consecutive tickets share a page, in their order, while a grid of
them keeps every one legible: legible means its text lines, as shown on the page, stay at
least ``min_line_pitch_pt`` apart (``orient.line_pitch`` measures the lines' spacing in
pixels on the page image; the scale it is shown at turns it into points). Each ticket stays
its own JPEG image, placed in its cell (``writer``): nothing is drawn twice or re-encoded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from bot.documents.images import MAX_DPI
from bot.documents.orient import line_pitch
from bot.documents.writer import A4_HEIGHT_PT, A4_WIDTH_PT, Box, placement
from bot.domain.config_files import Tickets, documents_file


@dataclass(frozen=True)
class PageLayout:
    """Where each page image goes: per page, (image index, box); and what was shared."""

    pages: tuple[tuple[tuple[int, Box], ...], ...]
    tickets_shared: int = 0
    """How many tickets share a page with another one."""
    shared_pages: int = 0
    """How many pages hold several tickets."""


@dataclass(frozen=True)
class _Ticket:
    index: int
    width: int
    height: int
    pitch: float  # between text lines, in pixels of the page image


def _ticket(index: int, image: Image.Image, rules: Tickets) -> _Ticket | None:
    if image.width > rules.max_aspect * image.height:
        return None
    luma = image if image.mode == "L" else image.getchannel(0)
    pitch = line_pitch(np.asarray(luma))
    return None if pitch is None else _Ticket(index, image.width, image.height, pitch)


def _grid(tickets: Sequence[_Ticket], columns: int, rules: Tickets) -> tuple[float, list[Box]]:
    """Return the smallest line pitch shown (points) and the boxes of ``tickets`` in a grid."""
    rows = math.ceil(len(tickets) / columns)
    cell_w = (A4_WIDTH_PT - 2 * rules.margin_pt - (columns - 1) * rules.gap_pt) / columns
    cell_h = (A4_HEIGHT_PT - 2 * rules.margin_pt - (rows - 1) * rules.gap_pt) / rows
    boxes, shown = [], math.inf
    for j, ticket in enumerate(tickets):
        scale = min(cell_w / ticket.width, cell_h / ticket.height)
        shown = min(shown, ticket.pitch * scale)
        width, height = ticket.width * scale, ticket.height * scale
        row, column = divmod(j, columns)
        left = rules.margin_pt + column * (cell_w + rules.gap_pt) + (cell_w - width) / 2
        top = A4_HEIGHT_PT - rules.margin_pt - row * (cell_h + rules.gap_pt)
        boxes.append((left, top - height, width, height))
    return shown, boxes


def _arranged(tickets: Sequence[_Ticket], rules: Tickets) -> list[Box] | None:
    """Return the most legible grid of ``tickets`` on one page, or None if none is legible."""
    best: tuple[float, list[Box]] | None = None
    for columns in range(1, len(tickets) + 1):
        if (math.ceil(len(tickets) / columns) - 1) * columns >= len(tickets):
            continue  # an empty row: a narrower grid does better
        shown, boxes = _grid(tickets, columns, rules)
        if shown >= rules.min_line_pitch_pt and (best is None or shown > best[0]):
            best = (shown, boxes)
    return None if best is None else best[1]


def lay_out(images: Sequence[Image.Image], rules: Tickets | None = None) -> PageLayout:
    """Return where each page image goes: alone on its page, or beside other tickets."""
    rules = rules or documents_file().tickets
    pages: list[tuple[tuple[int, Box], ...]] = []
    group: list[_Ticket] = []
    boxes: list[Box] | None = None  # the group's grid, once it holds two tickets

    def close() -> None:
        if len(group) == 1:
            pages.append(((group[0].index, placement(group[0].width, group[0].height)),))
        elif boxes is not None:
            pages.append(tuple(zip((t.index for t in group), boxes, strict=True)))
        group.clear()

    for index, image in enumerate(images):
        ticket = _ticket(index, image, rules)
        grown = _arranged([*group, ticket], rules) if ticket and group else None
        if group and (grown is None or len(group) >= rules.max_per_page):
            close()
        if ticket is None:
            pages.append(((index, placement(image.width, image.height)),))
            continue
        boxes = grown if group else None
        group.append(ticket)
    close()
    shared = [page for page in pages if len(page) > 1]
    return PageLayout(tuple(pages), sum(map(len, shared)), len(shared))


def shown_at_most(images: Sequence[Image.Image], layout: PageLayout) -> list[Image.Image]:
    """Return ``images``, those sharing a page brought down to their box at ``MAX_DPI``.

    A ticket shown in a third of the page needs a third of the pixels: fewer bytes, and the
    same sharpness on screen and on paper.
    """
    out = list(images)
    for page in layout.pages:
        if len(page) < 2:
            continue
        for index, (_, _, width, _) in page:
            image = out[index]
            wanted = round(width / 72 * MAX_DPI)
            if wanted < image.width:
                size = (wanted, max(1, round(image.height * wanted / image.width)))
                pixels = cv2.resize(np.asarray(image), size, interpolation=cv2.INTER_AREA)
                out[index] = Image.fromarray(pixels, image.mode)
    return out
