"""Where each date of the form may fall, given the answers so far: the years a person leaves out.

« 28/12 » typed as the stay's end when it started on 20/11 is the first 28/12 after the start,
never last year's (VAL-02); a birth date needs its year (VAL-03); care, stay start and
hospitalisation are not after today (VAL-03); hospitalisation lies within the stay (VAL-04).
The accident may predate the stay (VAL-06), so only today bounds it.
"""

from __future__ import annotations

from datetime import date

from bot.domain.claim import ClaimDraft
from bot.domain.dates import DateWindow, Prefer
from bot.domain.validation import EARLIEST_BIRTH


def _earliest(*days: date | None) -> date | None:
    known = [day for day in days if day is not None]
    return min(known) if known else None


def date_window(field: str, draft: ClaimDraft, today: date) -> DateWindow:
    """Return the window of the date field ``field`` of ``draft`` (a past date by default)."""
    stay_start: date | None = draft.stay_start
    stay_end: date | None = draft.stay_end
    match field:
        case "beneficiary_birth_date":
            return DateWindow(EARLIEST_BIRTH, today, needs_year=True)
        case "stay_start":
            return DateWindow(None, _earliest(today, stay_end))
        case "stay_end":  # a planned return may be after today (VAL-03 warns only)
            return DateWindow(stay_start, None,
                              Prefer.EARLIEST if stay_start else Prefer.NEAREST)
        case "hospital_start":
            return DateWindow(stay_start, _earliest(today, stay_end))
        case "hospital_end":
            start = draft.hospital_start or stay_start
            return DateWindow(start, _earliest(today, stay_end),
                              Prefer.EARLIEST if draft.hospital_start else Prefer.LATEST)
    return DateWindow(None, today)
