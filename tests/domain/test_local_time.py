"""Durations as settings write them, and the decent hours of the user's local time (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.durations import parse_duration
from bot.domain.local_time import PARIS, Hours, country_zones, decent

DAY = Hours.parse("09:00-20:00")


@pytest.mark.parametrize(("text", "seconds"), [
    ("90s", 90), ("30m", 1800), ("24h", 86400), ("3d", 3 * 86400), ("4w", 28 * 86400),
    (" 2S ", 2), ("0.5s", 0.5),
])
def test_durations_read_as_settings_write_them(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "24", "2 jours", "1y", "-3d", "9999999d", "1e9s"])
def test_other_durations_are_refused(text):
    with pytest.raises(ValueError, match="90s, 30m, 24h, 3d"):
        parse_duration(text)


def test_a_signed_duration_counts_backwards_where_allowed():
    assert parse_duration("-3d", signed=True) == timedelta(days=-3)


def test_windows_of_hours():
    assert Hours.parse("9:00-20:00") == Hours(time(9), time(20))
    assert Hours.parse("00:00-24:00").contains(time(23, 59, 59))
    assert not DAY.contains(time(20)) and DAY.contains(time(9)) and not DAY.contains(time(8, 59))
    for bad in ("20:00-09:00", "9h-20h", "25:00-26:00", "09:00-24:30"):
        with pytest.raises(ValueError):
            Hours.parse(bad)


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 7, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(("moment", "expected"), [
    (paris(1, 14), paris(1, 14)),      # within the window: now
    (paris(1, 7, 30), paris(1, 9)),    # early: this morning
    (paris(1, 20), paris(2, 9)),       # the window ends at 20:00: the next morning
    (paris(1, 23, 45), paris(2, 9)),
], ids=["afternoon", "early", "evening", "night"])
def test_outside_the_window_is_the_next_morning_in_france(moment, expected):
    assert decent(moment, (PARIS,), DAY) == expected


def test_a_country_of_several_zones_gets_an_hour_decent_in_all():
    spain = country_zones("ES")
    assert [zone.key for zone in spain] == ["Europe/Madrid", "Africa/Ceuta", "Atlantic/Canary"]
    # 09:00 in Madrid is 08:00 in the Canaries: 10:00 in Madrid, 09:00 there.
    assert decent(paris(1, 9), spain, DAY) == paris(1, 10)
    usa = country_zones("us")
    found = decent(datetime(2025, 7, 1, 12, tzinfo=UTC), usa, DAY)
    for zone in usa:
        assert DAY.contains(found.astimezone(zone).time()), zone
    assert found.astimezone(ZoneInfo("Pacific/Honolulu")).hour == 9


def test_an_unknown_country_has_no_zone():
    assert country_zones("XX") == () and country_zones("1!") == ()
