"""Cross-field checks of the form (RULES.md VAL-02…VAL-05) and date sanity.

Single-field checks (VAL-01 dates, VAL-07 amount, VAL-08 context) are in ``parsing``.
A check is decided only once all its fields are answered. BLOCK rejects an answer; WARN keeps
it and tells the user. ``Check.fields`` are in form order: the last one is the one that,
answered last, triggers the check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.claim import ClaimDraft

EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class Check:
    """One check: ``holds(draft, today)`` is True when the answers are consistent."""

    rule_id: str
    level: str
    fields: tuple[str, ...]
    holds: Callable[[tuple[date, ...], date], bool]
    """Tell whether the check holds for the fields' values (all answered) and today."""
    key: str


@dataclass(frozen=True)
class Issue:
    """A failed check."""

    check: Check

    @property
    def level(self) -> str:
        """Return BLOCK or WARN."""
        return self.check.level


def _not_future(values: tuple[date, ...], today: date) -> bool:
    return values[0] <= today


CHECKS: tuple[Check, ...] = (
    Check("VAL-03", "BLOCK", ("beneficiary_birth_date",),
          lambda v, today: EARLIEST_BIRTH <= v[0] <= today,
          "error.birth_date.range"),
    Check("VAL-03", "BLOCK", ("accident_date",), _not_future,
          "error.date.future"),
    Check("VAL-03", "BLOCK", ("stay_start",), _not_future, "error.date.future"),
    Check("VAL-03", "BLOCK", ("hospital_start",), _not_future,
          "error.date.future"),
    Check("VAL-03", "BLOCK", ("hospital_end",), _not_future,
          "error.date.future"),
    Check("VAL-02", "BLOCK", ("stay_start", "stay_end"),
          lambda v, _: v[0] <= v[1], "error.stay.end_before_start"),
    Check("VAL-02", "BLOCK", ("hospital_start", "hospital_end"),
          lambda v, _: v[0] <= v[1], "error.hospital.end_before_start"),
    Check("VAL-04", "BLOCK", ("stay_start", "stay_end", "hospital_start"),
          lambda v, _: v[0] <= v[2] <= v[1],
          "error.hospital.outside_stay"),
    Check("VAL-04", "BLOCK", ("stay_start", "stay_end", "hospital_end"),
          lambda v, _: v[0] <= v[2] <= v[1],
          "error.hospital.outside_stay"),
    Check("VAL-05", "WARN", ("hospital_start", "hospital_end"),
          lambda v, _: v[1] >= v[0] + timedelta(days=1),
          "warning.hospital.no_night"),
)


def failed_checks(draft: ClaimDraft, today: date, field: str) -> list[Issue]:
    """Return the checks involving ``field`` that fail, among those fully answered."""
    return [
        Issue(check)
        for check in CHECKS
        if field in check.fields
        and all(draft.answered(name) for name in check.fields)
        and not check.holds(tuple(_date(draft, name) for name in check.fields), today)
    ]


def _date(draft: ClaimDraft, name: str) -> date:
    value = draft.value(name)
    if not isinstance(value, date):  # every checked field is a date question
        raise TypeError(name)
    return value
