"""The receipts benchmark's generator (bench/receipt_texts.py): the default seed keeps the
receipts of earlier runs, any other seed draws receipts the reader was never tuned on."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from bench.receipt_texts import DEFAULT_SEED, LAYOUTS, LOCALES, MORE_LOCALES, Draw, _draw, _lines


def _draws(seed: int, count: int = 48) -> list[Draw]:
    rng = random.Random(seed)
    return [_draw(index, seed, rng) for index in range(count)]


def test_the_default_seed_prints_each_locale_and_layout_in_turn():
    draws = _draws(DEFAULT_SEED, 24)
    assert [d.locale for d in draws] == [LOCALES[i % len(LOCALES)] for i in range(24)]
    assert [d.layout for d in draws] == [LAYOUTS[i % len(LAYOUTS)] for i in range(24)]
    assert not any(d.marked_items or d.vat_line for d in draws)


def test_another_seed_draws_other_currencies_layouts_and_mark_places():
    draws = _draws(2)
    assert {d.locale.currency for d in draws} - {locale.currency for locale in LOCALES}
    assert {d.layout for d in draws} == set(LAYOUTS)
    assert any(d.marked_items for d in draws) and any(d.vat_line for d in draws)
    assert [d.locale for d in draws] != [d.locale for d in _draws(3)]


def test_a_vat_line_prints_the_tax_included_in_the_total_with_its_mark():
    czech = next(locale for locale in MORE_LOCALES if locale.vat.startswith("DPH"))
    draw = Draw(czech, "invoice", (1, True), marked_items=True, vat_line=True)
    rows, total, total_row = _lines(random.Random(1), draw, date(2025, 7, 5))
    assert rows[total_row][0] == czech.total
    label, vat = rows[total_row + 1]
    assert label == czech.vat and vat.endswith(czech.mark)
    expected = (total * 12 / 112).quantize(Decimal("0.01"))
    assert Decimal(vat.removesuffix(czech.mark).replace(" ", "").replace(",", ".")) == expected
    assert all(amount.endswith(czech.mark) for _, amount in rows[3:total_row])
