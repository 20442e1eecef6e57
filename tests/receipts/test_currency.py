"""The currency of the total (config/receipts.toml [currency], RCT-04…07): a mark by the total,
an OCR misreading of one, the marks elsewhere on the receipt, its language; each a confidence."""

from __future__ import annotations

import io
import random
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from bench.receipt_texts import _paper
from bot.domain.catalog import load_toml
from bot.domain.money import CurrencyMarks
from bot.receipts import read_lines, read_receipt, receipts_config
from bot.receipts.amounts import split_lines

TODAY = date(2026, 1, 1)
THRESHOLD = receipts_config().reader.threshold
SLOW_MACHINE = 120.0


def _read(text: str):
    return read_lines([line.strip() for line in text.strip().splitlines()], TODAY)


@pytest.mark.parametrize(("total_line", "currency"), [
    ("TOTAL 96.30 CHF", "CHF"), ("Amount due 45,000.00 THB", "THB"), ("TOTAL £96.30", "GBP"),
    ("SUMME EUR 96,30", "EUR"),
])
def test_rct_04_a_mark_on_the_totals_line_is_sure(total_line, currency):
    reading = _read(f"Date 03/07/2025\nVisit 90.00\nDressing 6.30\n{total_line}")
    assert reading.currency.value == currency
    assert reading.currency.confidence == receipts_config().currency.mark.confidence


def test_rct_04_the_same_amount_elsewhere_carries_the_totals_mark():
    reading = _read("Date 03/07/2025\nVisit 90.00\nDressing 6.30\nTOTAL 96.30\n"
                    "CARD ****4821 96.30 CHF")
    assert reading.currency.value == "CHF" and reading.currency.confidence >= THRESHOLD


@pytest.mark.parametrize(("misread", "currency"), [
    ("Ké", "CZK"), ("Kć", "CZK"), ("KE", "CZK"), ("zt", "PLN"), ("2%", "PLN"), ("CHE", "CHF"),
    ("THE", "THB"), ("Fr", "CHF"),
])
def test_rct_05_a_misread_mark_by_the_total_is_read_but_asked(misread, currency):
    reading = _read(f"Date 03/07/2025\nVisit 1 200,00\nDressing 34,44\nTOTAL 1 234,44 {misread}")
    assert reading.amount.value == Decimal("1234.44")  # « 2% » is no part of the amount
    assert reading.currency.value == currency
    assert reading.currency.confidence < THRESHOLD  # a misreading alone: the bot asks


def test_rct_05_a_misread_mark_on_a_receipt_in_its_language_is_sure():
    reading = _read("LEKARNA PRAHA\nDatum 25.05.2025\nLek 7 701,00\nSirup 40 200,00\n"
                    "Celkem k úhradě 47 901,00 Ké")
    assert reading.currency.value == "CZK" and reading.currency.confidence >= THRESHOLD


def test_rct_05_a_mark_glued_to_the_amount_is_read_and_the_amount_too():
    reading = _read("Date 04.08.2025\nBeratung 9.34\nSalbe 86.94\nTotal CHE96. 28")
    assert reading.amount.value == Decimal("96.28")
    assert reading.currency.value == "CHF"


@pytest.mark.parametrize("line", ["Thank you, the 2 of us", "Paid by the card", "VAT 12% 3,00",
                                  "Vitamin ke 12 tablets"])
def test_misreadings_are_marks_only_where_marks_are_printed(line):
    found = [m.currency.code for m in split_lines([line])[0].marks]
    assert found == []


@pytest.mark.parametrize(("rule", "text", "currency"), [
    # RCT-06: the total lost its mark, the other amounts have it.
    ("elsewhere", "Date 03/07/2025\nVisit 90,00 €\nDressing 6,30 €\nTOTAL 96,30\n"
                  "TVA 20 % 16,05 €", "EUR"),
    # RCT-07: no mark read at all, the labels are Polish.
    ("context", "APTEKA POD LWEM\nData 2025-10-26\nApap 500 84,34\nOpatrunek 70,10\n"
                "DO ZAPŁATY 154,44", "PLN"),
    # RCT-07: no mark read, English labels, but the provider's address is in Phuket.
    ("context", "PHUKET CLINIC\n76 Main Street\nDate 18/03/2025\nDoctor fee 32,884.00\n"
                "TOTAL 79,868.00", "THB"),
])
def test_rct_06_07_a_currency_guessed_from_the_rest_of_the_receipt_is_asked(rule, text,
                                                                            currency):
    reading = _read(text)
    assert reading.currency.value == currency
    assert reading.currency.confidence == getattr(receipts_config().currency, rule).confidence
    assert not reading.sure(THRESHOLD)


def test_rct_06_a_vat_line_in_the_receipts_language_makes_it_sure():
    reading = _read("LEKARNA U ANDELA\nDatum 05.07.2025\nLek 15 249,00\nSirup 23 562,00\n"
                    "CELKEM 38 811,00\nDPH 12 % 4 158,32 Kč")
    assert reading.currency.value == "CZK" and reading.currency.confidence >= THRESHOLD


def test_without_any_clue_no_currency_is_read():
    assert _read("Date 03/07/2025\nVisit 90.00\nDressing 6.30\nTOTAL 96.30").currency is None


def test_a_shared_mark_takes_the_currency_the_receipts_language_names_and_asks():
    reading = _read("APOTEKET NORREPORT\nDato 03.07.2025\nPanodil 40,00\nPlaster 25,50\n"
                    "AT BETALE 65,50 kr\nMoms 25 % 13,10 kr")
    assert reading.currency.value == "DKK"  # « kr » alone would be Swedish crowns
    assert not reading.sure(THRESHOLD)  # the VAT line's « kr » does not say which crown


def test_clues_that_disagree_are_asked_about():
    reading = _read("APTEKA POD LWEM\nData 2025-10-26\nApap 500 84,34\nOpatrunek 70,10\n"
                    "DO ZAPŁATY 154,44 EUR")
    assert reading.currency.value == "EUR"  # the mark by the total comes first
    assert not reading.sure(THRESHOLD)


def test_a_total_whose_digits_are_the_items_sum_is_that_sum():
    for total_line in ("TOTAL TTC 37759€", "TOTALE 1 79,61 €"):
        digits = total_line.split(" ", 1)[1]
        items = "Visita 100,00\nFarmaco 79,61" if "1 79" in digits else "A 200,00\nB 177,59"
        reading = _read(f"Data 16/01/2025\n{items}\n{total_line}")
        assert reading.amount.value == (Decimal("179.61") if "1 79" in digits
                                        else Decimal("377.59"))
        assert reading.amount.confidence >= THRESHOLD


@pytest.mark.parametrize(("rows", "currency"), [
    ([("LEKARNA PRAHA", None), ("Datum 05.07.2025", None), ("Sirup", "15 249,00"),
      ("Lek", "23 562,00"), ("Celkem k úhradě", "38 811,00 Kč")], "CZK"),
    ([("APTEKA POD LWEM", None), ("Data 2025-02-21", None), ("Apap 500", "12,50"),
      ("DO ZAPŁATY", "12,50 zł")], "PLN"),
])
def test_marks_tesseract_has_no_letters_for_are_read_from_a_real_print(rows, currency):
    paper = _paper(rows, "invoice", random.Random(3)).convert("RGB")
    out = io.BytesIO()
    paper.save(out, "PNG")
    reading = read_receipt(out.getvalue(), today=TODAY, timeout=SLOW_MACHINE)
    assert reading.currency.value == currency
    assert reading.currency.confidence >= THRESHOLD  # misread mark + the receipt's language


def _marks_with(**changes: object) -> dict[str, object]:
    return {**load_toml("receipts_currencies.toml"), **changes}


@pytest.mark.parametrize("changes", [
    {"misread": {"ké": "nothing"}},  # a misreading of no mark
    {"misread": {"eur": "€"}},  # already a mark, not a misreading
    {"context": {"XYZ": ["somewhere"]}},  # no such currency
    {"context": {"PLN": ["Do zapłaty"]}},  # cues are folded
])
def test_bad_misreadings_and_cues_stop_the_bot_at_start_up(changes):
    with pytest.raises(ValidationError):
        CurrencyMarks.model_validate(_marks_with(**changes))
