"""The user's local time: the zones of a country, and the next decent hour there.

A country's zones come from the IANA table (``pytz.country_timezones``: Spain is Madrid, Ceuta
and the Canaries); conversions use ``zoneinfo``. A decent hour must be one in every zone of
the country (09:00 in Madrid is 08:00 in the Canaries), so the bot never writes to someone
asleep wherever in the country they are; should a country's zones share no such hour, its
first zone alone decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytz

PARIS = ZoneInfo("Europe/Paris")
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_SEARCH = timedelta(days=3)
"""How far ahead an hour decent in every zone is looked for, before the first zone decides."""


@dataclass(frozen=True)
class Hours:
    """A daily window of local time, ``start`` included, ``end`` excluded (None: midnight)."""

    start: time
    end: time | None

    @classmethod
    def parse(cls, text: str) -> Hours:
        """Read ``09:00-20:00`` (``24:00`` ends at midnight); ``ValueError`` otherwise."""
        found = _HOURS.match(text)
        if found is None:
            raise ValueError(f"not a window of hours (09:00-20:00): {text[:20]!r}")
        start_h, start_m, end_h, end_m = (int(part) for part in found.groups())
        if start_h > 23 or start_m > 59 or end_m > 59 or end_h > 24 or (end_h == 24 and end_m):
            raise ValueError(f"not a time of day: {text[:20]!r}")
        start, end = time(start_h, start_m), None if end_h == 24 else time(end_h, end_m)
        if end is not None and end <= start:
            raise ValueError(f"the window must end after it starts: {text[:20]!r}")
        return cls(start, end)

    def contains(self, moment: time) -> bool:
        """Tell whether a local time of day falls in the window."""
        return self.start <= moment and (self.end is None or moment < self.end)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{'24:00' if self.end is None else f'{self.end:%H:%M}'}"


@cache
def country_zones(code: str) -> tuple[ZoneInfo, ...]:
    """Return the zones of a country (ISO code), as the IANA table orders them; () if unknown."""
    names = pytz.country_timezones.get(code.upper()) if code.isalpha() else None
    return tuple(ZoneInfo(name) for name in names or ())


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """Return local midnight of ``day`` in ``zone``, as a UTC instant."""
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """Return the local date of an instant."""
    return moment.astimezone(zone).date()


def _next_in(moment: datetime, zone: ZoneInfo, hours: Hours) -> datetime:
    """Return ``moment`` if decent in ``zone``, else the next start of the window there."""
    local = moment.astimezone(zone)
    if hours.contains(local.time()):
        return moment
    day = local.date() if local.time() < hours.start else local.date() + timedelta(days=1)
    return datetime.combine(day, hours.start, zone).astimezone(UTC)


def _common(moment: datetime, zones: Sequence[ZoneInfo], hours: Hours) -> datetime | None:
    limit = moment + _SEARCH
    while moment < limit:
        later = max(_next_in(moment, zone, hours) for zone in zones)
        if later == moment:
            return moment
        moment = later
    return None


def decent(moment: datetime, zones: Sequence[ZoneInfo], hours: Hours) -> datetime:
    """Return the first instant from ``moment`` within ``hours`` in every one of ``zones``.

    Outside the window, that is its next start: the same morning, or the next one.
    """
    moment = moment.astimezone(UTC)
    chosen = tuple(zones) or (PARIS,)
    return _common(moment, chosen, hours) or _next_in(moment, chosen[0], hours)
