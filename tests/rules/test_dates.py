"""The shared date conventions: weeks, months with month ends, and the Algemene termijnenwet calendar."""

from __future__ import annotations

from datetime import date

import pytest

from openinburgering.rules import (
    add_months,
    add_weeks,
    atw_shift,
    easter_sunday,
    feestdagen,
    is_feestdag,
    months_before,
    period_end,
)
from openinburgering.rules.dates import koningsdag


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, date(2000, 4, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
        # The "late epact" correction (the algorithm's ``late`` term; Gauss's two exceptions) moves these a week
        # earlier than the plain formula would: April 19 instead of 26, April 18 instead of 25 (#11 item 16).
        (1954, date(1954, 4, 18)),
        (1981, date(1981, 4, 19)),
        (2049, date(2049, 4, 18)),
        (2076, date(2076, 4, 19)),
        (2106, date(2106, 4, 18)),
    ],
)
def test_easter_sunday_follows_the_gregorian_computus(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_feestdagen_2025() -> None:
    assert sorted(feestdagen(2025)) == [
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 4, 26),
        date(2025, 5, 5),
        date(2025, 5, 29),
        date(2025, 6, 9),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ]


def test_koningsdag_moves_to_the_26th_only_when_the_27th_is_a_sunday() -> None:
    assert (koningsdag(2025), koningsdag(2026), koningsdag(2031)) == (
        date(2025, 4, 26),
        date(2026, 4, 27),
        date(2031, 4, 26),
    )
    assert (is_feestdag(date(2025, 4, 27)), is_feestdag(date(2026, 4, 26))) == (False, False)


def test_atw_shift_keeps_a_working_day_and_skips_weekends_and_feestdagen() -> None:
    assert atw_shift(date(2025, 5, 12)) == date(2025, 5, 12)
    assert atw_shift(date(2025, 4, 18)) == date(2025, 4, 22)
    assert atw_shift(date(2025, 12, 25)) == date(2025, 12, 29)
    assert atw_shift(date(2026, 12, 31)) == date(2026, 12, 31)
    assert atw_shift(date(2027, 1, 1)) == date(2027, 1, 4)


def test_add_weeks_is_seven_days_each() -> None:
    assert add_weeks(date(2025, 3, 3), 10) == date(2025, 5, 12)


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (date(2025, 8, 31), 6, date(2026, 3, 1)),
        (date(2024, 2, 29), 36, date(2027, 3, 1)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 3, 1)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 3, 31), -1, date(2025, 3, 1)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
    ],
)
def test_add_months_rolls_a_missing_day_to_the_next_first(day: date, months: int, result: date) -> None:
    assert add_months(day, months) == result


def test_period_end_examples_of_the_catalogue() -> None:
    assert period_end(date(2024, 3, 16), years=3) == date(2027, 3, 15)
    assert period_end(date(2024, 2, 29), years=3) == date(2027, 2, 28)
    assert period_end(date(2025, 8, 31), months=6) == date(2026, 2, 28)


def test_months_before_example_of_the_catalogue() -> None:
    assert months_before(date(2028, 8, 31), 6) == date(2028, 3, 1)
    assert months_before(date(2028, 3, 16), 6) == date(2027, 9, 16)
