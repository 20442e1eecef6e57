"""Claims kept once they end: what ``/mes_demandes`` lists, and their references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def claim_reference(number: int, claim_no: int) -> str:
    """Return a claim's reference: ``SE-<conversation number>-<claim number>``."""
    return f"SE-{number:06d}-{claim_no}"


@dataclass(frozen=True)
class ClaimSummary:
    """A claim of the chat, kept read-only: its number, status, beneficiary and end date."""

    claim_no: int
    status: str
    beneficiary: str | None
    closed_on: date
