"""From OCR lines to total, currency, date and provider, each with a confidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.receipts import read_lines, receipts_config

TODAY = date(2026, 1, 1)
THRESHOLD = receipts_config().reader.threshold


def _read(text: str):
    return read_lines([line for line in text.strip().splitlines() if line.strip()], TODAY)


@pytest.mark.parametrize(("text", "amount", "currency", "day"), [
    ("""PHARMACIE DU PORT
        Date 20/08/2025 09:28
        Doliprane 1000 mg   8,87
        Pansements   1 103,59
        TVA 5,5 %   5,81
        TOTAL TTC   1 112,46 €""", "1112.46", "EUR", date(2025, 8, 20)),
    ("""APTEKA POD LWEM
        Data 2025-02-21
        Apap 500   12,50
        Opatrunek   7,30
        DO ZAPŁATY   19,80 zł""", "19.80", "PLN", date(2025, 2, 21)),
    ("""BANGKOK HOSPITAL
        Date 03/07/2025
        Doctor fee   30,000.00
        Medicine   15,000.00
        TOTAL   45,000.00 THB""", "45000.00", "THB", date(2025, 7, 3)),
    ("""PRAXIS DR. WEBER
        Datum 04.08.2025
        Untersuchung   1.234,56
        Zwischensumme   1.234,56
        SUMME EUR   1.234,56""", "1234.56", "EUR", date(2025, 8, 4)),
    ("""APOTHEKE BAHNHOF
        04.08.2025
        Beratung   9.35
        Salbe   86.95
        Total CHF   96.30""", "96.30", "CHF", date(2025, 8, 4)),
])
def test_a_receipt_whose_items_add_up_is_read_surely(text, amount, currency, day):
    reading = _read(text)
    assert reading.amount.value == Decimal(amount)
    assert reading.currency.value == currency
    assert reading.date.value == day
    assert reading.sure(THRESHOLD)


def test_the_provider_is_the_heading():
    assert _read("CLINICA SAN JOSE\nFecha 03/07/2025\nTOTAL 12,00 EUR").provider.value == (
        "CLINICA SAN JOSE"
    )


def test_a_total_that_items_do_not_confirm_is_asked_about():
    reading = _read("Date 03/07/2025\nConsulta 10,00\nTOTAL 99,00 EUR")
    assert reading.amount.value == Decimal("99.00")
    assert not reading.sure(THRESHOLD)


def test_ocr_misreadings_of_the_label_still_find_the_total():
    reading = _read("Date 03/07/2025\nVisit 40.00\nT0TAL   40.00 GBP")
    assert reading.amount.value == Decimal("40.00")


def test_subtotals_taxes_and_change_are_not_the_total():
    reading = _read("""Consulta 50,00
        Subtotal 50,00
        IVA 21% 10,50
        TOTAL 60,50 EUR
        Efectivo 100,00
        Cambio 39,50""")
    assert reading.amount.value == Decimal("60.50")


def test_a_dollar_receipt_with_an_ambiguous_date_is_asked_about():
    reading = _read("Date 07/03/2025\nOffice visit 80.00\nAmount due $80.00")
    assert reading.date.value == date(2025, 7, 3)  # month first on a dollar receipt
    assert reading.currency.value == "USD" and reading.currency.confidence < THRESHOLD
    assert not reading.sure(THRESHOLD)


def test_a_receipt_without_total_reads_nothing_and_asks():
    reading = _read("Bonjour\nMerci de votre visite")
    assert (reading.amount, reading.currency, reading.date) == (None, None, None)
    assert reading.confidence == 0.0 and not reading.sure(THRESHOLD)


def test_dates_in_the_future_or_long_ago_are_misreadings():
    assert _read("Date 03/07/2031\nTOTAL 12,00 EUR").date is None
    assert _read("Date 03/07/1999\nTOTAL 12,00 EUR").date is None
