"""Payloads are written and read in one module (states/payloads.py)."""

from __future__ import annotations

import pytest

from states import payloads
from states.payloads import Kind, Payload


def test_a_payload_reads_back_as_written():
    assert payloads.parse(payloads.answer("personal.regime", "general")) == Payload(
        Kind.ANSWER, "personal.regime", "general")
    assert payloads.parse(payloads.nav("validate")) == Payload(Kind.NAV, "validate")
    assert payloads.parse("edit:q:stay.country") == Payload(Kind.EDIT, "q", "stay.country")


def test_unknown_kinds_and_oversized_payloads_are_refused():
    assert payloads.parse("zzz:1") is None
    assert payloads.parse("") is None
    with pytest.raises(ValueError, match="64 bytes"):
        payloads.build(Kind.NAV, "x" * 64)


def test_why_keeps_what_fits_in_64_bytes():
    built = payloads.why([f"RULE-{n:02d}" for n in range(20)])
    assert len(built.encode()) <= 64
    assert built.startswith("why:RULE-00,RULE-01")
