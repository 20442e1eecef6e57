"""When the advisers answer: opening hours in Paris time, read from a setting.

The setting is one or more groups ``<days> <times>`` separated by ``;``: days are English
three-letter names, a range (``Mon-Fri``) or a list (``Mon,Wed``); times are ``HH:MM-HH:MM``
ranges separated by ``,``. For example ``Mon-Fri 09:00-12:30,13:30-17:00; Sat 09:00-12:00``.
Public holidays (``config/advisers.toml``) are closed all day.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.catalog import Catalog
from bot.domain.config_files import advisers_file
from bot.domain.phrases import join

PARIS = ZoneInfo("Europe/Paris")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKS_AHEAD = 3
_TIMES = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


@dataclass(frozen=True)
class Span:
    """One opening on one weekday (0 is Monday), from ``start`` to ``end`` (Paris time)."""

    weekday: int
    start: time
    end: time


def _days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.lower().split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"unknown day in {text!r}: use Mon, Tue, Wed, Thu, Fri, Sat, Sun")
        begin, end = DAYS.index(first), DAYS.index(last or first)
        if end < begin:
            raise ValueError(f"days backwards in {text!r}")
        days += range(begin, end + 1)
    return days


def _times(text: str) -> list[tuple[time, time]]:
    ranges: list[tuple[time, time]] = []
    for part in text.split(","):
        found = _TIMES.match(part.strip())
        if found is None:
            raise ValueError(f"times must read HH:MM-HH:MM, not {part.strip()!r}")
        start_h, start_m, end_h, end_m = (int(group) for group in found.groups())
        start = time(start_h, start_m)
        end = time.max if (end_h, end_m) >= (24, 0) else time(end_h, end_m)
        if end_h == 24 and end_m:
            raise ValueError(f"no time after 24:00 in {part.strip()!r}")
        if end <= start:
            raise ValueError(f"a range must end after it starts: {part.strip()!r}")
        ranges.append((start, end))
    return ranges


@dataclass(frozen=True)
class OpeningHours:
    """The advisers' week, as spans of Paris time."""

    spans: tuple[Span, ...]

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """Read ``Mon-Fri 09:00-17:00`` (``ValueError`` in English for a wrong setting)."""
        spans: list[Span] = []
        for group in filter(None, (part.strip() for part in text.split(";"))):
            days, _, times = group.partition(" ")
            ranges = _times(times.replace(" ", ""))
            spans += [Span(day, start, end) for day in _days(days) for start, end in ranges]
        if not spans:
            raise ValueError("no opening hours: write e.g. 'Mon-Fri 09:00-17:00'")
        ordered = sorted(set(spans), key=lambda s: (s.weekday, s.start))
        for before, after in itertools.pairwise(ordered):
            if before.weekday == after.weekday and after.start < before.end:
                raise ValueError("opening hours overlap on one day")
        return cls(tuple(ordered))

    def _openings(self, moment: datetime) -> list[tuple[datetime, datetime]]:
        """Return the spans of the weeks from ``moment``'s day, as Paris instants, in order.

        Three weeks: holidays may close a week's only opening day, never three in a row.
        """
        local = moment.astimezone(PARIS)
        holidays = advisers_file().holidays
        found: list[tuple[datetime, datetime]] = []
        for offset in range(_WEEKS_AHEAD * 7 + 1):
            day = local.date() + timedelta(days=offset)
            if holidays.closes(day):
                continue
            for span in self.spans:
                if span.weekday == day.weekday():
                    found.append((datetime.combine(day, span.start, PARIS),
                                  datetime.combine(day, span.end, PARIS)))
        return found

    def is_open(self, moment: datetime) -> bool:
        """Tell whether advisers are at work at ``moment``."""
        return any(start <= moment < end for start, end in self._openings(moment))

    def next_opening(self, moment: datetime) -> datetime:
        """Return ``moment`` if open, else when the advisers are next at work (Paris time)."""
        for start, end in self._openings(moment):
            if moment < end:
                return max(start, moment.astimezone(PARIS))
        raise AssertionError("a week always has an opening")  # pragma: no cover (parse checks)

    def after_open_time(self, moment: datetime, wait: timedelta) -> datetime:
        """Return when ``wait`` of open time has passed since ``moment`` (closed time skipped)."""
        left = wait
        cursor = moment.astimezone(PARIS)
        while True:  # each round ends a span: ``left`` shrinks or the result is found
            for start, end in self._openings(cursor):
                if cursor >= end:
                    continue
                begin = max(start, cursor)
                if begin + left <= end:
                    return begin + left
                left -= end - begin
                cursor = end
                break

    def describe(self, catalog: Catalog) -> str:
        """Say the hours in words: « du lundi au vendredi de 9 h à 17 h »."""
        by_day: dict[int, tuple[tuple[time, time], ...]] = {}
        for span in self.spans:
            by_day[span.weekday] = (*by_day.get(span.weekday, ()), (span.start, span.end))
        groups: list[tuple[int, int, tuple[tuple[time, time], ...]]] = []
        for day in sorted(by_day):
            if groups and groups[-1][1] == day - 1 and groups[-1][2] == by_day[day]:
                groups[-1] = (groups[-1][0], day, by_day[day])
            else:
                groups.append((day, day, by_day[day]))
        parts = []
        for first, last, ranges in groups:
            days = (catalog.text("hours.day_one", day=_day(catalog, first)) if first == last
                    else catalog.text("hours.days_range", first=_day(catalog, first),
                                      last=_day(catalog, last)))
            times = join(catalog.text("hours.and"), [
                catalog.text("hours.time_range", start=clock_time(start, catalog),
                             end=clock_time(end, catalog)) for start, end in ranges])
            parts.append(catalog.text("hours.group", days=days, times=times))
        return join(catalog.text("hours.between_groups"), parts)

    def when(self, moment: datetime, catalog: Catalog) -> str:
        """Say when the next opening after ``moment`` is: « demain à 9 h », « lundi à 9 h »."""
        opening = self.next_opening(moment)
        days = (opening.date() - moment.astimezone(PARIS).date()).days
        at = clock_time(opening.time(), catalog)
        if days == 0:
            return catalog.text("hours.today_at", time=at)
        if days == 1:
            return catalog.text("hours.tomorrow_at", time=at)
        return catalog.text("hours.day_at", day=_day(catalog, opening.weekday()), time=at)


def _day(catalog: Catalog, weekday: int) -> str:
    return catalog.text(f"hours.day.{DAYS[weekday]}")


def clock_time(moment: time, catalog: Catalog) -> str:
    """Return a time of day as people write it (« 9 h 30 », « 9:30 »)."""
    if moment == time.max:
        return catalog.text("hours.time_whole", hour=24)
    if moment.minute == 0:
        return catalog.text("hours.time_whole", hour=moment.hour)
    return catalog.text("hours.time_minutes", hour=moment.hour, minute=f"{moment.minute:02d}")


DEFAULT_HOURS = "Mon-Fri 09:00-17:00"
DEFAULT_ANSWER_MINUTES = 30


@dataclass(frozen=True)
class AdviserDesk:
    """The advisers as the traveller is told of them: their hours, and how soon they answer."""

    hours: OpeningHours
    answer_within: timedelta

    @classmethod
    def of(cls, hours: str = DEFAULT_HOURS,
           answer_minutes: int = DEFAULT_ANSWER_MINUTES) -> AdviserDesk:
        """Return the desk of a setting's hours and answer time."""
        return cls(OpeningHours.parse(hours), timedelta(minutes=answer_minutes))

    def answer_due(self, asked_at: datetime) -> datetime:
        """Return when an answer to a request made at ``asked_at`` is late (open time only)."""
        return self.hours.after_open_time(asked_at, self.answer_within)
