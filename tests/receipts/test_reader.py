"""The reader end to end with real Tesseract on small generated receipts, and its fallbacks."""

from __future__ import annotations

import io
import os
import random
import resource
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image

from bench.receipt_texts import _paper
from bot.receipts import read_receipt
from bot.receipts.ocr import OcrFailed, Tesseract

TODAY = date(2026, 1, 1)
SLOW_MACHINE = 120.0  # seconds: the tests check what is read, not how fast (shared CI cores)
EUR_INVOICE = [("PHARMACIE DU PORT", None), ("Date 20/08/2025  09:28", None),
               ("Doliprane 1000 mg", "8,87"), ("Pansements", "103,59"),
               ("TOTAL TTC", "112,46 €"), ("Merci", None)]
PLN_TICKET = [("APTEKA POD LWEM", None), ("Data 2025-02-21", None), ("Apap 500", "12,50"),
              ("Opatrunek", "7,30"), ("DO ZAPŁATY", "19,80 zł")]
THB_BILL = [("BANGKOK HOSPITAL", None), ("Date 03/07/2025", None),
            ("Doctor fee", "30,000.00"), ("Medicine", "15,000.00"),
            ("TOTAL", "45,000.00 THB")]


def _image(rows, layout="invoice", kind="PNG") -> bytes:
    paper = _paper(rows, layout, random.Random(3)).convert("RGB")
    out = io.BytesIO()
    if kind == "PDF":
        paper.save(out, "PDF", resolution=150)
    else:
        paper.save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize(("rows", "layout", "amount", "currency", "day"), [
    (EUR_INVOICE, "invoice", "112.46", "EUR", date(2025, 8, 20)),
    (PLN_TICKET, "ticket", "19.80", "PLN", date(2025, 2, 21)),
    (THB_BILL, "invoice", "45000.00", "THB", date(2025, 7, 3)),
])
def test_a_printed_receipt_is_read(rows, layout, amount, currency, day):
    reading = read_receipt(_image(rows, layout), today=TODAY, timeout=SLOW_MACHINE)
    assert reading.failure is None
    assert reading.amount.value == Decimal(amount)
    assert reading.currency.value == currency
    assert reading.date.value == day
    assert reading.provider.value == rows[0][0]


def test_a_scanned_pdf_is_read_from_its_picture():
    reading = read_receipt(_image(EUR_INVOICE, kind="PDF"), today=TODAY, timeout=SLOW_MACHINE)
    assert reading.amount.value == Decimal("112.46")


@pytest.mark.parametrize("data", [b"", b"not an image", b"\xff\xd8\xff" + b"\0" * 100,
                                  b"%PDF-1.4 broken"])
def test_an_unreadable_file_reads_nothing_and_never_raises(data):
    reading = read_receipt(data)
    assert reading.failure == "unreadable_file"
    assert reading.amount is None and reading.confidence == 0.0


def test_without_tesseract_nothing_is_read(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    reading = read_receipt(_image(EUR_INVOICE))
    assert reading.failure == "ocr_missing" and reading.amount is None


def test_an_ocr_run_past_its_time_is_stopped():
    page = Image.open(io.BytesIO(_image(EUR_INVOICE))).convert("L")
    with pytest.raises(OcrFailed, match="timeout"):
        Tesseract().read_lines(page, timeout=0.01)


def test_the_ocr_time_limit_is_cpu_time_a_busy_machine_does_not_stretch(monkeypatch):
    # The wall clock can't stop this run (100 s a second): only its CPU limit, 1 s, can.
    monkeypatch.setattr("bot.receipts.ocr._WALL_PER_CPU", 100)
    noise = Image.effect_noise((3000, 3000), 90).convert("L")
    with pytest.raises(OcrFailed, match="timeout"):
        Tesseract().read_lines(noise, timeout=1)


def test_a_page_is_read_on_a_busy_core_within_its_cpu_time():
    # Eight busy processes share one core with Tesseract: its run takes about nine times its
    # CPU time on the wall clock, past a timeout of twice its CPU time; it is still read.
    page = Image.open(io.BytesIO(_image(EUR_INVOICE))).convert("L")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    Tesseract().read_lines(page, timeout=SLOW_MACHINE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(8)]
    try:
        lines = Tesseract().read_lines(page, timeout=max(2 * cpu, 1.0))
    finally:
        for process in busy:
            process.kill()
            process.wait()
        os.sched_setaffinity(0, cores)
    assert any("TOTAL" in line.upper() for line in lines)


def test_a_failing_engine_reads_nothing():
    class Broken:
        name = "broken"

        def read_lines(self, page, timeout):
            raise OcrFailed("error")

    reading = read_receipt(_image(EUR_INVOICE), Broken())
    assert reading.failure == "ocr_error" and reading.image_hash
