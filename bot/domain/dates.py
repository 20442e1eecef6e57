"""Read a typed date (VAL-01): numbers or a month name, French or English, with or without year.

A year left out (« 28/12 », « 20 aout ») or given in two digits (« 07/10/85 ») is chosen so the
date fits the question's ``DateWindow`` (``bot.domain.date_windows``); when no year fits, the
nearest one is kept so the cross-field checks say what is wrong (« la fin est avant le début »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from rapidfuzz import fuzz, process

from bot.domain.errors import InvalidAnswer
from bot.domain.text import fold

# Longer than any way of typing a date: refused before any work (bounded time per input).
_MAX_TYPED = 60
_RELATIVE_DAYS = {"aujourd hui": 0, "today": 0, "hier": 1, "yesterday": 1,
                  "avant hier": 2}
_MONTH_NAMES = (
    ("janvier", "january"), ("fevrier", "february"), ("mars", "march"), ("avril", "april"),
    ("mai", "may"), ("juin", "june"), ("juillet", "july"), ("aout", "august"),
    ("septembre", "september"), ("octobre", "october"), ("novembre", "november"),
    ("decembre", "december"),
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}
# Words around a date that carry nothing: « le 3 mai », « lundi 5 mars », « the 5th of May ».
_FILLERS = frozenset({
    "le", "du", "au", "en", "the", "of", "on", "lundi", "mardi", "mercredi", "jeudi",
    "vendredi", "samedi", "dimanche", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "er", "st", "nd", "rd", "th", "eme",
})
_ORDINAL = re.compile(r"(\d{1,2})(?:er|re|e|eme|st|nd|rd|th)")


class Prefer(StrEnum):
    """Which of the years that fit a window to take."""

    LATEST = "latest"  # a past event: the most recent such day
    EARLIEST = "earliest"  # an end: the first such day on or after the start
    NEAREST = "nearest"  # nothing known: the one nearest today


@dataclass(frozen=True)
class DateWindow:
    """Where the answer to a date question may fall, to choose a year the person left out."""

    not_before: date | None = None
    not_after: date | None = None
    prefer: Prefer = Prefer.LATEST
    needs_year: bool = False  # a birth date: no year is a question back, never a guess

    def holds(self, day: date) -> bool:
        """Tell whether ``day`` falls inside the window."""
        return ((self.not_before is None or self.not_before <= day)
                and (self.not_after is None or day <= self.not_after))

    def distance(self, day: date) -> int:
        """Return how many days ``day`` falls outside the window (0 inside)."""
        before = (self.not_before - day).days if self.not_before else 0
        after = (day - self.not_after).days if self.not_after else 0
        return max(before, after, 0)


def _choose(candidates: list[date], window: DateWindow, today: date) -> date:
    inside = [day for day in candidates if window.holds(day)]
    if not inside:
        return min(candidates, key=window.distance)
    if window.prefer is Prefer.EARLIEST:
        return min(inside)
    if window.prefer is Prefer.NEAREST:
        return min(inside, key=lambda day: abs((day - today).days))
    return max(inside)


def _month(word: str) -> int | None:
    """Return the month a word names: full, abbreviated (« sept », « déc ») or mistyped."""
    if word in _MONTHS:
        return _MONTHS[word]
    if len(word) >= 3:  # « sept », « déc », « juil », « Mar »; « jui » is juin or juillet
        found = {number for name, number in _MONTHS.items() if name.startswith(word)}
        if len(found) == 1:
            return found.pop()
    if len(word) >= 4:  # « septmbre », « fevirer »: one clear typo of one month
        best = process.extract(word, list(_MONTHS), scorer=fuzz.ratio, limit=3)
        months = {_MONTHS[name] for name, score, _ in best if score >= 80}
        if len(months) == 1:
            return months.pop()
    return None


def _day_month_year(text: str) -> tuple[int, int, str | None] | None:
    """Split a folded date into day, month and the year as typed (None when left out)."""
    words = [_ORDINAL.sub(r"\1", word) for word in text.split() if word not in _FILLERS]
    numbers = [word for word in words if word.isdigit()]
    names = [word for word in words if not word.isdigit()]
    if not names:
        if len(numbers) == 1 and re.fullmatch(r"\d{8}", numbers[0]):  # « 22092020 »
            numbers = [numbers[0][:2], numbers[0][2:4], numbers[0][4:]]
        if len(numbers) == 3 and len(numbers[0]) == 4:  # « 2020-09-22 »
            numbers.reverse()
        if len(numbers) in (2, 3) and all(len(n) <= 2 for n in numbers[:2]):
            year = numbers[2] if len(numbers) == 3 else None
            return int(numbers[0]), int(numbers[1]), year
        return None
    month = _month(names[0]) if len(names) == 1 else None
    if month is None or not 1 <= len(numbers) <= 2 or len(numbers[0]) > 2:
        return None
    # « 5 mars 2025 », « March 5, 2025 »: the day is the first number, the year the second.
    return int(numbers[0]), month, numbers[1] if len(numbers) == 2 else None


def _years(typed_year: str | None, today: date) -> list[int]:
    if typed_year is None:
        return list(range(today.year - 2, today.year + 2))
    if len(typed_year) == 2:
        return [1900 + int(typed_year), 2000 + int(typed_year)]
    if len(typed_year) == 4:
        return [int(typed_year)]
    raise InvalidAnswer("error.date.format")


def parse_date(typed: str, today: date, window: DateWindow | None = None) -> date:
    """Parse ``22/09/2020`` ``22.9.20`` ``2020-09-22`` ``3 sept.`` ``1er fév`` ``Mar 5th``.

    Without ``window``, a date is taken as a past one (not after ``today``).
    """
    window = window or DateWindow(not_after=today)
    text = fold(typed[: _MAX_TYPED + 1])
    if len(text) > _MAX_TYPED:
        raise InvalidAnswer("error.date.format")
    relative = _RELATIVE_DAYS.get(text)
    if relative is not None:
        return today - timedelta(days=relative)
    parts = _day_month_year(text)
    if parts is None:
        raise InvalidAnswer("error.date.format")
    day, month, typed_year = parts
    if typed_year is None and window.needs_year:
        raise InvalidAnswer("error.date.year_needed")
    candidates = []
    for year in _years(typed_year, today):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue  # « 29/02 » exists in leap years only
    if not candidates:
        raise InvalidAnswer("error.date.not_real")
    return _choose(candidates, window, today)


def format_date(value: date) -> str:
    """Return JJ/MM/AAAA."""
    return value.strftime("%d/%m/%Y")
