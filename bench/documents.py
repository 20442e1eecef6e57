"""Benchmark the photo → PDF pipeline against two baselines, on generated 12 MP receipt photos.

Usage:
    python -m bench.documents [--count 6]

Baselines, measured in the same run: img2pdf (lossless wrapping of the JPEG) and plain Pillow
(full decode, resize to A4 at 200 dpi, save as PDF). Legibility is the OCR (Tesseract, fra)
character similarity to the known text, compared with the OCR of the original photo.
Single core: run under ``taskset -c 0`` for a strict reading.
"""

from __future__ import annotations

import argparse
import difflib
import io
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageOps
from pypdf import PdfReader

from bench.receipts import ReceiptPhoto, generate
from bot.documents import MAX_PDF_BYTES, convert

A4_200DPI = (1654, 2339)


@dataclass(frozen=True)
class Result:
    """One method on one photo."""

    seconds: float
    size: int
    page: tuple[float, float]
    legibility: float | None


def _pillow(data: bytes) -> bytes:
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    image.thumbnail(A4_200DPI, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=200.0)
    return out.getvalue()


def _img2pdf(data: bytes) -> bytes:
    import img2pdf

    a4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
    return img2pdf.convert(data, layout_fun=img2pdf.get_layout_fun(a4))


def _ours(data: bytes) -> bytes:
    return convert(data).pdf


METHODS: dict[str, Callable[[bytes], bytes]] = {
    "ours": _ours,
    "img2pdf": _img2pdf,
    "pillow": _pillow,
}


def _similarity(found: str, expected: str) -> float:
    return difflib.SequenceMatcher(
        None, " ".join(found.split()), " ".join(expected.split())
    ).ratio()


def _ocr(image: Image.Image, expected: str) -> float:
    import pytesseract

    # A page turned to portrait is read as a caseworker would: turning the view if needed.
    return max(
        _similarity(
            pytesseract.image_to_string(image.rotate(a, expand=True), lang="fra"), expected
        )
        for a in (0, 90, 270)
    )


def _pdf_image(pdf: bytes) -> tuple[Image.Image, tuple[float, float]]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return page.images[0].image, (float(page.mediabox.width), float(page.mediabox.height))


def _measure(method: Callable[[bytes], bytes], photo: ReceiptPhoto, ocr: bool) -> Result:
    start = time.perf_counter()
    pdf = method(photo.jpeg)
    seconds = time.perf_counter() - start
    image, page = _pdf_image(pdf)
    return Result(seconds, len(pdf), page, _ocr(image, photo.text) if ocr else None)


def _fmt(result: Result) -> str:
    legible = "  n/a" if result.legibility is None else f"{result.legibility:5.3f}"
    page = f"{result.page[0]:.0f}x{result.page[1]:.0f}"
    return f"{result.seconds * 1000:6.0f} ms {result.size / 1000:7.0f} kB {page:>8} {legible}"


def main() -> None:
    """Generate the photos, run every method and print the table and the ratios."""
    parser = argparse.ArgumentParser(prog="python -m bench.documents")
    parser.add_argument("--count", type=int, default=6)
    args = parser.parse_args()
    ocr = shutil.which("tesseract") is not None
    if not ocr:
        print(
            "tesseract not found: legibility is not measured (apt-get install tesseract-ocr-fra)"
        )
    photos = generate(args.count)
    header = "time  size  page  legibility"
    print(
        f"{'photo':<16} {'MB':>5} {'orig OCR':>8} | {'ours: ' + header:<40} | "
        f"{'img2pdf: ' + header:<42} | pillow: {header}"
    )
    results: dict[str, list[Result]] = {name: [] for name in METHODS}
    originals: list[float] = []
    for photo in photos:
        row = {name: _measure(method, photo, ocr) for name, method in METHODS.items()}
        for name, result in row.items():
            results[name].append(result)
        original = ImageOps.exif_transpose(Image.open(io.BytesIO(photo.jpeg)))
        original_ocr = _ocr(original, photo.text) if ocr else None
        if original_ocr is not None:
            originals.append(original_ocr)
        shown = "n/a" if original_ocr is None else f"{original_ocr:.3f}"
        print(
            f"{photo.name:<16} {len(photo.jpeg) / 1e6:5.2f} {shown:>8} | "
            + " | ".join(_fmt(row[name]) for name in METHODS)
        )
    _summary(results, originals)


def _summary(results: dict[str, list[Result]], originals: list[float]) -> None:
    ours, pillow = results["ours"], results["pillow"]
    time_ratio = statistics.median(r.seconds for r in ours) / statistics.median(
        r.seconds for r in pillow
    )
    compliant = sum(r.size <= MAX_PDF_BYTES and r.page == (595, 842) for r in ours)
    print(f"median time ours / pillow baseline: {time_ratio:.2f} (target <= 1.00)")
    if originals:
        legibility = statistics.mean(r.legibility or 0 for r in ours) / statistics.mean(originals)
        print(
            f"legibility ours / original photo (mean OCR similarity): {legibility:.2f} "
            "(target >= 0.95)"
        )
        for name in ("img2pdf", "pillow"):
            other = statistics.mean(r.legibility or 0 for r in results[name])
            print(f"legibility {name} / original photo: {other / statistics.mean(originals):.2f}")
    print(
        f"outputs <= {MAX_PDF_BYTES} bytes and A4 portrait 595x842: "
        f"{compliant}/{len(ours)} ({100 * compliant / len(ours):.0f} %)"
    )
    for name in ("img2pdf", "pillow"):
        ok = sum(r.size <= MAX_PDF_BYTES and r.page == (595, 842) for r in results[name])
        print(f"  {name}: {ok}/{len(results[name])}")


if __name__ == "__main__":
    main()
