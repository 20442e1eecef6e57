"""The advisers' hours: read from a setting, said in words, and counted in open time only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.catalog import get_catalog
from bot.domain.opening_hours import PARIS, AdviserDesk, OpeningHours

WEEK = OpeningHours.parse("Mon-Fri 09:00-12:30,13:30-17:00; Sat 09:00-12:00")


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of October 2020 in Paris (the 12th is a Monday)."""
    return datetime(2020, 10, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize("moment, expected", [
    (paris(12, 9), True), (paris(12, 12, 30), False), (paris(12, 13, 30), True),
    (paris(16, 16, 59), True), (paris(16, 17), False), (paris(17, 11), True),
    (paris(18, 11), False), (datetime(2020, 10, 12, 7, 30, tzinfo=UTC), True),
])
def test_is_open(moment, expected):
    assert WEEK.is_open(moment) is expected


def test_the_next_opening_skips_lunch_nights_and_sundays():
    assert WEEK.next_opening(paris(12, 10)) == paris(12, 10)
    assert WEEK.next_opening(paris(12, 12, 45)) == paris(12, 13, 30)
    assert WEEK.next_opening(paris(16, 18)) == paris(17, 9)
    assert WEEK.next_opening(paris(17, 12, 1)) == paris(19, 9)


def test_waiting_counts_open_time_only():
    assert WEEK.after_open_time(paris(12, 10), timedelta(minutes=30)) == paris(12, 10, 30)
    assert WEEK.after_open_time(paris(12, 12, 20), timedelta(minutes=30)) == paris(12, 13, 50)
    assert WEEK.after_open_time(paris(17, 11, 50), timedelta(minutes=30)) == paris(19, 9, 20)
    assert WEEK.after_open_time(paris(18, 3), timedelta(hours=4)) == paris(19, 14)
    desk = AdviserDesk.of("Mon-Fri 09:00-17:00", 30)
    assert desk.answer_due(paris(16, 16, 50)) == paris(19, 9, 20)


def test_a_whole_day_and_summer_time():
    always = OpeningHours.parse("Mon-Sun 00:00-24:00")
    assert always.is_open(datetime(2020, 10, 25, 1, 30, tzinfo=UTC))  # the night clocks go back
    late = AdviserDesk.of("Mon-Fri 09:00-17:00", 60)
    # Friday 23 October 16:30 (summer time) → Monday 26 October 9:30 (winter time): 08:30 UTC.
    assert late.answer_due(paris(23, 16, 30)) == datetime(2020, 10, 26, 8, 30, tzinfo=UTC)


def test_the_hours_in_words():
    assert WEEK.describe(get_catalog("fr")) == (
        "du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h ; le samedi de 9 h à 12 h")
    assert WEEK.describe(get_catalog("en")) == (
        "Monday to Friday, 9:00 to 12:30 and 13:30 to 17:00; Saturday, 9:00 to 12:00")


def test_when_the_advisers_are_back():
    french = get_catalog("fr")
    assert WEEK.when(paris(12, 8), french) == "aujourd'hui à 9 h"
    assert WEEK.when(paris(12, 12, 40), french) == "aujourd'hui à 13 h 30"
    assert WEEK.when(paris(16, 18), french) == "demain à 9 h"
    assert WEEK.when(paris(17, 13), french) == "lundi à 9 h"
    assert WEEK.when(paris(17, 13), get_catalog("en")) == "on Monday at 9:00"


@pytest.mark.parametrize("setting", [
    "", "Mon-Fri", "Lun-Ven 09:00-17:00", "Mon-Fri 9-17", "Fri-Mon 09:00-17:00",
    "Mon-Fri 17:00-09:00", "Mon 09:00-12:00,11:00-13:00", "Mon 24:30-25:00", "Mon 09:00-24:30",
])
def test_a_wrong_setting_is_refused(setting):
    with pytest.raises(ValueError):
        OpeningHours.parse(setting)


def test_settings_refuse_wrong_hours_at_start_up():
    from pydantic import ValidationError

    from bot.settings import Settings

    assert Settings(_env_file=None).desk.hours == OpeningHours.parse("Mon-Fri 09:00-17:00")
    with pytest.raises(ValidationError, match="unknown day"):
        Settings(_env_file=None, adviser_hours="Lun-Ven 09:00-17:00")


def test_public_holidays_are_closed_all_day():
    desk = AdviserDesk.of("Mon-Fri 09:00-17:00", 30)
    christmas_eve = datetime(2026, 12, 24, 16, 50, tzinfo=PARIS)  # a Thursday
    assert not desk.hours.is_open(datetime(2026, 12, 25, 10, tzinfo=PARIS))
    # Ten open minutes on the 24th, then the 25th is a holiday: Monday the 28th at 9:20.
    assert desk.answer_due(christmas_eve) == datetime(2026, 12, 28, 9, 20, tzinfo=PARIS)
    french = get_catalog("fr")
    assert desk.hours.when(datetime(2026, 12, 24, 18, tzinfo=PARIS), french) == "lundi à 9 h"
    # Easter Monday 2027 is 29 March (Easter Sunday the 28th); Ascension 6 May; Whit Monday 17 May.
    for holiday in (29, 6, 17):
        month = 3 if holiday == 29 else 5
        assert not desk.hours.is_open(datetime(2027, month, holiday, 10, tzinfo=PARIS))
    assert desk.hours.is_open(datetime(2027, 3, 30, 10, tzinfo=PARIS))


def test_a_week_whose_only_opening_is_a_holiday_opens_the_week_after():
    mondays = OpeningHours.parse("Mon 09:00-12:00")
    easter_sunday = datetime(2027, 3, 28, 12, tzinfo=PARIS)
    assert mondays.next_opening(easter_sunday) == datetime(2027, 4, 5, 9, tzinfo=PARIS)
