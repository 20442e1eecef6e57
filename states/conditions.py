"""Named conditions under which a question is asked (the ``when`` of a ``Question``)."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.claim import ClaimDraft
from bot.domain.countries import Zone

CONDITIONS: dict[str, Callable[[ClaimDraft], bool]] = {
    # ZON-04, ZON-08, VAL-12: tariff and partial refund only in UE / EEE / Royaume-Uni / Suisse.
    "in_zone": lambda d: d.zone is not None and d.zone.in_zone,
    # ZON-11: the CEAM (public sector only) is an EU/EEE/CH matter.
    "eu_eee_ch": lambda d: d.zone in (Zone.EU, Zone.EEE, Zone.CH),
    "accident_by_third_party": lambda d: d.care_link == "accident_tiers",
    "hospitalised": lambda d: d.hospitalised == "oui",
    "scheduled": lambda d: d.scheduled == "oui",
    "detachment": lambda d: d.stay_reason == "detachement",
}


def applies(condition: str | None, draft: ClaimDraft) -> bool:
    """Tell whether a question with this condition is asked for this draft."""
    return condition is None or CONDITIONS[condition](draft)
