"""The checks at step 4 (config/receipts.toml): RCT-01 amount, RCT-02 dates, RCT-03 duplicates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from bot.domain.catalog import get_catalog, load_toml
from bot.receipts import Read, ReceiptReading, amount_differs, duplicates, outside_stay
from bot.receipts.config import ReceiptsConfig


def _receipt(amount="30000", day=date(2025, 7, 3), digest="a", provider="BANGKOK HOSPITAL"):
    return ReceiptReading(amount=Read(Decimal(amount), 0.9), currency=Read("THB", 0.95),
                          date=Read(day, 0.9), provider=Read(provider, 0.6), image_hash=digest)


@pytest.mark.parametrize(("declared", "read", "warned"), [
    ("100.00", "105.00", False), ("100.00", "94.99", True), ("100.00", "105.01", True),
    ("1185.77", "1185.77", False),
])
def test_rct01_more_than_5_percent_apart(declared, read, warned):
    finding = amount_differs(Decimal(declared), Decimal(read))
    assert (finding is not None) == warned
    if finding:
        assert finding.rule == "RCT-01"
        assert "5 %" in get_catalog("fr").text(finding.text_key, **finding.params)


def test_rct02_receipts_outside_the_stay():
    readings = [_receipt(day=date(2025, 7, 3)), _receipt(day=date(2025, 6, 30)),
                ReceiptReading()]
    findings = outside_stay(readings, date(2025, 7, 1), date(2025, 7, 10))
    assert [(f.rule, f.receipt) for f in findings] == [("RCT-02", 1)]
    assert findings[0].params["date"] == "30/06/2025"


def test_rct03_same_file_or_same_values_twice():
    readings = [_receipt(digest="a"), _receipt(digest="b", amount="15000"),
                _receipt(digest="a", amount="1"), _receipt(digest="c")]
    findings = duplicates(readings, ["f1.jpg", "f2.jpg", "f3.jpg", "f4.jpg"])
    # f3 is the same file as f1; f4 is another photo of f1 (same amount, date, provider).
    assert [(f.rule, f.receipt, f.params["file"]) for f in findings] == [
        ("RCT-03", 2, "f3.jpg"), ("RCT-03", 3, "f4.jpg")]


def test_the_checks_data_rejects_unknown_keys():
    data = load_toml("receipts.toml")
    data["check"][0]["colour"] = "red"
    with pytest.raises(ValidationError):
        ReceiptsConfig.model_validate(data)
    data = load_toml("receipts.toml")
    data["check"] = data["check"][:2]
    with pytest.raises(ValidationError):
        ReceiptsConfig.model_validate(data)
