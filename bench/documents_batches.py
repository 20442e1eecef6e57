"""Batches for ``bench.documents``: an album of 10, an image PDF, a mixed batch, tickets.

Each is converted by our pipeline and by the floor pipeline (``bench.documents``) made into as
few files of at most 500 000 bytes as it can (the greedy merge the bot uses), in the same run.
"""

from __future__ import annotations

import io
import os
import statistics
import time
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw, ImageOps

from bench.documents import (
    best_time,
    compliant,
    floor_pipeline,
    read,
    rendered_pages,
    shown_images,
    similarity,
)
from bench.receipts import ReceiptPhoto, generate
from bot.documents import DocumentRejected, convert, convert_many, merge
from bot.documents.pdfs import open_pdf
from bot.documents.sniff import sniff


def _upright_jpeg(photo: ReceiptPhoto, long_side: int, quality: int) -> bytes:
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(photo.jpeg))).convert("RGB")
    image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def image_pdf(photos: Sequence[ReceiptPhoto]) -> bytes:
    """Return a scanner-app PDF: one upright photo per page, as JPEG streams (about 2 MB)."""
    import img2pdf

    pages = [_upright_jpeg(photo, 3000, 90) for photo in photos]
    a4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
    return bytes(img2pdf.convert(pages, layout_fun=img2pdf.get_layout_fun(a4)))


def _screenshot(photo: ReceiptPhoto) -> bytes:
    image = Image.new("L", (1170, 2532), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(photo.text.splitlines()):
        draw.text((60, 200 + 90 * row), line, fill=0, font_size=44)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _floor_pages(data: bytes) -> list[bytes]:
    if sniff(data) != "pdf":
        return [floor_pipeline(data)]
    # A PDF of scans: each page's JPEG through the floor pipeline.
    return [floor_pipeline(page.images[0].data) for page in open_pdf(data).pages]


def _floor_files(items: Sequence[bytes]) -> list[bytes]:
    """The floor on a batch: every page through the floor pipeline, then merged greedily."""
    return merge([pdf for data in items for pdf in _floor_pages(data)])


def _ocr_pages(pdf: bytes, texts: Sequence[str]) -> list[float]:
    # Each image where it is shown: a whole page, or a ticket's part of a shared page.
    shown = shown_images(pdf)
    return [similarity(read(image), text) for image, text in zip(shown, texts, strict=True)]


def _report(
    label: str, items: Sequence[bytes], texts: Sequence[str] | None, ocr: bool, repeat: int
) -> list[float]:
    """Print our figures and the floor's on ``items``; return our pages' OCR scores."""
    print(f"\n== {label} ==")
    seconds, ours = best_time(lambda: _ours(items), repeat)
    floor_seconds, floor = best_time(lambda: _floor_files(items), repeat)
    # CPU time (all threads) says what the work costs whatever the other loads on the machine.
    cpu, floor_cpu = _cpu_seconds(lambda: _ours(items)), _cpu_seconds(lambda: _floor_files(items))
    floor_sizes = ", ".join(f"{len(f) / 1000:.0f}" for f in floor)
    floor_pages = sum(len(open_pdf(f).pages) for f in floor)
    print(f"  floor: {floor_seconds:5.2f} s (CPU {floor_cpu:4.2f} s), {len(floor)} file(s) of "
          f"{floor_sizes} kB, {floor_pages} pages")
    if isinstance(ours, DocumentRejected):
        print(f"  ours : refused ({ours.code}) in {seconds:.2f} s")
        return []
    pages = len(open_pdf(ours).pages)
    line = (f"  ours : {seconds:5.2f} s = {seconds / floor_seconds:4.2f} x floor (CPU {cpu:4.2f} s"
            f" = {cpu / floor_cpu:4.2f} x), 1 file of {len(ours) / 1000:.0f} kB, {pages} pages, "
            f"compliant {compliant(ours)}")
    scores = _ocr_pages(ours, texts) if ocr and texts is not None else []
    if scores:
        line += (f", OCR median {statistics.median(scores):.3f} worst {min(scores):.3f}"
                 f" mean {statistics.mean(scores):.3f}")
    print(line)
    return scores


def _cpu_seconds(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def _ours(items: Sequence[bytes]) -> bytes | DocumentRejected:
    try:
        return convert_many(items).pdf
    except DocumentRejected as refused:
        return refused


def run_batches(cores: set[int], ocr: bool, repeat: int) -> None:
    """Print the album, image PDF and mixed batch figures."""
    os.sched_setaffinity(0, cores)
    album = generate(10, seed=5)
    _report(f"album of 10 x 12 MP photos, {len(cores)} cores",
            [p.jpeg for p in album], [p.text for p in album], ocr, repeat)
    os.sched_setaffinity(0, {min(cores)})
    scans = generate(3, seed=9)
    pdf = image_pdf(scans)
    print(f"\nimage PDF: {len(pdf) / 1e6:.2f} MB, 3 pages")
    own = []
    if ocr:
        # Its own pages: each page's image sent on its own, as a photo, through our pipeline.
        own = [similarity(read(rendered_pages(convert(page.images[0].data).pdf)[0]), scan.text)
               for page, scan in zip(open_pdf(pdf).pages, scans, strict=True)]
        print(f"  its own page images, each converted as a photo, OCR: "
              f"{', '.join(f'{s:.3f}' for s in own)}; mean {statistics.mean(own):.3f}")
    ours = _report("image PDF, one core", [pdf], [p.text for p in scans], ocr, repeat)
    if own and ours:
        ratios = ", ".join(f"{o / max(s, 1e-9):.2f}" for o, s in zip(ours, own, strict=True))
        print(f"  OCR ours / its own page, per page: {ratios} (target >= 0.95)")
    os.sched_setaffinity(0, cores)
    small = generate(4, seed=13, layouts=("sheet", "narrow"))
    mixed = [
        _screenshot(small[0]),
        _upright_jpeg(small[1], 1280, 87),
        _upright_jpeg(small[2], 1280, 87),
        small[3].jpeg,
        pdf,
    ]
    texts = [small[0].text, small[1].text, small[2].text, small[3].text,
             *(p.text for p in scans)]
    _report(f"mixed batch: screenshot, 2 Telegram photos, ticket, 3-page PDF, {len(cores)} cores",
            mixed, texts, ocr, repeat)
    tickets = generate(6, seed=21, layouts=("ticket",))
    _report(f"tickets: 6 till tickets x 12 MP, one document, pages before (floor) / after, "
            f"{len(cores)} cores", [t.jpeg for t in tickets], [t.text for t in tickets], ocr,
            repeat)
