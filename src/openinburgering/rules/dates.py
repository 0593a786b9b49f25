"""The shared date conventions of every rule (rules catalogue, "Date conventions").

- **Weeks.** "N weeks after day X" is X + 7*N days (:func:`add_weeks`).
- **Months and years.** A period of N months that starts on day S (S counts) ends on the day before the date
  N months after S; a date that does not exist (29th to 31st in a shorter month) becomes the first day of the
  next month, so the period ends on the last day of the shorter month (:func:`add_months`,
  :func:`period_end`). Counting back uses the same rule (:func:`months_before`).
- **Algemene termijnenwet.** A deadline of at most 12 weeks, 3 months or 90 days that falls on a Saturday,
  Sunday or algemeen erkende feestdag moves to the next day that is none of these (Atw art. 1, 3, 4, 5;
  :func:`atw_shift`). Periods in years or over 3 months never move; the rules that apply the Atw say so.

Atw art. 1 lid 1: "Een in een wet gestelde termijn die op een zaterdag, zondag of algemeen erkende feestdag
eindigt, wordt verlengd tot en met de eerstvolgende dag die niet een zaterdag, zondag of algemeen erkende
feestdag is."
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

SATURDAY = 5
"""``date.weekday()`` of a Saturday."""
SUNDAY = 6
"""``date.weekday()`` of a Sunday."""


def add_weeks(day: date, weeks: int) -> date:
    """Return the day ``weeks`` weeks after ``day``: ``day`` + 7·``weeks`` days."""
    return day + timedelta(weeks=weeks)


def add_months(day: date, months: int) -> date:
    """Return the date ``months`` months after ``day`` (negative: before).

    When that calendar date does not exist (the 29th to 31st in a shorter month) the result is the first day
    of the next month: 2025-08-31 + 6 months is 2026-03-01; 2028-08-31 - 6 months is 2028-03-01.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    try:
        return date(year, month, day.day)
    except ValueError:
        # Only February, April, June, September and November lack a day, so month + 1 stays in the year.
        return date(year, month + 1, 1)


def period_end(start: date, *, months: int = 0, years: int = 0) -> date:
    """Return the last day of a period of ``months`` months plus ``years`` years that starts on ``start``.

    ``start`` counts as the first day, so the period ends the day before :func:`add_months` of ``start``:
    3 years from 2024-03-16 ends 2027-03-15; from 2024-02-29 it ends 2027-02-28; 6 months from 2025-08-31
    ends 2026-02-28.
    """
    return add_months(start, months + 12 * years) - timedelta(days=1)


def months_before(day: date, months: int) -> date:
    """Return the date ``months`` months before ``day``; a date that does not exist rolls to the next 1st."""
    return add_months(day, -months)


@cache
def easter_sunday(year: int) -> date:
    """Return Easter Sunday of ``year`` by the Gregorian computus (the anonymous Gregorian algorithm)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon_correction = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_offset = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    late = (golden + 11 * epact + 22 * weekday_offset) // 451
    month, day = divmod(epact + weekday_offset - 7 * late + 114, 31)
    return date(year, month, day + 1)


def koningsdag(year: int) -> date:
    """Return Koningsdag: 27 April, or 26 April when the 27th is a Sunday (Atw art. 3 lid 1)."""
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == SUNDAY else day


@cache
def feestdagen(year: int) -> frozenset[date]:
    """Return the algemeen erkende feestdagen of ``year`` (Atw art. 3).

    Nieuwjaarsdag, Goede Vrijdag (art. 3 lid 2), Tweede Paasdag, Hemelvaartsdag, Tweede Pinksterdag,
    Koningsdag, 5 mei and both Kerstdagen. Eerste Paas- en Pinksterdag are Sundays and so never working days.
    """
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter - timedelta(days=2),
            easter + timedelta(days=1),
            easter + timedelta(days=39),
            easter + timedelta(days=50),
            koningsdag(year),
            date(year, 5, 5),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_feestdag(day: date) -> bool:
    """Tell whether ``day`` is an algemeen erkende feestdag in the sense of Atw art. 3."""
    return day in feestdagen(day.year)


def is_atw_working_day(day: date) -> bool:
    """Tell whether ``day`` is neither a Saturday, a Sunday nor an algemeen erkende feestdag (Atw art. 1)."""
    return day.weekday() < SATURDAY and not is_feestdag(day)


def atw_shift(day: date) -> date:
    """Return ``day``, or the next day that is no Saturday, Sunday or feestdag when it is one (Atw art. 1).

    Apply it only to deadlines of at most 12 weeks, 3 months or 90 days (Atw art. 4 sub a); by Atw art. 5 it
    applies to termijnen in the Besluit inburgering 2021 as well.
    """
    while not is_atw_working_day(day):
        day += timedelta(days=1)
    return day
