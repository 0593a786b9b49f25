"""The quarter and the delivery deadline of the CBS statistics file (SWI): 4 weeks after the quarter ends."""

from __future__ import annotations

from datetime import date

import pytest

from openinburgering.rules import CbsLevering, RuleInputError, cbs_levering


def test_the_third_quarter_is_delivered_within_four_weeks_after_30_september() -> None:
    assert cbs_levering(year=2026, quarter=3) == CbsLevering(
        period_start_on=date(2026, 7, 1), period_end_on=date(2026, 9, 30), deliver_by_on=date(2026, 10, 28)
    )


def test_the_first_quarter_of_a_leap_year_ends_on_31_march() -> None:
    result = cbs_levering(year=2024, quarter=1)
    assert (result.period_start_on, result.period_end_on, result.deliver_by_on) == (
        date(2024, 1, 1),
        date(2024, 3, 31),
        date(2024, 4, 28),
    )


def test_the_fourth_quarter_is_delivered_in_january_of_the_next_year() -> None:
    assert cbs_levering(year=2025, quarter=4).deliver_by_on == date(2026, 1, 28)


def test_an_agreed_term_ending_on_a_sunday_is_not_moved_by_the_atw() -> None:
    # 2024-04-28 is a Sunday: the term is CBS's agreement, not a term set by law.
    assert cbs_levering(year=2024, quarter=1).deliver_by_on.isoweekday() == 7


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_rejects_a_quarter_outside_one_to_four(quarter: int) -> None:
    with pytest.raises(RuleInputError, match="quarter must be 1, 2, 3 or 4"):
        cbs_levering(year=2026, quarter=quarter)


def test_rejects_a_year_before_the_wet_inburgering_2021_applied() -> None:
    with pytest.raises(RuleInputError, match="the SWI starts with 2022"):
        cbs_levering(year=2021, quarter=4)
