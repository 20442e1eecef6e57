"""The predicates data cannot express: dates and earlier claims (LIM-01, VAL-03, VAL-06, VAL-09).

Each returns the text's parameters when its rule applies, None when it does not (or when
what it needs is not answered yet). ``config/rules.toml`` names them in ``check``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.claim import ClaimDraft
from bot.domain.parsing import format_date

CLAIMS_PER_WINDOW = 2  # LIM-01: « au maximum 2 demandes par période de 15 jours »
WINDOW = timedelta(days=15)
TIME_BAR_YEARS = 2  # VAL-09 / LIM-06: CSS L160-11


@dataclass(frozen=True)
class PastClaim:
    """An earlier claim of the same account (LIM-01, LIM-02)."""

    submitted_on: date
    beneficiary_name: str | None = None


# A named predicate: the text's parameters when the rule applies, None when it does not
# (or when what it needs is not answered yet).
Check = Callable[[ClaimDraft, date, Sequence[PastClaim]], dict[str, object] | None]


def next_claim_date(today: date, history: Sequence[PastClaim]) -> date | None:
    """Return the first day a new claim is allowed, or None if allowed today (LIM-01)."""
    recent = sorted((c.submitted_on for c in history if today - WINDOW < c.submitted_on <= today),
                    reverse=True)
    if len(recent) < CLAIMS_PER_WINDOW:
        return None
    # Rolling window (DIS-13): allowed once the 2nd most recent claim is 15 days old.
    return recent[CLAIMS_PER_WINDOW - 1] + WINDOW


def time_bar_deadline(care_date: date) -> date:
    """Return the date a claim is time-barred: 2 years from the next quarter (VAL-09)."""
    quarter_month = (care_date.month - 1) // 3 * 3 + 4
    year = care_date.year + (quarter_month > 12)
    return date(year + TIME_BAR_YEARS, (quarter_month - 1) % 12 + 1, 1)


def _two_claims_in_window(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    allowed_from = next_claim_date(today, history)
    return None if allowed_from is None else {"date": format_date(allowed_from)}


def _accident_before_stay(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    accident, start = draft.accident_date, draft.stay_start
    if accident is None or start is None or accident >= start:
        return None
    return {"accident": format_date(accident), "days": (start - accident).days}


def _accident_after_stay(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    accident, end = draft.accident_date, draft.stay_end
    if accident is None or end is None or accident <= end:
        return None
    return {"accident": format_date(accident)}


def _stay_end_in_future(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    end = draft.stay_end
    return {"end": format_date(end)} if end is not None and end > today else None


def _time_barred(
    draft: ClaimDraft, today: date, history: Sequence[PastClaim]
) -> dict[str, object] | None:
    # The form has no care date: the stay end stands for the invoice dates (VAL-09).
    if draft.stay_end is None:
        return None
    deadline = time_bar_deadline(draft.stay_end)
    return {"deadline": format_date(deadline)} if today >= deadline else None


CHECKS: dict[str, Check] = {
    "two_claims_in_window": _two_claims_in_window,
    "accident_before_stay": _accident_before_stay,
    "accident_after_stay": _accident_after_stay,
    "stay_end_in_future": _stay_end_in_future,
    "time_barred": _time_barred,
}
