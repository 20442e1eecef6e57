"""Dates as people type them (VAL-01), and the year a person leaves out (VAL-02…VAL-04, VAL-06)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.claim import ClaimDraft
from bot.domain.date_windows import date_window
from bot.domain.dates import parse_date
from bot.domain.errors import InvalidAnswer

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("typed", "expected"), [
    ("20 aout", date(2026, 8, 20)), ("20 août", date(2026, 8, 20)),
    ("3 sept.", date(2026, 9, 3)), ("3 sep", date(2026, 9, 3)),
    ("1er fév", date(2026, 2, 1)), ("1er fevrier 2025", date(2025, 2, 1)),
    ("5 déc 2024", date(2024, 12, 5)), ("5 DEC 2024", date(2024, 12, 5)),
    ("March 5", date(2026, 3, 5)), ("5 March 2025", date(2025, 3, 5)),
    ("Mar 5th", date(2026, 3, 5)), ("March 5th, 2025", date(2025, 3, 5)),
    ("the 5th of May 2025", date(2025, 5, 5)), ("lundi 5 mai 2025", date(2025, 5, 5)),
    ("le 14 juillet", date(2026, 7, 14)), ("14 juil.", date(2026, 7, 14)),
    ("2 janv 26", date(2026, 1, 2)), ("3 avril 87", date(1987, 4, 3)),
    ("septmbre 3", date(2026, 9, 3)), ("3 fevirer 2020", date(2020, 2, 3)),
    ("Aug 20", date(2026, 8, 20)), ("12 oct", date(2026, 10, 12)),
    ("22.9.20", date(2020, 9, 22)), ("2020/09/22", date(2020, 9, 22)),
])
def test_month_names_in_french_and_english(typed, expected):
    assert parse_date(typed, TODAY) == expected


@pytest.mark.parametrize(("typed", "key"), [
    ("5 jui", "error.date.format"),  # juin or juillet: asked again, not guessed
    ("5 ma", "error.date.format"), ("mars 2025", "error.date.format"),
    ("5 mars avril", "error.date.format"), ("31 avril", "error.date.not_real"),
    ("22/09/202", "error.date.format"), ("1" * 500, "error.date.format"),
    ("5 mars 2025 " * 20, "error.date.format"),
])
def test_what_is_not_one_date_is_asked_again(typed, key):
    with pytest.raises(InvalidAnswer) as error:
        parse_date(typed, TODAY)
    assert error.value.key == key


def test_29_february_without_year_is_the_last_one_that_existed():
    assert parse_date("29/02", TODAY) == date(2024, 2, 29)


def _read(field: str, typed: str, **answers: date) -> date:
    draft = ClaimDraft(**answers)
    return parse_date(typed, TODAY, date_window(field, draft, TODAY))


@pytest.mark.parametrize(("typed", "start", "expected"), [
    ("28/12", date(2026, 11, 20), date(2026, 12, 28)),  # issue 14: never last year's
    ("28 déc", date(2026, 11, 20), date(2026, 12, 28)),
    ("05/01", date(2026, 11, 20), date(2027, 1, 5)),  # a return planned next year
    ("28/12", date(2025, 11, 20), date(2025, 12, 28)),  # the first one after the start
    ("20/11", date(2026, 11, 20), date(2026, 11, 20)),  # a one-day stay
    ("15/01/27", date(2026, 11, 20), date(2027, 1, 15)),  # not 1927
])
def test_a_planned_stay_end_follows_its_start(typed, start, expected):
    assert _read("stay_end", typed, stay_start=start) == expected


def test_a_stay_end_without_a_start_is_the_nearest_such_day():
    assert _read("stay_end", "28/12") == date(2026, 12, 28)
    assert _read("stay_end", "02/11") == date(2026, 11, 2)


def test_an_end_before_every_possible_start_is_kept_for_the_check_to_explain():
    # No 10/11 after 20/11/2026 within a year of today but next year's: that one is kept.
    assert _read("stay_end", "10/11", stay_start=date(2026, 11, 20)) == date(2027, 11, 10)
    # A full date is never changed: VAL-02 then says the end is before the start.
    assert _read("stay_end", "10/11/2026", stay_start=date(2026, 11, 20)) == date(2026, 11, 10)


@pytest.mark.parametrize(("field", "typed", "answers", "expected"), [
    ("stay_start", "28/12", {}, date(2025, 12, 28)),  # not in the future (VAL-03)
    ("stay_start", "20/11", {}, date(2026, 11, 20)),
    ("stay_start", "01/10", {"stay_end": date(2025, 10, 15)}, date(2025, 10, 1)),
    ("accident_date", "24/12", {}, date(2025, 12, 24)),
    # An accident may predate the stay (VAL-06): only today bounds it.
    ("accident_date", "12/08", {"stay_start": date(2026, 9, 22)}, date(2026, 8, 12)),
    ("hospital_start", "05/12", {"stay_start": date(2025, 11, 30)}, date(2025, 12, 5)),
    ("hospital_start", "05/11", {"stay_start": date(2026, 10, 1)}, date(2026, 11, 5)),
    ("hospital_end", "03/01", {"hospital_start": date(2025, 12, 28)}, date(2026, 1, 3)),
    ("hospital_end", "30/12", {"hospital_start": date(2025, 12, 28)}, date(2025, 12, 30)),
    ("hospital_end", "2 janv", {"stay_start": date(2025, 12, 20),
                                "stay_end": date(2026, 1, 10)}, date(2026, 1, 2)),
    ("beneficiary_birth_date", "07/10/85", {}, date(1985, 10, 7)),
    ("beneficiary_birth_date", "07/10/05", {}, date(2005, 10, 7)),
    ("beneficiary_birth_date", "3 avril 1987", {}, date(1987, 4, 3)),
])
def test_the_year_left_out_fits_the_question(field, typed, answers, expected):
    assert _read(field, typed, **answers) == expected


def test_a_birth_date_without_its_year_is_asked_again():
    with pytest.raises(InvalidAnswer) as error:
        _read("beneficiary_birth_date", "3 avril")
    assert error.value.key == "error.date.year_needed"
